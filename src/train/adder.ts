// Training an adder: the loop of src/train/loop.ts with addition's goal, an exact adder (src/train/exactness.ts).
import { Accuracy } from '../eval/accuracy';
import { Params } from '../engine/params';
import { batchSampler } from '../tasks/add';
import { TASK_WORDS } from '../tasks/task';
import { TrainConfig } from './config';
import { CheckSchedule, fullCheck, preCheckPasses, rightSums } from './exactness';
import { HistoryPoint } from './history';
import { Goal, runTraining, TrainHooks } from './loop';
import { Stall, stallCause, StallWatch } from './stall';

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

export function trainAdder(config: TrainConfig, hooks: TrainHooks = {}): TrainResult {
  const nextBatch = batchSampler(config.bits, config.batch, config.seed);
  const schedule = new CheckSchedule();
  let accuracy: Accuracy | undefined;
  let fullChecks = 0;
  const check = (params: Params): boolean => {
    accuracy = fullCheck(params, config.bits, config.seed);
    fullChecks++;
    return accuracy.correct === accuracy.pairs;
  };
  const watch = new StallWatch();
  let stall: Stall | undefined;
  // The free check on every batch, the full one when a streak of right batches calls for it and a sample agrees;
  // a run whose loss has stopped falling is stopped.
  const exactness: Goal<Accuracy> = {
    stopsAt(point) {
      const drop = watch.stalled(point);
      if (drop !== undefined) stall = { samples: point.samples, drop, cause: stallCause(config) };
      return stall !== undefined;
    },
    judge(batch, yhat, params) {
      const right = rightSums(yhat, batch.y, batch.batch, batch.steps);
      if (!(schedule.due(right, batch.batch) && preCheckPasses(params(), config.bits, config.seed))) {
        return { right, counted: batch.batch, solved: false };
      }
      const solved = check(params());
      return { right, counted: batch.batch, solved, check: accuracy };
    },
  };
  const run = runTraining(config, { next: nextBatch, stream: false, unit: TASK_WORDS.add.samples }, exactness, hooks);
  const finalCheck = performance.now();
  const exact = run.solved || check(run.params);
  const seconds = run.seconds + (performance.now() - finalCheck) / 1000;
  const { params, samples, steps, history } = run;
  return { config, params, exact, accuracy: accuracy!, samples, steps, seconds, fullChecks, history, ...(stall ? { stall } : {}) };
}
