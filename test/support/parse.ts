// The rnn-adder command line parsed in-process, as the binary parses it but without running the command: what a
// handler would receive, the text yargs would print (--help, --version), or the usage error (exit 2) it refuses with.
import { cliParser, UsageError } from '../../src/cli/parser';

export interface ParseResult {
  /** The command whose handler would run, and the arguments it would get. */
  command?: string;
  args?: Record<string, unknown>;
  /** What yargs printed instead of running a command (--help, --version). */
  output: string;
  /** The one line of a usage error, after "rnn-adder: ". */
  usage?: string;
}

/** Parses `argv` with RNN_ADDER_BACKEND read from `env` (none by default, whatever the suite runs with). */
export async function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<ParseResult> {
  const result: ParseResult = { output: '' };
  const parser = cliParser({
    env,
    dispatch: (command, args) => {
      Object.assign(result, { command, args });
    },
  }).exitProcess(false);
  try {
    // With a callback, yargs hands over what it would print instead of printing it.
    await parser.parseAsync(argv, {}, (_error, _args, output) => {
      result.output = output;
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    result.usage = error.message;
  }
  return result;
}
