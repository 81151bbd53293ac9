// How far the evaluations go: numbers the CLI shows in --help and checks its flags against, without loading tfjs.

/** Widths up to this are evaluated on every pair; wider ones on a sample. */
export const EXHAUSTIVE_MAX_BITS = 10;
/** Widest width the commands evaluate or differentiate at: T = 1025 steps already takes a while per chunk. */
export const MAX_EVAL_BITS = 1024;
/** Random pairs of a sampled evaluation when the caller names no count (the carry-chain cases come on top). */
export const DEFAULT_SAMPLED_PAIRS = 10000;
