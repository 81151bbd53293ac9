// The training worker: the CLI's loop (trainNetwork, with the adder's exactness check) off the page's thread, its
// progress posted as it goes. The loop is synchronous, so the page stops a run by terminating the worker.
import { trainedMetadata } from '../api/metadata';
import { disposeParams } from '../engine/params';
import type { Accuracy } from '../eval/accuracy';
import { UserError } from '../errors';
import { encodeModel } from '../io/encode';
import type { TrainHooks } from '../train/loop';
import { notExactHint } from '../train/hint';
import { trainNetwork, TrainResult } from '../train/train';
import { initWebBackend } from './backend';
import type { TrainRequest, WorkerMessage } from './messages';
import { VERSION } from './version';

function post(message: WorkerMessage, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

self.onmessage = async (event: MessageEvent<TrainRequest>) => {
  try {
    const backend = await initWebBackend();
    post({ kind: 'started', backend });
    // The page resolved and checked the configuration (an adder's) before it sent it.
    const hooks: TrainHooks<Accuracy> = { onProgress: (point, check) => post({ kind: 'progress', point, check }) };
    const result = trainNetwork(event.data.config, hooks as TrainHooks) as TrainResult<Accuracy>;
    try {
      // Only an exact adder is offered, as the CLI saves only an exact one.
      const files = result.solved ? await encodeModel(result.params, trainedMetadata(result, backend, VERSION)) : undefined;
      const { solved: exact, score: accuracy, samples, seconds } = result;
      // The options it names stay `{name}`, for the page to word as its fields.
      const hint = exact ? undefined : notExactHint(result, (option) => `{${option}}`);
      post({ kind: 'finished', exact, accuracy, samples, seconds, files, hint }, files ? [files.weights.buffer as ArrayBuffer] : []);
    } finally {
      disposeParams(result.params);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const template = error instanceof UserError && error.options.length > 0 ? error.worded((option) => `{${option}}`) : undefined;
    post({ kind: 'failed', message, ...(template !== undefined && { template }) });
  }
};
