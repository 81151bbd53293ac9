// Numbers <-> bit sequences, least significant bit first (docs/model-format.md, "Conventions").
// An n-bit adder reads T = n+1 steps: the last step has both inputs 0 and the carry-out as target.
import { SequenceBatch } from './sequences';

/** A non-negative integer: a number (exact below 2^53) or a bigint of any size. */
export type Operand = number | bigint;

export function stepsFor(bits: number): number {
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

export function encodePairs(a: readonly Operand[], b: readonly Operand[], steps: number): EncodedBatch {
  if (a.length !== b.length) throw new Error(`encodePairs: ${a.length} left operands but ${b.length} right`);
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
  let v = 0n;
  for (let t = steps - 1; t >= 0; t--) v = (v << 1n) | (probs[offset + t] > 0.5 ? 1n : 0n);
  return v;
}
