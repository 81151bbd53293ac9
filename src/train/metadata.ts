// What a trained network records about itself in model.json (the on-disk contract in docs/): the CLI saves it, the
// page puts it in the model it offers for download.
import { ModelMetadata } from '../io/metadata';
import { TrainResult } from './adder';
import { TrainConfig } from './config';
import { LongLagResult, LongLagScore } from './long-lag';

/** What every saved model records of its training run; `version` is rnn-adder's. */
function runMetadata(c: TrainConfig, run: { samples: number; seconds: number }, backend: string, version: string) {
  return {
    cell: c.cell,
    hidden: c.hidden,
    loss: c.loss,
    bias: c.bias,
    init: c.init,
    optimizer: c.optimizer,
    learningRate: c.lr,
    ...(c.optimizer === 'adam' && c.adam !== undefined && { adam: c.adam }),
    batch: c.batch,
    engine: c.engine,
    seed: c.seed,
    ...(c.tbptt === undefined ? {} : { tbptt: c.tbptt }),
    samples: run.samples,
    seconds: run.seconds,
    version,
    backend,
    savedAt: new Date().toISOString(),
  };
}

/** The metadata of a finished adder run (read from package.json by the CLI, built into the page). */
export function trainedMetadata(result: TrainResult, backend: string, version: string): ModelMetadata {
  const acc = result.accuracy;
  return {
    task: 'add',
    bits: result.config.bits,
    ...runMetadata(result.config, result, backend, version),
    accuracy: { value: acc.accuracy, method: acc.method, count: acc.pairs },
  };
}

/** The fresh-data score as the metadata's accuracy: bits echoed right, or sequences within the tolerance. */
function scoreAccuracy(score: LongLagScore): ModelMetadata['accuracy'] {
  return 'delay' in score
    ? { value: score.right / score.scored, method: 'sampled', count: score.scored }
    : { value: 1 - score.wrong / score.sequences, method: 'sampled', count: score.sequences };
}

/** The metadata of a finished echo or adding-problem run: the task and its setting, bits 0. */
export function longLagMetadata(result: LongLagResult, backend: string, version: string): ModelMetadata {
  return { ...result.task, bits: 0, ...runMetadata(result.config, result, backend, version), accuracy: scoreAccuracy(result.score) };
}
