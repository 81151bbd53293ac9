// Option builders shared by the commands: validated values, so `--bits abc`, `--lr -1` or a bare `--bits` is one
// clear line. Every option that takes a value has requiresArg: without it yargs reads a bare flag as absent and
// silently uses the default.
import type { Options } from 'yargs';
import { UserError } from '../errors';
import { BACKEND_ENV, BACKENDS } from '../backend-choice';
import { CELLS } from '../engine/names';

function parseNumber(name: string, raw: unknown): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (Array.isArray(raw)) throw new UserError(`--${name} expects one number, got ${raw.length}: ${raw.join(', ')}`);
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

/** A string option limited to `choices`. */
export function choiceOption(describe: string, choices: readonly string[], defaultValue?: string): Options {
  return { describe, choices, ...(defaultValue === undefined ? {} : { default: defaultValue }), type: 'string', requiresArg: true };
}

/** `--cell`: the recurrent cell of the network to build. */
export const cellOption: Options = choiceOption('Recurrent cell: elman (the seeds\' network), lstm or gru', CELLS, 'elman');

/** Options every command takes. */
export const globalOptions: Record<string, Options> = {
  backend: choiceOption(`tfjs backend to use [default: $${BACKEND_ENV}, else auto: tensorflow > wasm > cpu]`, ['auto', ...BACKENDS]),
  json: { describe: 'Print one JSON object on stdout instead of text', type: 'boolean', default: false },
};
