// The tasks a network is trained on (`--task`), and the settings that define each: what a saved model records
// about its task (docs/long-lags.md).

export const TASKS = ['add', 'echo', 'adding-problem'] as const;
export type TaskName = (typeof TASKS)[number];

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
