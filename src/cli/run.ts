// The one place where a command meets the process: backend set-up, output, and errors as one line on stderr.
// Nothing here loads tfjs: a command's work, and tfjs with it, is imported only when the command runs.
import type { BackendChoice, BackendName } from '../names';
import { asFlag, messageFor, UsageError } from '../errors';
import { USAGE_EXIT } from './exit-codes';

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

/**
 * Output that cannot be written ends the command's talking, not its work (a model being saved is still saved
 * whole): a reader that closed the pipe (`| head`) is normal and goes unmentioned; anything else, such as a full
 * disk, is one line on stderr and exit 1. Without a listener Node throws the write error as a stack trace.
 */
export function handleOutputErrors(): void {
  let reported = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || reported) return;
    reported = true;
    reportError(new Error(`cannot write the output: ${error.code ?? error.message}`));
  });
  // Nowhere left to say anything about stderr itself.
  process.stderr.on('error', () => undefined);
}

/** One line for any error: its message, options named as flags, never a stack trace. */
export function reportError(error: unknown, exitCode = 1): void {
  const message = messageFor(error, asFlag);
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
      reportError(error, error instanceof UsageError ? USAGE_EXIT : 1);
    }
  };
}
