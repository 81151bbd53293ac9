// The one place where a command meets the process: backend set-up, output, and errors as one line on stderr.
import { initBackend, BackendName } from '../backend';
import { UsageError } from '../errors';

export interface CommonArgs {
  backend?: string;
  json?: boolean;
}

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
      reportError(error, error instanceof UsageError ? 2 : 1);
    }
  };
}
