// What a training run takes, and the defaults per width (measured: docs/benchmarks.md).
import { LossName } from '../engine/loss';
import { UserError } from '../errors';
import { CellName, InitName } from '../engine/params';
import { checkBpttStates, MAX_BATCH, MAX_HIDDEN, MAX_TRAIN_BITS, MAX_TRAIN_SAMPLES } from '../limits';

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export const ENGINES = ['fused', 'bptt', 'autodiff'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface TrainConfig {
  /** Operand width: sequences of bits + 1 steps. */
  bits: number;
  cell: CellName;
  hidden: number;
  /** false drops bs and by (the network of Trask's numpy adder). */
  bias: boolean;
  init: InitName;
  loss: LossName;
  optimizer: OptimizerName;
  /** Learning rate. */
  lr: number;
  /** Pairs per minibatch; 1 is Trask's per-sample SGD. */
  batch: number;
  /** Global-norm clipping threshold: the gradient is scaled down to this norm when longer. */
  clip?: number;
  /**
   * Gradients by the fused kernel (the hand-derived BPTT in one WebAssembly call), the hand-derived BPTT on
   * tensors, or tf.grad through the engine's forward pass.
   */
  engine: EngineName;
  /** Seeds the initial weights and the training pairs: same seed and backend, same weights. */
  seed: number;
  /** Training pairs after which a run that is not exact yet gives up. */
  maxSamples: number;
}

/**
 * Learning rates that reached an exact 8- and 16-bit adder in the fewest steps at batch 64 (docs/benchmarks.md,
 * scripts/sweep.ts). The loss is a mean over the T = bits + 1 steps; sgd's 16 is about Trask's lr 2.0 on his
 * loss summed over the 9 steps of 8 bits, and does as well at 16 bits, where twice that takes 2-3 times the steps.
 */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = { adam: 0.1, momentum: 5, sgd: 16 };

/** The cells that have a fused kernel (src/engine/fused/). */
export const FUSED_CELLS: readonly CellName[] = ['elman'];

/** The engine a cell trains on when none is named: the fused kernel where the cell has one, its tensor engine otherwise. */
export function defaultEngine(cell: CellName): EngineName {
  return FUSED_CELLS.includes(cell) ? 'fused' : 'bptt';
}

/** The defaults of `rnn-adder train --bits N [--cell C]`. */
export function defaultConfig(bits: number, optimizer: OptimizerName = 'adam', cell: CellName = 'elman'): TrainConfig {
  return {
    bits,
    cell,
    hidden: 16,
    bias: true,
    init: 'uniform',
    loss: 'mse',
    optimizer,
    lr: DEFAULT_LEARNING_RATES[optimizer],
    batch: 64,
    engine: defaultEngine(cell),
    seed: 0,
    maxSamples: 2_000_000,
  };
}

/** Rejects a configuration that cannot train, with the flag to fix. */
export function checkConfig(c: TrainConfig): void {
  const checkInteger = (value: number, min: number, flag: string, max = Infinity) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Infinity ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
      throw new UserError(`--${flag} must be ${range}, got ${value}`);
    }
  };
  checkInteger(c.bits, 1, 'bits', MAX_TRAIN_BITS);
  if (c.engine === 'fused' && !FUSED_CELLS.includes(c.cell)) {
    throw new UserError(`--engine fused has a kernel for the ${FUSED_CELLS.join(', ')} cell only: train ${c.cell} with --engine bptt or autodiff`);
  }
  checkInteger(c.hidden, 1, 'hidden', MAX_HIDDEN);
  checkInteger(c.batch, 1, 'batch', MAX_BATCH);
  checkInteger(c.seed, 0, 'seed');
  checkInteger(c.maxSamples, 1, 'max-samples', MAX_TRAIN_SAMPLES);
  checkBpttStates(c.batch, c.bits + 1, c.hidden, '--batch, --bits or --hidden');
  if (!(c.lr > 0 && Number.isFinite(c.lr))) throw new UserError(`--lr must be a number greater than 0, got ${c.lr}`);
  if (c.clip !== undefined && !(c.clip > 0 && Number.isFinite(c.clip))) {
    throw new UserError(`--clip must be a number greater than 0, got ${c.clip}`);
  }
}
