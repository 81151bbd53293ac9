#!/usr/bin/env node
// rnn-adder's entry: registers the commands and leaves the rest to them.
import yargs, { CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UsageError } from '../errors';
import { commandLineGuard, globalOptions, operandsAfterDoubleDash } from './options';
import { handleOutputErrors, reportError } from './run';
import * as addCommand from './commands/add';
import * as evalCommand from './commands/eval';
import * as gradsCommand from './commands/grads';
import * as gradcheckCommand from './commands/gradcheck';
import * as gradflowCommand from './commands/gradflow';
import * as inspectCommand from './commands/inspect';
import * as trainCommand from './commands/train';

const commands = [addCommand, evalCommand, gradsCommand, gradcheckCommand, gradflowCommand, inspectCommand, trainCommand];

/** yargs-parser's words for a flag given without its value, said with the flag as the user typed it. */
function usageMessage(message: string): string {
  const bare = /^Not enough arguments following: (\S+)$/.exec(message);
  return bare ? `--${bare[1]} needs a value (see --help)` : message;
}

export async function main(args: string[]): Promise<void> {
  handleOutputErrors();
  const argv = operandsAfterDoubleDash(args);
  await yargs(argv)
    .scriptName('rnn-adder')
    .usage('$0 <command> [options]\n\nA recurrent network that learns binary addition, trained by hand-derived BPTT.')
    .options(globalOptions)
    .middleware(commandLineGuard(argv, commands), true)
    // Each command module types its own arguments, which yargs' CommandModule<{}, {}> cannot express.
    .command(commands as unknown as CommandModule[])
    .demandCommand(1, 'Name a command')
    .recommendCommands()
    .strict()
    // Throwing stops yargs: a handler must not run after a usage error, and only one line may be printed.
    .fail((message, error) => {
      throw new UsageError(error ? usageMessage(error.message) : `${message.replace(/\s*\n\s*/g, ' ')} (see --help)`);
    })
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .parseAsync();
}

main(hideBin(process.argv)).catch((error) => reportError(error, error instanceof UsageError ? 2 : 1));
