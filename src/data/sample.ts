// Operand pairs for training and evaluation: seeded random samples, exhaustive sets, carry-chain edge cases.
import seedrandom from 'seedrandom';
import { MAX_PAIR_STEPS } from '../limits';
import { checkInteger, checkRng, MAX_OPERAND_BITS } from './arguments';
import { Operand } from './bits';

export type Rng = () => number;

/** A reproducible uniform [0, 1) generator: the same seed gives the same stream on every machine. */
export function seededRng(seed: number): Rng {
  // Negative seeds are the package's own streams apart from the weights' (−(seed + 1): the pairs).
  checkInteger(seed, 'seed', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return seedrandom.alea(String(seed));
}

export interface Pairs {
  a: Operand[];
  b: Operand[];
}

/** Uniform in [0, 2^bits): a number below 2^53, a bigint above (built from 32-bit draws). */
export function randomOperand(rng: Rng, bits: number): Operand {
  if (bits <= 32) return Math.floor(rng() * 2 ** bits);
  let v = 0n;
  for (let done = 0; done < bits; done += 32) {
    const take = Math.min(32, bits - done);
    v = (v << BigInt(take)) | BigInt(Math.floor(rng() * 2 ** take));
  }
  return bits <= 52 ? Number(v) : v;
}

export function randomPairs(rng: Rng, bits: number, count: number): Pairs {
  checkRng(rng, 'rng');
  checkInteger(bits, 'bits', 1, MAX_OPERAND_BITS, 'limit');
  checkInteger(count, 'count', 0, Math.floor(MAX_PAIR_STEPS / (bits + 1)), 'limit');
  const a: Operand[] = new Array(count);
  const b: Operand[] = new Array(count);
  for (let i = 0; i < count; i++) {
    a[i] = randomOperand(rng, bits);
    b[i] = randomOperand(rng, bits);
  }
  return { a, b };
}

/** The widest exhaustive list: 4^10 = 1,048,576 pairs (wider widths are scored by shared prefixes, or sampled). */
export const MAX_EXHAUSTIVE_LIST_BITS = 10;

/** Every pair of bits-wide operands: 4^bits of them (65,536 for 8 bits). */
export function exhaustivePairs(bits: number): Pairs {
  checkInteger(bits, 'bits', 1, MAX_EXHAUSTIVE_LIST_BITS, 'limit');
  const n = 2 ** bits;
  const a: Operand[] = new Array(n * n);
  const b: Operand[] = new Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      a[i * n + j] = i;
      b[i * n + j] = j;
    }
  }
  return { a, b };
}

/** `count` seeded random pairs with the carry-chain cases on top: how a width too wide to list is measured. */
export function sampleWithCarryChains(rng: Rng, bits: number, count: number): Pairs {
  const sample = randomPairs(rng, bits, count);
  const edges = carryChainPairs(bits);
  return { a: [...sample.a, ...edges.a], b: [...sample.b, ...edges.b] };
}

/**
 * Pairs that stress the carry chain: a carry rippling through every bit (all ones + 1, max + max),
 * alternating bits that never carry or always do, and single bits at the top.
 */
export function carryChainPairs(bits: number): Pairs {
  checkInteger(bits, 'bits', 1, MAX_OPERAND_BITS, 'limit');
  const big = bits > 52;
  const lift = (v: bigint): Operand => (big ? v : Number(v));
  const max = (1n << BigInt(bits)) - 1n;
  let alt = 0n;
  for (let i = 0; i < bits; i += 2) alt |= 1n << BigInt(i);
  const altHigh = max ^ alt;
  const top = 1n << BigInt(bits - 1);
  const cases: [bigint, bigint][] = [
    [0n, 0n], [max, 0n], [0n, max], [max, 1n], [1n, max], [max, max],
    [alt, altHigh], [altHigh, alt], [alt, alt], [altHigh, altHigh],
    [top, top], [top - 1n, 1n], [max >> 1n, (max >> 1n) + 1n], [max - 1n, 1n],
  ];
  return { a: cases.map(([a]) => lift(a)), b: cases.map(([, b]) => lift(b)) };
}
