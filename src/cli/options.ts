// Option builders shared by the commands: validated numbers, so `--bits abc` or `--lr -1` is one clear line.
import type { Options } from 'yargs';
import { UserError } from '../errors';
import { BACKENDS } from '../backend';

function parseNumber(name: string, raw: unknown): number {
  const value = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (raw === '' || raw === true || Array.isArray(raw) || !Number.isFinite(value)) {
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
    type: 'string',
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
    type: 'string',
    coerce: (raw: unknown): number => {
      const value = parseNumber(name, raw);
      if (value <= 0) throw new UserError(`--${name} must be greater than 0, got ${value}`);
      return value;
    },
  };
}

/** Options every command takes. */
export const globalOptions: Record<string, Options> = {
  backend: {
    describe: 'tfjs backend to use (auto picks tensorflow > wasm > cpu)',
    choices: ['auto', ...BACKENDS],
    default: 'auto',
    type: 'string',
  },
  json: { describe: 'Print one JSON object on stdout instead of text', type: 'boolean', default: false },
};
