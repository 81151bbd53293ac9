// The --model option of the commands that run a saved adder, and the shipped adder `add` uses without one.
import * as path from 'path';
import type { Options } from 'yargs';

/** The shipped 16-bit adder, found from this file (dist/src/cli) so that `add` works from any directory. */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');

export function modelOption(describe: string, required: boolean): Options {
  return { describe, type: 'string', requiresArg: true, demandOption: required };
}
