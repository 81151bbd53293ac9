// Run as a process of its own by test/self-sufficient.test.ts: trains with `engine: 'autodiff'` and compares
// tf.grad's gradients with the engine's, loading only the training code (no API, no io, nothing that would
// load tfjs-layers first). Prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { lossAndGrads } from '../../src/engine/elman';
import { disposeParams, initParams, PARAM_NAMES } from '../../src/engine/params';
import { defaultConfig } from '../../src/train/config';
import { trainNetwork } from '../../src/train/train';

async function main(): Promise<void> {
  const backend = await initBackend();
  const result = trainNetwork({ ...defaultConfig(3), engine: 'autodiff', maxSamples: 20_000 });
  disposeParams(result.params);

  const params = initParams({ hidden: 4, bias: true }, 7);
  const x = tf.tensor3d([[[1, 0], [1, 1], [0, 0]]]);
  const y = tf.tensor3d([[[1], [0], [1]]]);
  const bptt = lossAndGrads(params, x, y, 'mse');
  const autodiff = autodiffLossAndGrads(params, x, y, 'mse');
  const maxDiff = Math.max(
    ...PARAM_NAMES.map((name) => tf.max(tf.abs(tf.sub(bptt.grads[name]!, autodiff.grads[name]!))).dataSync()[0]),
  );
  console.log(JSON.stringify({ backend, exact: result.solved, samples: result.samples, maxDiff }));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
