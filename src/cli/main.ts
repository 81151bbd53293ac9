#!/usr/bin/env node
// rnn-adder's entry: registers the commands and leaves the rest to them.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { globalOptions } from './options';
import { reportError } from './run';
import * as gradcheckCommand from './commands/gradcheck';

export async function main(argv: string[]): Promise<void> {
  await yargs(argv)
    .scriptName('rnn-adder')
    .usage('$0 <command> [options]\n\nA recurrent network that learns binary addition, trained by hand-derived BPTT.')
    .options(globalOptions)
    .command(gradcheckCommand)
    .demandCommand(1, 'Name a command (see --help)')
    .recommendCommands()
    .strict()
    .fail((message, error) => reportError(error ?? new Error(`${message} (see --help)`), 2))
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .parseAsync();
}

main(hideBin(process.argv)).catch((error) => reportError(error));
