// A separate program on plain `@tensorflow/tfjs` (its default cpu backend), as an outside user runs it:
// `node plain-tfjs-predict.js DIR '<x as [B][T][2] JSON>'` loads the model in DIR through
// tf.loadLayersModel(tf.io.fromMemory(...)) and prints its predictions as one JSON array.
// It runs in its own process so that the whole @tensorflow/tfjs bundle (which also adds chained methods such
// as `t.reshape()` to every tensor) never loads into the test process, where src/ must work on tfjs-core alone.
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as path from 'path';

async function main(dir: string, input: string): Promise<void> {
  tf.env().set('PROD', true);
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  const bin = await fs.readFile(path.join(dir, json.weightsManifest[0].paths[0]));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
    }),
  );
  const probabilities = (model.predict(tf.tensor3d(JSON.parse(input))) as tf.Tensor).dataSync();
  process.stdout.write(JSON.stringify({ backend: tf.getBackend(), probabilities: Array.from(probabilities) }) + '\n');
}

main(process.argv[2], process.argv[3]).catch((error) => {
  process.stderr.write(`${error}\n`);
  process.exitCode = 1;
});
