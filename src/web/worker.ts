// The training worker: the CLI's loop (trainAdder, with its exactness check) off the page's thread, its progress
// posted as it goes. The loop is synchronous, so the page stops a run by terminating the worker.
import { disposeParams } from '../engine/params';
import { encodeModel } from '../io/encode';
import { notExactHint } from '../train/hint';
import { trainAdder } from '../train/adder';
import { trainedMetadata } from '../train/metadata';
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
    const result = trainAdder(event.data.config, { onProgress: (point, check) => post({ kind: 'progress', point, check }) });
    try {
      // Only an exact adder is offered, as the CLI saves only an exact one.
      const files = result.exact ? await encodeModel(result.params, trainedMetadata(result, backend, VERSION)) : undefined;
      const { exact, accuracy, samples, seconds } = result;
      const hint = exact ? undefined : notExactHint(result);
      post({ kind: 'finished', exact, accuracy, samples, seconds, files, hint }, files ? [files.weights.buffer as ArrayBuffer] : []);
    } finally {
      disposeParams(result.params);
    }
  } catch (error) {
    post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
