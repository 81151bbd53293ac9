// Option builders shared by the commands: validated values, so `--bits abc`, `--lr -1` or a bare `--bits` is one
// clear line. Every option that takes a value has requiresArg: without it yargs reads a bare flag as absent and
// silently uses the default.
import type { Argv, Options } from 'yargs';
import { UsageError, UserError } from '../errors';
import { BACKEND_ENV, BACKENDS, CELLS } from '../names';

function parseNumber(name: string, raw: unknown): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (raw === '' || raw === true || !Number.isFinite(value)) {
    throw new UserError(`--${name} expects a number, got "${raw}"`);
  }
  return value;
}

/** An integer option within [min, max]. */
export function intOption(name: string, describe: string, range: { min: number; max?: number; default?: number }): Options {
  return {
    describe,
    // A `default: undefined` key would make yargs coerce undefined when the flag is absent.
    ...(range.default === undefined ? {} : { default: range.default }),
    // No yargs type: help would print [string] (or, with 'number', yargs turns "abc" into NaN before coerce sees it).
    requiresArg: true,
    coerce: (raw: unknown): number => {
      const value = parseNumber(name, raw);
      if (!Number.isInteger(value)) throw new UserError(`--${name} expects an integer, got "${raw}"`);
      if (value < range.min || (range.max !== undefined && value > range.max)) {
        const bound = range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${range.max}`;
        throw new UserError(`--${name} must be ${bound}, got ${value}`);
      }
      return value;
    },
  };
}

/** A real-valued option that must be > 0 (learning rates, clipping norms). */
export function positiveOption(name: string, describe: string, defaultValue?: number): Options {
  return {
    describe,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
    requiresArg: true,
    coerce: (raw: unknown): number => {
      const value = parseNumber(name, raw);
      if (value <= 0) throw new UserError(`--${name} must be greater than 0, got ${value}`);
      return value;
    },
  };
}

/** A real-valued option strictly between 0 and 1 (Adam's decay rates). */
export function unitIntervalOption(name: string, describe: string): Options {
  return {
    describe,
    requiresArg: true,
    coerce: (raw: unknown): number => {
      const value = parseNumber(name, raw);
      if (!(value > 0 && value < 1)) throw new UserError(`--${name} must be between 0 and 1 (both excluded), got ${value}`);
      return value;
    },
  };
}

/** A string option limited to `choices`. */
export function choiceOption(describe: string, choices: readonly string[], defaultValue?: string): Options {
  return { describe, choices, ...(defaultValue === undefined ? {} : { default: defaultValue }), type: 'string', requiresArg: true };
}

/** The names of a yargs command's operands: 'add <a> <b>' gives a and b. */
function operandNames(command: string): string[] {
  return [...command.matchAll(/[<[]([\w-]+)[\]>]/g)].map((m) => m[1]);
}

/**
 * Refuses a flag given more than once, before the coerce functions and the handlers see it, for every flag of
 * every command: yargs makes an array of it, which no option here takes (a string meets `.split` on an array, a
 * choice passes validation and fails later; boolean flags keep the last, harmlessly). Options declared as arrays
 * are exempt. Global middleware, run before validation.
 */
export function rejectRepeatedFlags(argv: Record<string, unknown>, parser?: Argv): void {
  // yargs passes itself (its @types omit it): its record of the command's options says which flags are arrays
  // (gradflow's --model), which may repeat.
  const arrays = (parser as unknown as { getOptions(): { array: string[] } } | undefined)?.getOptions().array ?? [];
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || !Array.isArray(value) || arrays.includes(key)) continue;
    const shown = value.map((v) => JSON.stringify(String(v))).join(', ');
    throw new UsageError(`--${key} is given ${value.length === 2 ? 'twice' : `${value.length} times`} (${shown}); give it once`);
  }
}

/**
 * Refuses a flag named like one of the command's operands (`add 1 2 --a 5`), which yargs would drop silently,
 * keeping the operand. Checked on the command line as given, since yargs' result no longer shows it.
 */
export function rejectOperandFlags(args: readonly string[], commands: readonly { command?: unknown }[]): void {
  const end = args.indexOf('--');
  const given = end < 0 ? args : args.slice(0, end);
  const command = commands.find((c) => String(c.command).split(' ')[0] === given.find((a) => !a.startsWith('-')));
  const flags = new Set(given.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]));
  const operand = operandNames(String(command?.command ?? '')).find((name) => flags.has(name));
  if (operand !== undefined) {
    throw new UsageError(`--${operand} is not a flag: ${operand} is an operand, given by its place (see --help)`);
  }
}

/**
 * yargs stops parsing at `--` and then never fills a command's operands from what follows (yargs issue #1732),
 * so `add -- 5 1` would miss both. When nothing after the `--` could be read as a flag (words, or numbers such as
 * -5, which yargs takes as operands), the `--` is dropped; otherwise the command line is left as it is.
 */
export function operandsAfterDoubleDash(args: readonly string[]): string[] {
  const end = args.indexOf('--');
  if (end < 0 || args.slice(end + 1).some((a) => a.startsWith('-') && !/^-\d/.test(a))) return [...args];
  return [...args.slice(0, end), ...args.slice(end + 1)];
}

/** `--cell`: the recurrent cell of the network to build. */
export const cellOption: Options = choiceOption('Recurrent cell: elman (Trask\'s numpy adder\'s network), lstm or gru', CELLS, 'elman');

/** Options every command takes. */
export const globalOptions: Record<string, Options> = {
  backend: choiceOption(`tfjs backend to use [default: $${BACKEND_ENV}, else auto: tensorflow > wasm > cpu]`, ['auto', ...BACKENDS]),
  json: { describe: 'Print one JSON object on stdout instead of text', type: 'boolean', default: false },
};
