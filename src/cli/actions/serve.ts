// The work of `rnn-adder serve`: check the model, serve the page (src/serve/server.ts), stop on Ctrl-C.
import * as path from 'path';
import { BackendName, disposeParams, loadModel, startServer } from '../../index';
import { DEFAULT_MODEL_DIR } from '../model-option';
import { CommonArgs, emit } from '../run';

export interface ServeArgs extends CommonArgs {
  port: number;
  model?: string;
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function run(args: ServeArgs, backend: BackendName): Promise<void> {
  const modelDir = path.resolve(args.model ?? DEFAULT_MODEL_DIR);
  // The same checks as every command that loads a model, before the page can meet a broken one.
  const { params } = await loadModel(modelDir);
  disposeParams(params);
  const server = await startServer({ port: args.port, modelDir });
  const stopped = stopSignal();
  emit(args, { url: server.url, model: modelDir, backend }, () => `serving the page at ${server.url} (model ${modelDir}); Ctrl-C stops`);
  await stopped;
  await server.close();
}
