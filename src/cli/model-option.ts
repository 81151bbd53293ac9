// The --model option of the commands that run a saved adder.
import type { Options } from 'yargs';

export function modelOption(describe: string, required: boolean): Options {
  return { describe, type: 'string', requiresArg: true, demandOption: required };
}
