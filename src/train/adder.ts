// Addition's plan for the loop: random pairs, and the goal of an exact adder (src/train/exactness.ts), with a stop
// for a run whose loss has stopped falling (src/train/stall.ts).
import { Accuracy } from '../eval/accuracy';
import { Params } from '../engine/params';
import { batchSampler } from '../tasks/add';
import { TASK_WORDS } from '../tasks/task';
import { TrainConfig } from './config';
import { CheckSchedule, fullCheck, preCheckPasses, rightSums } from './exactness';
import { Goal, TaskPlan } from './loop';
import { Stall, stallCause, StallWatch } from './stall';

export function additionPlan(config: TrainConfig, bits: number): TaskPlan<Accuracy> {
  const schedule = new CheckSchedule();
  let accuracy: Accuracy | undefined;
  let checks = 0;
  const check = (params: Params): boolean => {
    accuracy = fullCheck(params, bits, config.seed);
    checks++;
    return accuracy.correct === accuracy.pairs;
  };
  const watch = new StallWatch();
  let stall: Stall | undefined;
  // The free check on every batch, the full one when a streak of right batches calls for it and a sample agrees;
  // a run whose loss has stopped falling is stopped.
  const goal: Goal<Accuracy> = {
    stopsAt(point) {
      const drop = watch.stalled(point);
      if (drop !== undefined) stall = { samples: point.samples, drop, cause: stallCause(config) };
      return stall !== undefined;
    },
    judge(batch, yhat, params) {
      const right = rightSums(yhat, batch.y, batch.batch, batch.steps);
      if (!(schedule.due(right, batch.batch) && preCheckPasses(params(), bits, config.seed))) {
        return { right, counted: batch.batch, solved: false };
      }
      const solved = check(params());
      return { right, counted: batch.batch, solved, check: accuracy };
    },
  };
  return {
    source: { next: batchSampler(bits, config.batch, config.seed), stream: false, unit: TASK_WORDS.add.samples },
    goal,
    // An adder that was never found exact gets one full check at the end, timed with the run.
    finish(run) {
      const start = performance.now();
      const solved = run.solved || check(run.params);
      return { solved, score: accuracy!, seconds: run.seconds + (performance.now() - start) / 1000 };
    },
    checks: () => checks,
    stall: () => stall,
  };
}
