// What a trained adder records about itself in model.json (the on-disk contract in docs/): the CLI saves it, the
// page puts it in the model it offers for download.
import { ModelMetadata } from '../io/metadata';
import { TrainResult } from './loop';

/** The metadata of a finished run; `version` is rnn-adder's (read from package.json by the CLI, built into the page). */
export function trainedMetadata(result: TrainResult, backend: string, version: string): ModelMetadata {
  const c = result.config;
  return {
    bits: c.bits,
    cell: c.cell,
    hidden: c.hidden,
    loss: c.loss,
    bias: c.bias,
    init: c.init,
    optimizer: c.optimizer,
    learningRate: c.lr,
    batch: c.batch,
    engine: c.engine,
    seed: c.seed,
    samples: result.samples,
    seconds: result.seconds,
    accuracy: { value: result.accuracy.accuracy, method: result.accuracy.method, count: result.accuracy.pairs },
    version,
    backend,
    savedAt: new Date().toISOString(),
  };
}
