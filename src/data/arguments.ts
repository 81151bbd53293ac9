// The checks of the API's arguments, for callers that no type system or CLI guards (plain JavaScript): each names
// the option (`bits`, `samples`: src/errors.ts words it as a flag for the CLI) and what arrived, before any work.
// The bounds are the CLI's (src/limits.ts), so a call cannot do what the command refuses.
import { OptionError, UserErrorCode } from '../errors';
import { MAX_OPERAND_DIGITS } from '../limits';

/** What arrived, in a few words: never the whole of a huge value. */
export function described(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'bigint') {
    // Hexadecimal is linear in the size, decimal is not: a million-digit bigint is described in microseconds.
    const hexDigits = value.toString(16).length;
    return hexDigits > 16 ? `a bigint of about ${Math.round(hexDigits * Math.log10(16)).toLocaleString('en')} digits` : `${value}n`;
  }
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value}`;
}

/** An integer from min to max; above a limit of src/limits.ts the error's code is `limit`. */
export function checkInteger(value: unknown, option: string, min: number, max: number, code: UserErrorCode = 'option'): asserts value is number {
  const range = max === Infinity ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new OptionError(`{${option}} must be ${range}, got ${described(value)}`);
  }
  if (value > max) throw new OptionError(`{${option}} must be ${range}, got ${described(value)}`, code);
}

export function checkChoice<T extends string>(value: unknown, option: string, choices: readonly T[]): asserts value is T {
  if (!(choices as readonly unknown[]).includes(value)) {
    throw new OptionError(`{${option}} must be one of ${choices.join(', ')}, got ${described(value)}`);
  }
}

export function checkBoolean(value: unknown, option: string): asserts value is boolean {
  if (typeof value !== 'boolean') throw new OptionError(`{${option}} must be true or false, got ${described(value)}`);
}

/** An options argument: absent, or a plain object. */
export function checkOptionsObject(value: unknown, option: string): asserts value is Record<string, unknown> | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new OptionError(`{${option}} must be an object of options, got ${described(value)}`);
  }
}

/** A random generator: a function returning numbers in [0, 1), as seededRng gives. */
export function checkRng(value: unknown, option: string): asserts value is () => number {
  if (typeof value !== 'function') throw new OptionError(`{${option}} must be a random generator (seededRng(seed)), got ${described(value)}`);
}

/** A non-empty path without NUL characters (which no file system takes). */
export function checkPath(value: unknown, option: string): asserts value is string {
  if (typeof value !== 'string' || value === '' || value.includes('\0')) {
    throw new OptionError(`{${option}} must be a directory path, got ${described(value)}`);
  }
}

/** The first operand with more than MAX_OPERAND_DIGITS digits. */
const OPERAND_BOUND = 10n ** BigInt(MAX_OPERAND_DIGITS);
/** Bits of the widest operand: 10^MAX_OPERAND_DIGITS − 1 needs 33,220. */
export const MAX_OPERAND_BITS = OPERAND_BOUND.toString(2).length;

/** A non-negative integer operand of at most MAX_OPERAND_DIGITS decimal digits: a safe integer or a bigint. */
export function checkOperand(value: unknown, option: string): asserts value is number | bigint {
  const expected = `a non-negative integer (a safe number or a bigint of at most ${MAX_OPERAND_DIGITS.toLocaleString('en')} digits)`;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return;
  if (typeof value !== 'bigint' || value < 0n) throw new OptionError(`{${option}} must be ${expected}, got ${described(value)}`);
  if (value >= OPERAND_BOUND) throw new OptionError(`{${option}} must be ${expected}, got ${described(value)}`, 'limit');
}

/** An array of at most `max` elements. */
export function checkArray(value: unknown, option: string, max: number): asserts value is unknown[] {
  if (!Array.isArray(value)) throw new OptionError(`{${option}} must be an array, got ${described(value)}`);
  if (value.length > max) throw new OptionError(`{${option}} must hold at most ${max} elements, got ${described(value)}`, 'limit');
}
