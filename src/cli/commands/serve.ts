// `rnn-adder serve`: the page on 127.0.0.1, offline; Ctrl-C stops it.
import type { Argv } from 'yargs';
import type { ServeArgs } from '../actions/serve';
import { modelOption } from '../model-option';
import { intOption } from '../options';
import { lazyHandler } from '../run';

export const DEFAULT_PORT = 8080;

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

export const handler = lazyHandler<ServeArgs>(() => import('../actions/serve'));
