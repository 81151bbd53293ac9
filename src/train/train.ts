// One training run of any task: its plan (where the batches come from, what counts as solved, how it is scored on
// fresh data) through the loop of src/train/loop.ts, and one result for every task.
import { AddingProblemScore } from '../eval/adding-problem';
import { Accuracy } from '../eval/accuracy';
import { EchoScore } from '../eval/echo';
import { Params } from '../engine/params';
import { TaskName } from '../names';
import { TaskSettings } from '../tasks/task';
import { additionPlan } from './adder';
import { taskSettings, TrainConfig } from './config';
import { HistoryPoint } from './history';
import { addingProblemPlan, echoPlan } from './long-lag';
import { runTraining, TaskPlan, TrainHooks } from './loop';
import { Stall } from './stall';

/** What each task is scored by: the adder's accuracy, the echo of a fresh stream, the adding problem's test. */
export interface TaskScores {
  add: Accuracy;
  echo: EchoScore;
  'adding-problem': AddingProblemScore;
}
export type TaskScore = TaskScores[TaskName];

export interface TrainResult<Score extends TaskScore = TaskScore> {
  config: TrainConfig;
  task: TaskSettings;
  /** The final weights: the caller disposes them. */
  params: Params;
  /** An exact adder (every sum of the full check right); the echo or the adding problem solved. */
  solved: boolean;
  /** The score on fresh data: the check that found it solved, or a final one if none did. */
  score: Score;
  /** Training samples whose gradient was applied: pairs, stream bits or sequences. */
  samples: number;
  steps: number;
  /** Wall time of the loop, checks included. */
  seconds: number;
  /** Checks beyond the batches while training: the adder's full checks, the echo's fresh streams. */
  checks: number;
  history: HistoryPoint[];
  /** Set when the run was stopped early because its loss had stopped falling (the adder's, src/train/stall.ts). */
  stall?: Stall;
}

function planFor(config: TrainConfig): TaskPlan<TaskScore> {
  const task = taskSettings(config);
  switch (task.task) {
    case 'add':
      return additionPlan(config, task.bits);
    case 'echo':
      return echoPlan(config, task.delay);
    case 'adding-problem':
      return addingProblemPlan(config, task.length);
  }
}

/** Trains `config` (resolved and checked by resolveConfig) until solved or out of samples; the caller owns the weights. */
export function trainNetwork(config: TrainConfig, hooks: TrainHooks<TaskScore> = {}): TrainResult {
  const plan = planFor(config);
  const run = runTraining(config, plan.source, plan.goal, hooks);
  const { solved, score, seconds } = plan.finish(run);
  const { params, samples, steps, history } = run;
  const stall = plan.stall?.();
  return { config, task: taskSettings(config), params, solved, score, samples, steps, seconds, checks: plan.checks(), history, ...(stall && { stall }) };
}
