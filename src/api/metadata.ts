// What a trained network records about itself in model.json (the on-disk contract in docs/): the CLI and the API
// save it, the page puts it in the model it offers for download.
import { Accuracy } from '../eval/accuracy';
import { ModelMetadata } from '../io/metadata';
import { TaskScore, TrainResult } from '../train/train';

/** The fresh-data score as the metadata's accuracy: sums, bits echoed right, or sequences within the tolerance. */
function scoreAccuracy(score: TaskScore): ModelMetadata['accuracy'] {
  if ('pairs' in score) return accuracyOf(score);
  return 'delay' in score
    ? { value: score.right / score.scored, method: 'sampled', count: score.scored }
    : { value: 1 - score.wrong / score.sequences, method: 'sampled', count: score.sequences };
}

function accuracyOf(acc: Accuracy): ModelMetadata['accuracy'] {
  return { value: acc.accuracy, method: acc.method, count: acc.pairs };
}

/**
 * The metadata of a finished run, `version` being rnn-adder's (read from package.json by the CLI, built into the
 * page): the task and its setting (bits 0 beside a long-lag task), the configuration, the run and its score.
 */
export function trainedMetadata(result: TrainResult, backend: string, version: string): ModelMetadata {
  const c = result.config;
  return {
    ...result.task,
    bits: result.task.task === 'add' ? result.task.bits : 0,
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
    samples: result.samples,
    seconds: result.seconds,
    version,
    backend,
    savedAt: new Date().toISOString(),
    accuracy: scoreAccuracy(result.score),
  };
}
