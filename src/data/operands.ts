// Operands as the user types them: non-negative integers of any size in plain decimal digits, alone
// (`add 200 55`) or as a list of pairs (`--pairs "3+5,200+55"`). Anything else is refused with the reason.
import { bitLength } from './bits';
import { OptionError, UserError } from '../errors';
import { described } from './arguments';
import { MAX_GRAD_PAIRS, MAX_OPERAND_DIGITS } from '../limits';

/** A non-negative decimal integer of any size; `what` names it in the error ("the first operand"). */
export function parseOperand(text: string, what: string): bigint {
  if (typeof what !== 'string') throw new OptionError(`{what} must name the operand (a string), got ${described(what)}`);
  if (typeof text !== 'string') throw new OptionError(`{text} must be a string of decimal digits, got ${described(text)}`);
  const s = text.trim();
  if (s.length > MAX_OPERAND_DIGITS) {
    throw new UserError(`${what} is ${s.length.toLocaleString("en")} characters long; operands have at most ${MAX_OPERAND_DIGITS.toLocaleString("en")} digits`);
  }
  if (/^\d+$/.test(s)) return BigInt(s);
  // −0 is zero, not a negative number.
  if (/^-0+$/.test(s)) return 0n;
  const shown = JSON.stringify(text);
  if (s === '') throw new UserError(`${what} is empty: expected a non-negative integer`);
  if (/^-\s*[\d.]/.test(s)) throw new UserError(`${what} must be non-negative, got ${shown}`);
  if (/^\+?\d*\.\d+$|^\+?\d+\.\d*$/.test(s)) throw new UserError(`${what} must be a whole number, got ${shown}`);
  if (/^\+?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(s)) {
    throw new UserError(`${what} must be written out in decimal digits, not as an exponent: got ${shown}`);
  }
  throw new UserError(`${what} must be a non-negative integer in decimal digits, got ${shown}`);
}

export interface OperandPairs {
  a: bigint[];
  b: bigint[];
}

/** "3+5, 200+55" → a = [3, 200], b = [5, 55]. */
export function parsePairs(text: string): OperandPairs {
  if (typeof text !== 'string') throw new OptionError(`{text} must be a string of pairs like "3+5,200+55", got ${described(text)}`);
  const items = text.split(',').map((item) => item.trim());
  if (items.length === 1 && items[0] === '') throw new UserError('--pairs is empty: expected pairs like "3+5,200+55"');
  if (items.length > MAX_GRAD_PAIRS) {
    throw new UserError(`--pairs lists ${items.length.toLocaleString('en')} pairs; at most ${MAX_GRAD_PAIRS.toLocaleString('en')} make one batch`);
  }
  const pairs: OperandPairs = { a: [], b: [] };
  items.forEach((item, i) => {
    const parts = item.split('+');
    if (parts.length !== 2) {
      throw new UserError(`pair ${i + 1} of --pairs is ${JSON.stringify(item)}: expected A+B, as in "3+5,200+55"`);
    }
    pairs.a.push(parseOperand(parts[0], `the left operand of pair ${i + 1} (${JSON.stringify(item)})`));
    pairs.b.push(parseOperand(parts[1], `the right operand of pair ${i + 1} (${JSON.stringify(item)})`));
  });
  return pairs;
}

/** Bits an addition needs: the wider operand's length, at least 1 (so 0 + 0 is one bit and a carry step). */
export function widthOf(a: bigint, b: bigint): number {
  return Math.max(1, bitLength(a), bitLength(b));
}

/** Refuses operands wider than `bits`, naming the first one that does not fit. */
export function checkFits(pairs: OperandPairs, bits: number): void {
  for (const v of [...pairs.a, ...pairs.b]) {
    if (bitLength(v) > bits) {
      throw new UserError(`operand ${v} needs ${bitLength(v)} bits, more than --bits ${bits} (T = ${bits + 1} steps)`);
    }
  }
}
