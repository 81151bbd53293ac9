// The one place where a command meets the process: backend set-up, output, and errors as one line on stderr.
import { initBackend, BackendName } from '../backend';

export interface CommonArgs {
  backend?: string;
  json?: boolean;
}

/** Prints a result: one JSON object with --json, otherwise the command's text. */
export function emit(args: CommonArgs, result: object, text: () => string): void {
  process.stdout.write(args.json ? JSON.stringify(result) + '\n' : text() + '\n');
}

/** One line for any error: its message, never a stack trace. */
export function reportError(error: unknown, exitCode = 1): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rnn-adder: ${message.split('\n')[0]}\n`);
  process.exitCode = exitCode;
}

/** Wraps a command handler: initialises the backend it asked for and turns any failure into one line. */
export function handler<A extends CommonArgs>(
  body: (args: A, backend: BackendName) => Promise<void> | void,
): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      await body(args, await initBackend(args.backend));
    } catch (error) {
      reportError(error);
    }
  };
}
