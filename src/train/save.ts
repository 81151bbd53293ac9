// A trained network on disk: its metadata (DESIGN.md "The model on disk") and the atomic save of src/io.
import * as fs from 'fs';
import * as path from 'path';
import { saveModel } from '../io';
import { ModelMetadata } from '../io/metadata';
import { TrainResult } from './adder';
import { TrainConfig } from './config';
import { LongLagResult, LongLagScore } from './long-lag';

let version: string | undefined;

/** rnn-adder's version, from the package.json above this file (in src/ or in dist/src/). */
function packageVersion(): string {
  for (let dir = __dirname; version === undefined; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'rnn-adder') version = String(pkg.version);
    }
    if (dir === path.dirname(dir)) version = 'unknown';
  }
  return version;
}

/** What every saved model records of its training run. */
function runMetadata(c: TrainConfig, run: { samples: number; seconds: number }, backend: string) {
  return {
    hidden: c.hidden,
    loss: c.loss,
    bias: c.bias,
    init: c.init,
    optimizer: c.optimizer,
    learningRate: c.lr,
    batch: c.batch,
    engine: c.engine,
    seed: c.seed,
    ...(c.tbptt === undefined ? {} : { tbptt: c.tbptt }),
    samples: run.samples,
    seconds: run.seconds,
    version: packageVersion(),
    backend,
    savedAt: new Date().toISOString(),
  };
}

function trainedMetadata(result: TrainResult, backend: string): ModelMetadata {
  const acc = result.accuracy;
  return {
    task: 'add',
    bits: result.config.bits,
    ...runMetadata(result.config, result, backend),
    accuracy: { value: acc.accuracy, method: acc.method, count: acc.pairs },
  };
}

/** Saves an exact adder to dir (atomically); an adder that is not exact is refused and nothing is written. */
export async function saveTrained(dir: string, result: TrainResult, backend: string): Promise<void> {
  if (!result.exact) throw new Error(`saveTrained: the adder is not exact (${result.accuracy.accuracy}), not saving`);
  await saveModel(dir, result.params, trainedMetadata(result, backend));
}

/** The fresh-data score as the metadata's accuracy: bits echoed right, or sequences within the tolerance. */
function scoreAccuracy(score: LongLagScore): ModelMetadata['accuracy'] {
  return 'delay' in score
    ? { value: score.right / score.scored, method: 'sampled', count: score.scored }
    : { value: 1 - score.wrong / score.sequences, method: 'sampled', count: score.sequences };
}

/** Saves a solved echo or adding-problem network to dir (atomically); an unsolved one is refused. */
export async function saveLongLag(dir: string, result: LongLagResult, backend: string): Promise<void> {
  if (!result.solved) throw new Error(`saveLongLag: the ${result.task.task} task is not solved, not saving`);
  await saveModel(dir, result.params, {
    ...result.task,
    bits: 0,
    ...runMetadata(result.config, result, backend),
    accuracy: scoreAccuracy(result.score),
  });
}
