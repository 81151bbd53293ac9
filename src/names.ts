// The names the options take, in one place: cells, losses, initialisations, optimizers, engines, tasks, backends.
// Free of tfjs and of every other module, so that the CLI offers them in --help and checks its flags against them
// in Node's start-up time; the engine, the loop and the loader read them from here.

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

/** The update rules (src/train/optimizers.ts). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * Where the gradient comes from: the fused kernel (the hand-derived BPTT in one WebAssembly call), the
 * hand-derived BPTT on tensors, or tf.grad through the engine's forward pass.
 */
export const ENGINES = ['fused', 'bptt', 'autodiff'] as const;
export type EngineName = (typeof ENGINES)[number];

/** The tasks a network is trained on (`--task`): binary addition, the echo of a bit stream, the adding problem. */
export const TASKS = ['add', 'echo', 'adding-problem'] as const;
export type TaskName = (typeof TASKS)[number];

/** The tfjs backends, fastest first (src/backend.ts). */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

/** The environment variable that picks the backend when no `--backend` is given. */
export const BACKEND_ENV = 'RNN_ADDER_BACKEND';
