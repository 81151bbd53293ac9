// Training one minibatch at a time, for the page's Step / Play: the loop's own parts (the adder's sampler, the
// tensor engine's gradient step, global-norm clipping, the optimizer, the divergence check) driven from outside,
// so that the forward and backward views of an addition can be redrawn between two updates.
import { CellName, OptimizerName } from '../names';
import { LossName } from '../engine/loss';
import { initParams, ParamName, Params } from '../engine/params';
import { batchSampler } from '../tasks/add';
import { clipGlobalNorm } from '../train/clip';
import { flatLayout, FlatLayout, paramsFromFlat, readFlat } from '../train/flat';
import { gradientStep } from '../train/gradient-step';
import { divergence } from '../train/loop';
import { createOptimizer, Optimizer } from '../train/optimizers';

export interface SteppingConfig {
  cell: CellName;
  bits: number;
  hidden: number;
  batch: number;
  optimizer: OptimizerName;
  lr: number;
  seed: number;
  loss: LossName;
  /** Global-norm clipping threshold c (train --clip); none when absent. */
  clip?: number;
}

export interface StepRecord {
  /** Updates made so far, this one included. */
  step: number;
  /** The batch loss (L) before this update. */
  loss: number;
  /** ‖g‖ of the whole gradient before clipping, and of each parameter's part. */
  gradNorm: number;
  norms: Partial<Record<ParamName, number>>;
  /** True when clipping scaled this step's gradient down to `clip`. */
  clipped: boolean;
  /** ‖Δθ‖, how far the update moved the weights. */
  update: number;
  /** Why the weights have diverged after this update, when they have: training stops. */
  diverged?: string;
}

/**
 * The exploding-update preset, `train --bits 16 --optimizer sgd --lr 100000 --clip 0.00002`: 16-bit additions
 * (T = 17) at a rate that turns a gradient of norm ~0.1 into a step of ~10⁴. Without clipping the first steps
 * saturate every unit and the run never recovers; clipped to 2e-5, every step is at most 2 long and the adder
 * trains (docs/bptt.md, "Exploding gradients and clipping").
 */
export const EXPLODING_PRESET: SteppingConfig = {
  cell: 'elman', bits: 16, hidden: 16, batch: 64, optimizer: 'sgd', lr: 100_000, seed: 0, loss: 'mse', clip: 0.00002,
};

/** ‖part‖ of each parameter's slice of a flat gradient. */
function partNorms(grads: Float32Array, layout: FlatLayout): Partial<Record<ParamName, number>> {
  return Object.fromEntries(
    layout.names.map((name, i) => {
      const end = i + 1 < layout.names.length ? layout.offsets[i + 1] : layout.size;
      let sum = 0;
      for (let j = layout.offsets[i]; j < end; j++) sum += grads[j] * grads[j];
      return [name, Math.sqrt(sum)];
    }),
  );
}

/**
 * The weights and the optimizer's state of one run, one update per `step()`.
 * @example
 *   const run = new SteppingTrainer({ ...EXPLODING_PRESET, clip: undefined });
 *   run.step().gradNorm; // ‖g‖ of the first minibatch, before the update
 */
export class SteppingTrainer {
  readonly layout: FlatLayout;
  private readonly weights: Float32Array;
  private readonly grads: Float32Array;
  private readonly before: Float32Array;
  private readonly optimizer: Optimizer;
  private readonly nextBatch: ReturnType<typeof batchSampler>;
  private steps = 0;
  private stopped?: string;

  constructor(readonly config: SteppingConfig) {
    const net = { cell: config.cell, hidden: config.hidden, bias: true };
    this.layout = flatLayout(net);
    const initial = initParams(net, config.seed);
    try {
      this.weights = readFlat(initial, this.layout, new Float32Array(this.layout.size));
    } finally {
      Object.values(initial).forEach((t) => t.dispose());
    }
    this.grads = new Float32Array(this.layout.size);
    this.before = new Float32Array(this.layout.size);
    this.optimizer = createOptimizer(config.optimizer, config.lr, this.layout.size);
    this.nextBatch = batchSampler(config.bits, config.batch, config.seed);
  }

  get updates(): number {
    return this.steps;
  }

  /** Why the run stopped (it diverged), or undefined while it can go on. */
  get diverged(): string | undefined {
    return this.stopped;
  }

  /** The current weights as tensors; the caller disposes them. */
  params(): Params {
    return paramsFromFlat(this.weights, this.layout);
  }

  /** One minibatch: its loss and gradient (the tensor engine), clipping when set, the update. */
  step(): StepRecord {
    if (this.stopped) throw new Error(`the run has diverged (${this.stopped}): reset it`);
    const readout = gradientStep('bptt', this.weights, this.layout, this.nextBatch(), this.config.loss, this.grads);
    let loss: number;
    try {
      loss = readout.loss();
    } finally {
      readout.dispose();
    }
    const norms = partNorms(this.grads, this.layout);
    const { clip } = this.config;
    const gradNorm = clip === undefined ? Math.hypot(...Object.values(norms)) : clipGlobalNorm(this.grads, clip);
    this.before.set(this.weights);
    this.optimizer.step(this.weights, this.grads);
    let moved = 0;
    for (let i = 0; i < this.weights.length; i++) moved += (this.weights[i] - this.before[i]) ** 2;
    this.steps++;
    this.stopped = divergence(this.weights);
    const clipped = clip !== undefined && gradNorm > clip;
    return { step: this.steps, loss, gradNorm, norms, clipped, update: Math.sqrt(moved), ...(this.stopped && { diverged: this.stopped }) };
  }
}
