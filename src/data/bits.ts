// Numbers <-> bit sequences, least significant bit first (docs/model-format.md, "Conventions").
// An n-bit adder reads T = n+1 steps: the last step has both inputs 0 and the carry-out as target.
import { MAX_PAIR_STEPS } from '../limits';
import { checkArray, checkInteger, checkOperand, described, MAX_OPERAND_BITS } from './arguments';
import { OptionError } from '../errors';
import { SequenceBatch } from './sequences';

/** A non-negative integer: a number (exact below 2^53) or a bigint of any size. */
export type Operand = number | bigint;

export function stepsFor(bits: number): number {
  checkInteger(bits, 'bits', 1, MAX_OPERAND_BITS, 'limit');
  return bits + 1;
}

/** Bit t of v (t = 0 is the least significant). */
export function bitAt(v: Operand, t: number): number {
  if (typeof v === 'bigint') return Number((v >> BigInt(t)) & 1n);
  // A 32-bit shift where it is exact: this runs for every bit encoded or checked.
  return v < 0x80000000 && t < 31 ? (v >> t) & 1 : Math.floor(v / 2 ** t) % 2;
}

/** How many bits v needs (0 needs 0). */
export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

export function sumOf(a: Operand, b: Operand): Operand {
  return typeof a === 'bigint' || typeof b === 'bigint' ? BigInt(a) + BigInt(b) : a + b;
}

/** A batch of additions: x is [B, T, 2] (bit_t(a), bit_t(b)), y is [B, T, 1] (bit_t(a+b)), a loss at every step. */
export interface EncodedBatch extends SequenceBatch {
  inputs: 2;
}

/** Pair-steps one call encodes (x and y: 12 bytes each): past it the arrays would not fit in memory. */
const MAX_ENCODED_PAIR_STEPS = 4 * MAX_PAIR_STEPS;

export function encodePairs(a: readonly Operand[], b: readonly Operand[], steps: number): EncodedBatch {
  checkArray(a, 'a', MAX_ENCODED_PAIR_STEPS);
  checkArray(b, 'b', MAX_ENCODED_PAIR_STEPS);
  if (a.length !== b.length) throw new OptionError(`{a} and {b} must hold as many operands, got ${a.length} and ${b.length}`);
  checkInteger(steps, 'steps', 1, MAX_OPERAND_BITS + 1, 'limit');
  if (a.length * steps > MAX_ENCODED_PAIR_STEPS) {
    throw new OptionError(`{a} × {steps} is ${a.length * steps} pair-steps, more than the ${MAX_ENCODED_PAIR_STEPS} one batch can hold`, 'limit');
  }
  for (const v of a) checkOperand(v, 'a');
  for (const v of b) checkOperand(v, 'b');
  const batch = a.length;
  const x = new Float32Array(batch * steps * 2);
  const y = new Float32Array(batch * steps);
  for (let i = 0; i < batch; i++) {
    const sum = sumOf(a[i], b[i]);
    for (let t = 0; t < steps; t++) {
      x[(i * steps + t) * 2] = bitAt(a[i], t);
      x[(i * steps + t) * 2 + 1] = bitAt(b[i], t);
      y[i * steps + t] = bitAt(sum, t);
    }
  }
  return { batch, steps, inputs: 2, x, y };
}

/** Reads one sequence of output probabilities (LSB first) as a number: a bit is set where p > 0.5. */
export function decodeBits(probs: ArrayLike<number>, offset: number, steps: number): bigint {
  if (typeof probs !== 'object' || probs === null || typeof probs.length !== 'number') {
    throw new OptionError(`{probs} must be an array of probabilities, got ${described(probs)}`);
  }
  checkInteger(offset, 'offset', 0, probs.length);
  checkInteger(steps, 'steps', 0, probs.length - offset);
  let v = 0n;
  for (let t = steps - 1; t >= 0; t--) v = (v << 1n) | (probs[offset + t] > 0.5 ? 1n : 0n);
  return v;
}
