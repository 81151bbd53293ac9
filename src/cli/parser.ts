// The command line as a yargs parser, built without running anything: main.ts parses process.argv with it,
// and the tests parse argument lists in-process. Every module it loads is free of tfjs, so --help, --version
// and usage errors answer in Node's start-up time; a command's work is imported when it runs.
import yargs, { Argv, CommandModule } from 'yargs';
import { backendChoice } from '../backend-choice';
import * as addCommand from './commands/add';
import * as evalCommand from './commands/eval';
import * as gradcheckCommand from './commands/gradcheck';
import * as gradflowCommand from './commands/gradflow';
import * as gradsCommand from './commands/grads';
import * as inspectCommand from './commands/inspect';
import * as serveCommand from './commands/serve';
import * as trainCommand from './commands/train';
import { UsageError } from '../errors';
import { globalOptions, rejectRepeatedFlags } from './options';
import { ParseContext, unknownArgumentMessage } from './suggest';

/** The command modules, in the order --help lists them; each handler takes its own arguments' type, hence the cast. */
export const COMMANDS = [
  addCommand,
  evalCommand,
  gradsCommand,
  gradcheckCommand,
  gradflowCommand,
  inspectCommand,
  serveCommand,
  trainCommand,
] as unknown as CommandModule[];

export { UsageError };

/** The commands' names, as typed: `add <a> <b>` is add. */
const COMMAND_NAMES = COMMANDS.map((module) => String(module.command).split(' ')[0]);

/** yargs-parser's words for a flag given without its value, said with the flag as the user typed it. */
function usageMessage(message: string): string {
  const bare = /^Not enough arguments following: (\S+)$/.exec(message);
  return bare ? `--${bare[1]} needs a value (see --help)` : message;
}

/** Keeps what the strict check will see (the words given, the flags the command knows) for a "did you mean". */
function rememberContext(remember: (context: ParseContext) => void) {
  return (argv: Record<string, unknown>, parser?: Argv): void => {
    // yargs passes itself (its @types omit it); getOptions().key holds every flag of the command being parsed.
    const options = (parser as unknown as { getOptions(): { key: Record<string, unknown> } } | undefined)?.getOptions();
    const negated = Object.keys(argv).filter((key) => argv[key] === false);
    remember({ positionals: (argv._ as unknown[]).map(String), flags: Object.keys(options?.key ?? {}), negated });
  };
}

export interface ParserSetup {
  /** Where RNN_ADDER_BACKEND is read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Runs instead of a command's handler, with the command's name and its parsed arguments (tests). */
  dispatch?: (command: string, args: Record<string, unknown>) => void | Promise<void>;
}

/**
 * rnn-adder's parser: the commands, the global options, and one UsageError (thrown out of `parse`) for any
 * mistake in the command line. `args.backend` reaches a handler resolved: --backend, else RNN_ADDER_BACKEND,
 * else 'auto'.
 */
export function cliParser(setup: ParserSetup = {}): Argv {
  let context: ParseContext = { positionals: [], flags: [], negated: [] };
  const parser = yargs()
    .scriptName('rnn-adder')
    .usage('$0 <command> [options]\n\nA recurrent network that learns binary addition, trained by hand-derived BPTT.')
    .options(globalOptions)
    .middleware(rejectRepeatedFlags, true)
    .middleware(rememberContext((seen) => (context = seen)), true);
  COMMANDS.forEach((module, i) => {
    const { dispatch } = setup;
    parser.command(dispatch ? { ...module, handler: (args) => dispatch(COMMAND_NAMES[i], args) } : module);
  });
  return (
    parser
      .demandCommand(1, 'Name a command')
      .strict()
      // A bad RNN_ADDER_BACKEND is a usage error like a bad --backend, found before any work starts.
      .check((args) => {
        args.backend = backendChoice(args.backend as string | undefined, setup.env ?? process.env);
        return true;
      }, true)
      // Throwing stops yargs: a handler must not run after a usage error, and only one line may be printed.
      .fail((message, error) => {
        if (error) throw new UsageError(usageMessage(error.message));
        const line = unknownArgumentMessage(message, context, COMMAND_NAMES) ?? message.replace(/\s*\n\s*/g, ' ');
        throw new UsageError(`${line} (see --help)`);
      })
      .help()
      .alias('h', 'help')
      .version()
      .wrap(Math.min(100, process.stdout.columns ?? 100))
  );
}
