// The tasks a network is trained on (`--task`), and the settings that define each: what a saved model records
// about its task (docs/long-lags.md). The tasks' names are in src/names.ts.
import { TaskName } from '../names';

export { TASKS, TaskName } from '../names';

/** I, the input width of each task: (bit of a, bit of b); the stream's bit; (value, marker). */
export const TASK_INPUTS: Record<TaskName, number> = { add: 2, echo: 1, 'adding-problem': 2 };

/** A task and its one setting: the operand width, the echo's delay k, or the adding problem's minimum length T. */
export type TaskSettings =
  | { task: 'add'; bits: number }
  | { task: 'echo'; delay: number }
  | { task: 'adding-problem'; length: number };

/** The setting in words, for summaries and tables. */
export function describeTask(settings: TaskSettings): string {
  switch (settings.task) {
    case 'add':
      return `${settings.bits}-bit addition`;
    case 'echo':
      return `echo, delay ${settings.delay}`;
    case 'adding-problem':
      return `adding problem, T = ${settings.length}`;
  }
}

/** What a task trains on and what counts as right, in the words of its progress lines and summaries. */
export interface TaskWords {
  /** A training sample, plural: what the counts and rates count. */
  samples: string;
  /** A sample that came out right, as the share of the recent ones: "50% exact sums". */
  right: string;
}

export const TASK_WORDS: Record<TaskName, TaskWords> = {
  add: { samples: 'pairs', right: 'exact sums' },
  echo: { samples: 'stream bits', right: 'bits echoed' },
  'adding-problem': { samples: 'sequences', right: 'sequences right' },
};
