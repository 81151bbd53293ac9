// The training loop: sampler → gradient (hand BPTT, tf.grad or the fused kernel) → clipping → optimizer, each batch
// judged by its task's goal before the update; stops when the goal says solved or stop, or at maxSamples. For a
// stream (echo) the state the last window ended in starts the next one.
import * as tf from '@tensorflow/tfjs-core';
import { SequenceBatch } from '../data/sequences';
import type { Accuracy } from '../eval/accuracy';
import { named, UserError } from '../errors';
import { CellState } from '../engine/extend';
import { disposeParams, initParams, Params } from '../engine/params';
import { TASK_INPUTS } from '../tasks/task';
import { seededRng } from '../data/sample';
import { chronoBiases } from './chrono';
import { clipGlobalNorm } from './clip';
import { longestLag, TrainConfig } from './config';
import { flatLayout, paramsFromFlat, readFlat } from './flat';
import { gradientStep } from './gradient-step';
import { History, HistoryPoint } from './history';
import { createOptimizer } from './optimizers';
import type { Stall } from './stall';

/**
 * A weight this large saturates every unit it feeds in float32 (σ(±17) is already 0 or 1), so gradients
 * vanish and the run cannot recover: it has diverged as surely as with a NaN.
 */
export const DIVERGED_WEIGHT = 1e4;
/** A history point every this many steps at first (History doubles it on long runs). */
const HISTORY_EVERY = 5;

/** A task's verdict on one training batch, from ŷ of the weights before the batch's update. */
export interface Verdict<Check> {
  /** Units of the batch that came out right (sums, echoed bits, sequences), of `counted`: the history's accuracy. */
  right: number;
  counted: number;
  /** True when the task is solved by the weights that made ŷ: the loop stops without applying this batch. */
  solved: boolean;
  /** The check beyond the batch, when one ran (the hooks hear of it): the adder's full check, the echo's fresh stream. */
  check?: Check;
}

/** What a task counts as solved (src/train/adder.ts, src/train/long-lag.ts). */
export interface Goal<Check> {
  /** `params` makes the weights before the update tensors, when a check needs them (the fused step needs none). */
  judge(batch: SequenceBatch, yhat: Float32Array, params: () => Params): Verdict<Check>;
  /** Takes each history point of an unsolved run; true stops the run there (the adder's stall stop). */
  stopsAt?(point: HistoryPoint): boolean;
}

/** Where a task's training batches come from. */
export interface BatchSource {
  next(): SequenceBatch;
  /** True for consecutive windows of streams: each window starts from the state the last one ended in. */
  stream: boolean;
  /** What a sample is, for messages: pairs, bits, sequences. */
  unit: string;
}

/** Samples in a batch: a window of B streams holds B·T bits, any other batch B samples. */
function samplesIn(batch: SequenceBatch, source: BatchSource): number {
  return source.stream ? batch.batch * batch.steps : batch.batch;
}

export interface TrainingRun {
  /** The final weights: the caller disposes them. */
  params: Params;
  solved: boolean;
  /** Training samples whose gradient was applied: pairs, stream bits (B per step of a window) or sequences. */
  samples: number;
  steps: number;
  /** Wall time of the loop, the goal's checks included. */
  seconds: number;
  history: HistoryPoint[];
}

/** A task's side of a run: its batches, its goal, and its verdict once the loop ends (src/train/train.ts). */
export interface TaskPlan<Score> {
  source: BatchSource;
  goal: Goal<Score>;
  /** Solved or not, the score on fresh data, and the seconds of the run with any final check. */
  finish(run: TrainingRun): { solved: boolean; score: Score; seconds: number };
  /** Checks beyond the batches so far. */
  checks(): number;
  /** Why the run stopped early, if it did. */
  stall?(): Stall | undefined;
}

export interface TrainHooks<Check = Accuracy> {
  /** Called at every history point, and after every check beyond the batch, with that check. */
  onProgress?(point: HistoryPoint, check?: Check): void;
}

/** Why these weights have diverged (a NaN, or a weight past DIVERGED_WEIGHT), or undefined while they have not. */
export function divergence(weights: Float32Array): string | undefined {
  for (let i = 0; i < weights.length; i++) {
    if (!Number.isFinite(weights[i])) return 'a weight is not a number any more';
    if (Math.abs(weights[i]) > DIVERGED_WEIGHT) return `a weight passed ±${DIVERGED_WEIGHT}`;
  }
  return undefined;
}

/**
 * Trains until the goal is met or config.maxSamples samples are used; the caller owns the returned weights. The
 * configuration was checked where it entered (resolveConfig).
 */
export function runTraining<Check>(
  config: TrainConfig,
  source: BatchSource,
  goal: Goal<Check>,
  hooks: TrainHooks<Check> = {},
): TrainingRun {
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const netConfig = { cell: config.cell, hidden: config.hidden, inputs: TASK_INPUTS[config.task ?? 'add'], bias: config.bias };
  const layout = flatLayout(netConfig);
  const weights = new Float32Array(layout.size);
  const grads = new Float32Array(layout.size);
  const initial = initParams(netConfig, config.seed, config.init === 'chrono' ? 'glorot' : config.init);
  readFlat(initial, layout, weights);
  disposeParams(initial);
  // seed + 2: a stream of its own, apart from the weights' and the samples'.
  if (config.init === 'chrono') chronoBiases(weights, layout, config.hidden, longestLag(config), seededRng(config.seed + 2));

  const optimizer = createOptimizer(config.optimizer, config.lr, layout.size, config.adam);
  const history = new History(HISTORY_EVERY);
  // The weights as tensors, for the checks: made when one is due, as the fused step needs none.
  let params: Params | undefined;
  const current = (): Params => (params ??= paramsFromFlat(weights, layout));
  let state: CellState | undefined;
  let samples = 0;
  let steps = 0;
  let solved = false;
  let stopped = false;
  try {
    while (samples < config.maxSamples) {
      const batch = source.next();
      const initial = batch.fresh ? undefined : state;
      const step = gradientStep(config.engine, weights, layout, batch, config.loss, grads, { initial, tbptt: config.tbptt });
      try {
        const verdict = goal.judge(batch, step.yhat, current);
        solved = verdict.solved;
        if (history.count(steps + 1, verdict.right, verdict.counted) || verdict.check !== undefined) {
          // Recorded whether or not anyone listens: `a?.(b())` would skip b(), and the history, without a hook.
          // The loss is that of the weights before this batch's update: they have trained on `samples` samples.
          const point = history.add(samples, step.loss(), seconds());
          hooks.onProgress?.(point, verdict.check);
          stopped = !solved && goal.stopsAt?.(point) === true;
        }
        if (source.stream) {
          tf.dispose(state);
          state = step.lastState();
        }
      } finally {
        step.dispose();
      }
      // The weights that solved it stay as they are.
      if (solved || stopped) break;
      if (config.clip !== undefined) clipGlobalNorm(grads, config.clip);
      optimizer.step(weights, grads);
      samples += samplesIn(batch, source);
      steps++;
      const diverged = divergence(weights);
      if (diverged !== undefined) {
        throw new UserError(
          named(`training diverged after ${samples} ${source.unit} (${diverged}): lower {lr} (it was ${config.lr}) or clip the gradient with {clip} 1`),
        );
      }
      if (params) disposeParams(params);
      params = undefined;
    }
  } catch (error) {
    if (params) disposeParams(params);
    throw error;
  } finally {
    tf.dispose(state);
  }
  return { params: current(), solved, samples, steps, seconds: seconds(), history: history.points };
}
