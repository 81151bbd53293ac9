// The training loop: sampler → gradient (hand BPTT or tf.grad) → clipping → optimizer, with the free
// exactness check on every batch and the full check when it passes; stops when exact, when the loss has stopped
// falling (src/train/stall.ts), or at maxSamples.
import { Accuracy } from '../eval/accuracy';
import { UserError } from '../errors';
import { disposeParams, initParams, Params } from '../engine/params';
import { clipGlobalNorm } from './clip';
import { checkConfig, TrainConfig } from './config';
import { CheckSchedule, fullCheck, preCheckPasses, rightSums } from './exactness';
import { flatLayout, paramsFromFlat, readFlat } from './flat';
import { gradientStep } from './gradient-step';
import { History, HistoryPoint } from './history';
import { createOptimizer } from './optimizers';
import { batchSampler } from './sampler';
import { Stall, stallCause, StallWatch } from './stall';

/**
 * A weight this large saturates every unit it feeds in float32 (σ(±17) is already 0 or 1), so gradients
 * vanish and the run cannot recover: it has diverged as surely as with a NaN.
 */
export const DIVERGED_WEIGHT = 1e4;
/** A history point every this many steps at first (History doubles it on long runs). */
const HISTORY_EVERY = 5;

export interface TrainResult {
  config: TrainConfig;
  /** The final weights: the caller disposes them. */
  params: Params;
  exact: boolean;
  /** The last full check: the one that found the adder exact, or a final one if none did. */
  accuracy: Accuracy;
  /** Training pairs whose gradient was applied. */
  samples: number;
  steps: number;
  /** Wall time of the loop, full checks included. */
  seconds: number;
  fullChecks: number;
  history: HistoryPoint[];
  /** Set when the run was stopped early because its loss had stopped falling (src/train/stall.ts). */
  stall?: Stall;
}

export interface TrainHooks {
  /** Called at every history point and after every full check. */
  onProgress?(point: HistoryPoint, lastCheck?: Accuracy): void;
}

function divergence(weights: Float32Array): string | undefined {
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) return 'a weight is not a number any more';
    if (Math.abs(weights[i]) > DIVERGED_WEIGHT) return `a weight passed ±${DIVERGED_WEIGHT}`;
  }
  return undefined;
}

export function trainAdder(config: TrainConfig, hooks: TrainHooks = {}): TrainResult {
  checkConfig(config);
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const netConfig = { cell: config.cell, hidden: config.hidden, bias: config.bias };
  const layout = flatLayout(netConfig);
  const weights = new Float32Array(layout.size);
  const grads = new Float32Array(layout.size);
  const initial = initParams(netConfig, config.seed, config.init);
  readFlat(initial, layout, weights);
  disposeParams(initial);

  const optimizer = createOptimizer(config.optimizer, config.lr, layout.size);
  const nextBatch = batchSampler(config.bits, config.batch, config.seed);
  const schedule = new CheckSchedule();
  const history = new History(HISTORY_EVERY);
  // The weights as tensors, for the checks: made when one is due, as the fused step needs none.
  let params: Params | undefined;
  const current = (): Params => (params ??= paramsFromFlat(weights, layout));
  let accuracy: Accuracy | undefined;
  let samples = 0;
  let steps = 0;
  let fullChecks = 0;
  let exact = false;
  const watch = new StallWatch();
  let stall: Stall | undefined;
  try {
    while (samples < config.maxSamples) {
      const batch = nextBatch();
      const step = gradientStep(config.engine, weights, layout, batch, config.loss, grads);
      try {
        const right = rightSums(step.yhat, batch.y, batch.batch, batch.steps);
        const due = schedule.due(right, batch.batch) && preCheckPasses(current(), config.bits, config.seed);
        // The batch and the full check judge the weights before this step's update: exact ones stay as they are.
        if (due) {
          accuracy = fullCheck(current(), config.bits, config.seed);
          fullChecks++;
          exact = accuracy.correct === accuracy.pairs;
        }
        if (history.count(steps + 1, right, batch.batch) || due) {
          // Recorded whether or not anyone listens: `a?.(b())` would skip b(), and the history, without a hook.
          // The loss is that of the weights before this batch's update: they have trained on `samples` pairs.
          const point = history.add(samples, step.loss(), seconds());
          hooks.onProgress?.(point, due ? accuracy : undefined);
          const drop = exact ? undefined : watch.stalled(point);
          if (drop !== undefined) stall = { samples, drop, cause: stallCause(config) };
        }
      } finally {
        step.dispose();
      }
      if (exact || stall) break;
      if (config.clip !== undefined) clipGlobalNorm(grads, config.clip);
      optimizer.step(weights, grads);
      samples += batch.batch;
      steps++;
      const diverged = divergence(weights);
      if (diverged !== undefined) {
        throw new UserError(
          `training diverged after ${samples} pairs (${diverged}): lower --lr (it was ${config.lr}) or clip the gradient with --clip 1`,
        );
      }
      if (params) disposeParams(params);
      params = undefined;
    }
    if (!exact) {
      accuracy = fullCheck(current(), config.bits, config.seed);
      fullChecks++;
      exact = accuracy.correct === accuracy.pairs;
    }
  } catch (error) {
    if (params) disposeParams(params);
    throw error;
  }
  return {
    config,
    params: current(),
    exact,
    accuracy: accuracy!,
    samples,
    steps,
    seconds: seconds(),
    fullChecks,
    history: history.points,
    ...(stall ? { stall } : {}),
  };
}
