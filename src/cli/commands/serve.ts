// `rnn-adder serve`: the page on 127.0.0.1 (src/serve/server.ts), with a checked model; Ctrl-C stops it.
import * as path from 'path';
import type { Argv } from 'yargs';
import { disposeParams, loadModel, startServer } from '../../index';
import { modelOption } from '../model-option';
import { intOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';
import { DEFAULT_MODEL_DIR } from './add';

export const DEFAULT_PORT = 8080;

interface ServeArgs extends CommonArgs {
  port: number;
  model?: string;
}

export const command = 'serve';
export const describe = 'Serve the page (add, train live, check the gradients) on 127.0.0.1, offline';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<ServeArgs> {
  return yargs
    .options({
      port: intOption('port', 'Port on 127.0.0.1 (0 picks a free one)', { min: 0, max: 65535, default: DEFAULT_PORT }),
      model: modelOption('Model directory the page adds with first (default: the shipped models/adder-16)', false),
    })
    .epilogue('Ctrl-C stops the server.')
    .example('$0 serve', `the page at http://127.0.0.1:${DEFAULT_PORT}/`)
    .example('$0 serve --port 0 --model models/adder-8', 'a free port, the 8-bit adder') as unknown as Argv<ServeArgs>;
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export const handler = run<ServeArgs>(async (args, backend) => {
  const modelDir = path.resolve(args.model ?? DEFAULT_MODEL_DIR);
  // The same checks as every command that loads a model, before the page can meet a broken one.
  const { params } = await loadModel(modelDir);
  disposeParams(params);
  const server = await startServer({ port: args.port, modelDir });
  const stopped = stopSignal();
  emit(args, { url: server.url, model: modelDir, backend }, () => `serving the page at ${server.url} (model ${modelDir}); Ctrl-C stops`);
  await stopped;
  await server.close();
});
