// The long-lag tasks' plans for the loop. Echo is solved when a fresh stream is echoed exactly (checked once the
// training windows have been right for as many bits); the adding problem when the last 2,000 training sequences
// were right, and then tested on 2,560 fresh ones.
import { AddingProblemScore, testAddingProblem } from '../eval/adding-problem';
import { EchoScore, scoreEcho } from '../eval/echo';
import { AddingProblemProgress, addingProblemSampler, lastStepErrors, RIGHT_WITHIN } from '../tasks/adding-problem';
import { echoRight, echoWindows, ECHO_TEST_BITS } from '../tasks/echo';
import { TASK_WORDS } from '../tasks/task';
import { TrainConfig } from './config';
import { Goal, TaskPlan } from './loop';

export function echoPlan(config: TrainConfig, delay: number): TaskPlan<EchoScore> {
  let streak = 0;
  let checks = 0;
  let last: EchoScore | undefined;
  const goal: Goal<EchoScore> = {
    judge(batch, yhat, params) {
      const { right, counted } = echoRight(batch, yhat);
      streak = right === counted ? streak + counted : 0;
      if (streak < ECHO_TEST_BITS) return { right, counted, solved: false };
      streak = 0;
      last = scoreEcho(params(), delay, config.seed);
      checks++;
      return { right, counted, solved: last.exact, check: last };
    },
  };
  return {
    source: { next: echoWindows(config.batch, config.tbptt!, delay, config.seed), stream: true, unit: TASK_WORDS.echo.samples },
    goal,
    finish: (run) => ({ solved: run.solved, score: run.solved ? last! : scoreEcho(run.params, delay, config.seed), seconds: run.seconds }),
    checks: () => checks,
  };
}

export function addingProblemPlan(config: TrainConfig, length: number): TaskPlan<AddingProblemScore> {
  const progress = new AddingProblemProgress();
  const goal: Goal<never> = {
    judge(batch, yhat) {
      const errors = lastStepErrors(batch, yhat);
      const right = errors.filter((e) => Math.abs(e) < RIGHT_WITHIN).length;
      return { right, counted: errors.length, solved: progress.record(errors) };
    },
  };
  return {
    source: { next: addingProblemSampler(length, config.batch, config.seed), stream: false, unit: TASK_WORDS['adding-problem'].samples },
    goal,
    finish: (run) => ({ solved: run.solved, score: testAddingProblem(run.params, length, config.seed), seconds: run.seconds }),
    checks: () => 0,
  };
}
