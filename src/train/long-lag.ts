// Training on the long-lag tasks: the loop of src/train/loop.ts with each task's goal. Echo is solved when a
// fresh stream is echoed exactly (checked once the training windows have been right for as many bits); the
// adding problem when the last 2,000 training sequences were right, and then tested on 2,560 fresh ones.
import { scoreEcho, EchoScore } from '../eval/echo';
import { AddingProblemScore, testAddingProblem } from '../eval/adding-problem';
import { Params } from '../engine/params';
import { AddingProblemProgress, addingProblemSampler, lastStepErrors, RIGHT_WITHIN } from '../tasks/adding-problem';
import { echoRight, echoWindows, ECHO_TEST_BITS } from '../tasks/echo';
import { TASK_WORDS, TaskSettings } from '../tasks/task';
import { taskSettings, TrainConfig } from './config';
import { HistoryPoint } from './history';
import { BatchSource, Goal, runTraining, TrainHooks } from './loop';

export type LongLagScore = EchoScore | AddingProblemScore;

export interface LongLagResult {
  config: TrainConfig;
  task: TaskSettings;
  /** The final weights: the caller disposes them. */
  params: Params;
  solved: boolean;
  /** The fresh-data score: the check that found echo solved, or a final one; the adding problem's test. */
  score: LongLagScore;
  /** Stream bits (echo) or sequences (adding problem) whose gradient was applied. */
  samples: number;
  steps: number;
  seconds: number;
  history: HistoryPoint[];
}

function echoTraining(config: TrainConfig, delay: number): { source: BatchSource; goal: Goal<EchoScore>; last: () => EchoScore | undefined } {
  let streak = 0;
  let last: EchoScore | undefined;
  const goal: Goal<EchoScore> = {
    judge(batch, yhat, params) {
      const { right, counted } = echoRight(batch, yhat);
      streak = right === counted ? streak + counted : 0;
      if (streak < ECHO_TEST_BITS) return { right, counted, solved: false };
      streak = 0;
      last = scoreEcho(params(), delay, config.seed);
      return { right, counted, solved: last.exact, check: last };
    },
  };
  const next = echoWindows(config.batch, config.tbptt!, delay, config.seed);
  return { source: { next, stream: true, unit: TASK_WORDS.echo.samples }, goal, last: () => last };
}

function addingProblemTraining(config: TrainConfig, length: number): { source: BatchSource; goal: Goal<never> } {
  const progress = new AddingProblemProgress();
  const goal: Goal<never> = {
    judge(batch, yhat) {
      const errors = lastStepErrors(batch, yhat);
      const right = errors.filter((e) => Math.abs(e) < RIGHT_WITHIN).length;
      return { right, counted: errors.length, solved: progress.record(errors) };
    },
  };
  return { source: { next: addingProblemSampler(length, config.batch, config.seed), stream: false, unit: TASK_WORDS['adding-problem'].samples }, goal };
}

/** Trains echo or the adding problem; the hooks hear of the echo's fresh-stream checks. */
export function trainLongLag(config: TrainConfig, hooks: TrainHooks<EchoScore> = {}): LongLagResult {
  const task = taskSettings(config);
  let run;
  let score: LongLagScore;
  if (task.task === 'echo') {
    const { source, goal, last } = echoTraining(config, task.delay);
    run = runTraining(config, source, goal, hooks);
    score = run.solved ? last()! : scoreEcho(run.params, task.delay, config.seed);
  } else if (task.task === 'adding-problem') {
    const { source, goal } = addingProblemTraining(config, task.length);
    run = runTraining(config, source, goal, hooks);
    score = testAddingProblem(run.params, task.length, config.seed);
  } else {
    throw new Error(`trainLongLag: ${task.task} is trained by trainAdder`);
  }
  const { params, solved, samples, steps, seconds, history } = run;
  return { config, task, params, solved, score, samples, steps, seconds, history };
}
