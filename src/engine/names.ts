// The names the engine's options take, kept apart from the tensor code so that the CLI can offer them (in --help
// and in its checks) without loading tfjs.

/** The recurrent cells: Elman (the numpy adders' network), LSTM and GRU (docs/lstm.md, docs/gru.md). */
export const CELLS = ['elman', 'lstm', 'gru'] as const;
export type CellName = (typeof CELLS)[number];

/** The losses (L) of docs/bptt.md: ½(y−ŷ)² and cross-entropy. */
export const LOSSES = ['mse', 'bce'] as const;
export type LossName = (typeof LOSSES)[number];

/**
 * Initial weights: uniform(−1, 1) as Trask's numpy adder, glorot, or chrono (LSTM only: glorot weights, and gate
 * biases that set the forget gate's time scale to the task's lag, Tallec & Ollivier 2018; src/train/chrono.ts).
 */
export const INITS = ['uniform', 'glorot', 'chrono'] as const;
export type InitName = (typeof INITS)[number];
