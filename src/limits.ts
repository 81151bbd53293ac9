// The largest sizes the commands accept, in one place: a flag and a number read from a model file get the same
// bound, checked before any work. Each is what finishes in about a minute, in bounded memory, on a shared 2-core
// machine (measured on wasm: docs/benchmarks.md, "Limits").
import { OptionError } from './errors';

/** Widest operands trained: T = 65 steps. */
export const MAX_TRAIN_BITS = 64;

/** Hidden units: H = 1,024 makes Ws a million weights (4 MB). */
export const MAX_HIDDEN = 1024;

/** Pairs per training minibatch: past a few thousand an adder learns nothing more per step, and memory grows with B·T·H. */
export const MAX_BATCH = 4096;

/** Training pairs before a run gives up (it shows its progress on a terminal meanwhile). */
export const MAX_TRAIN_SAMPLES = 100_000_000;

/** Widths up to this are evaluated on every pair; wider ones on a sample. */
export const EXHAUSTIVE_MAX_BITS = 10;

/** Widest width the commands evaluate or differentiate at: T = 1025 steps already takes a while per chunk. */
export const MAX_EVAL_BITS = 1024;

/** Random pairs of a sampled evaluation when the caller names no count (the carry-chain cases come on top). */
export const DEFAULT_SAMPLED_PAIRS = 10000;

/** Random pairs of a sampled evaluation, per width: `eval --samples 200000` took 71 s on a 16-bit adder. */
export const MAX_EVAL_SAMPLES = 100_000;

/** Pairs in one `grads --pairs` batch (a command line holds at most 128 KB per argument anyway). */
export const MAX_GRAD_PAIRS = 4096;

/** Decimal digits of one operand of `add`: 10,000 digits (33,220 steps) take 24 s, 20,000 took 125 s. */
export const MAX_OPERAND_DIGITS = 10_000;

/**
 * Pair-steps (pairs × time steps, summed over every width a command runs) that finish in about a minute at H ≤ 16:
 * `eval --samples 100000` on a 16-bit adder runs 13.2 million (16 bits, then 16, 32 and 64 for length
 * generalization) in ~35 s. A step costs (H/16)² more above H = 16, where the H×H product dominates.
 */
export const MAX_PAIR_STEPS = 20_000_000;

/** Refuses, before any work, a run of `pairSteps` pair-steps at hidden size H beyond MAX_PAIR_STEPS; `lower` names the
 * options, as `{samples} or {bits}` (src/errors.ts). */
export function checkPairSteps(pairSteps: number, hidden: number, lower: string): void {
  const work = pairSteps * Math.max(1, (hidden / 16) ** 2);
  if (work > MAX_PAIR_STEPS) {
    const millions = (n: number) => `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} million`;
    throw new OptionError(
      `that is ${millions(work)} pair-steps${hidden > 16 ? ` (scaled by (H/16)² for H = ${hidden})` : ''}, ` +
        `more than the ${millions(MAX_PAIR_STEPS)} that finish in about a minute: lower ${lower}`,
      'limit',
    );
  }
}

/**
 * Work of gradcheck's float64 finite differences: two losses per parameter (H² + 3H + 1 of them for Elman), each
 * B·T steps of H² + 3H multiply-adds plus ~256 operations of per-step overhead (fitted to the runs below). Measured on a
 * busy 2-core machine: H 64, 8 bits, batch 8 (2.8·10⁹) 68 s; H 16, 8 bits, batch 1024 (3.1·10⁹) 90 s; H 16,
 * 256 bits, batch 8 (0.7·10⁹, where the 257 sequential steps of the tensor engines add their own time) 23 s.
 */
export const MAX_GRADCHECK_WORK = 3e9;

/** Refuses a gradcheck whose finite differences would run past MAX_GRADCHECK_WORK. */
export function checkGradcheckWork(c: { gates: number; bits: number; hidden: number; batch: number }): void {
  const H = c.hidden;
  // A gated cell has G blocks of weights (G = 4 for lstm, 3 for gru), and each step computes all of them.
  const perStep = c.gates * (H * H + 3 * H);
  const work = 2 * (perStep + H + 1) * c.batch * (c.bits + 1) * (perStep + 256);
  if (work > MAX_GRADCHECK_WORK) {
    throw new OptionError(
      `{hidden} ${H} {bits} ${c.bits} {batch} ${c.batch} is ${work.toPrecision(2)} operations of finite differences, ` +
        `more than the ${MAX_GRADCHECK_WORK.toPrecision(1)} that finish in about a minute: lower one of them`,
      'limit',
    );
  }
}

/**
 * Hidden states a backward pass holds at once, batch × steps × H (with its caches, ~60 bytes each): `grads` on
 * 4,096 pairs at 1,024 bits with H 16 (67 million) took 206 s and 4 GB before wasm ran out of memory. 8 million
 * is ~0.5 GB; the training defaults hold 9,216.
 */
export const MAX_BPTT_STATES = 8_000_000;

/** Refuses a backward pass over batch × steps × hidden states beyond MAX_BPTT_STATES; `lower` names the
 * options, as `{batch} or {hidden}` (src/errors.ts). */
export function checkBpttStates(batch: number, steps: number, hidden: number, lower: string): void {
  const states = batch * steps * hidden;
  if (states > MAX_BPTT_STATES) {
    throw new OptionError(
      `${batch} × ${steps} steps × H ${hidden} is ${(states / 1e6).toFixed(1)} million hidden states for one backward pass, ` +
        `more than the ${MAX_BPTT_STATES / 1e6} million that fit in memory and finish in about a minute: lower ${lower}`,
      'limit',
    );
  }
}
