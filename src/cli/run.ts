// The one place where a command meets the process: backend set-up, output, and errors as one line on stderr.
// Nothing here loads tfjs: a command's work, and tfjs with it, is imported only when the command runs.
import type { BackendChoice, BackendName } from '../backend-choice';

export interface CommonArgs {
  /** Resolved by the parser from --backend, else RNN_ADDER_BACKEND, else auto. */
  backend?: BackendChoice;
  json?: boolean;
}

/** A command's work, in its own module under actions/: it runs with tfjs set up on `backend`. */
export type Action<A extends CommonArgs> = (args: A, backend: BackendName) => Promise<void> | void;

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

/**
 * A yargs handler that imports the command's action only when it runs, initialises the backend the parser
 * resolved, and turns any failure into one line.
 */
export function lazyHandler<A extends CommonArgs>(load: () => Promise<{ run: Action<A> }>): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      const [{ run }, { initBackend }] = await Promise.all([load(), import('../backend')]);
      await run(args, await initBackend(args.backend));
    } catch (error) {
      reportError(error);
    }
  };
}
