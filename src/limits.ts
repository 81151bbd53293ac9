// The largest sizes the commands accept, in one place: a flag and a number read from a model file get the same
// bound, checked before any work. Each is what finishes in about a minute, in bounded memory, on a shared
// 2-core machine (measured: docs/benchmarks.md, "Limits").

/** Widest operands trained: T = 65 steps. */
export const MAX_TRAIN_BITS = 64;

/** Hidden units: H = 1,024 makes Ws a million weights (4 MB); a training step then takes ~0.2 s. */
export const MAX_HIDDEN = 1024;

/** Pairs per training minibatch: past a few thousand an adder learns nothing more per step, and memory grows with B·T·H. */
export const MAX_BATCH = 4096;

/** Training pairs before a run gives up: 10⁸ at batch 64 is over an hour even at 16 bits. */
export const MAX_TRAIN_SAMPLES = 100_000_000;

/** Random pairs of a sampled evaluation, per width (eval runs its width and three wider ones). */
export const MAX_EVAL_SAMPLES = 1_000_000;

/** Pairs in one `grads --pairs` batch. */
export const MAX_GRAD_PAIRS = 4096;

/** Decimal digits of one operand of `add`: 20,000 digits are 66,439 bits, that many sequential steps. */
export const MAX_OPERAND_DIGITS = 20_000;
