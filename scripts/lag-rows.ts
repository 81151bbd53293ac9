// What `npm run lags` is asked to do, and how a run of one task's rows joins the rows recorded before: the parts of
// scripts/lags.ts that train nothing, so that tests can check them in-process.

export const LAG_TASKS = ['echo', 'adding-problem'] as const;
export type LagTask = (typeof LAG_TASKS)[number];

/** One training run of the ladder or of the truncation experiment, as scripts/data/long-lags.json records it. */
export interface Row {
  /** The ladder of lags, or the truncation experiment (which may repeat a ladder run's settings). */
  experiment: 'ladder' | 'tbptt';
  cell: string;
  task: LagTask;
  /** The delay k or the length T. */
  lag: number;
  hidden: number;
  tbptt: number | null;
  seed: number;
  solved: boolean;
  samples: number;
  seconds: number;
  /** Echo: share of a fresh stream's bits right; adding problem: share of 2,560 fresh sequences right. */
  score: number;
}

export interface LagsRequest {
  /** ladder: train and write the docs; quick: a small ladder, printed only; speed: time steps; render: redraw. */
  mode: 'ladder' | 'quick' | 'speed' | 'render';
  /** The tasks whose rows to train (both unless `--task` names one). */
  tasks: LagTask[];
}

/** Reads `[--quick | --speed | --render] [--task echo|adding-problem]`; a bad argument throws, naming it. */
export function parseLagsArgs(argv: string[]): LagsRequest {
  const modes = argv.filter((a) => ['--quick', '--speed', '--render'].includes(a));
  let tasks: LagTask[] = [...LAG_TASKS];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (modes.includes(arg)) continue;
    if (arg !== '--task' && !arg.startsWith('--task=')) throw new Error(`unknown argument ${arg}`);
    const name = arg === '--task' ? argv[++i] : arg.slice('--task='.length);
    if (!LAG_TASKS.includes(name as LagTask)) throw new Error(`--task must be ${LAG_TASKS.join(' or ')}, got ${name ?? 'nothing'}`);
    tasks = [name as LagTask];
  }
  if (modes.length > 1) throw new Error(`${modes.join(' and ')} do not go together: pick one`);
  const mode = (modes[0]?.slice(2) ?? 'ladder') as LagsRequest['mode'];
  if (tasks.length < LAG_TASKS.length && (mode === 'speed' || mode === 'render')) {
    throw new Error(`--task picks the rows to train: --${mode} trains none`);
  }
  return { mode, tasks };
}

/** The rows recorded before with those of the tasks just trained replaced by the new ones. */
export function mergeRows(recorded: Row[], measured: Row[], tasks: LagTask[]): Row[] {
  return [...recorded.filter((r) => !tasks.includes(r.task)), ...measured];
}

/** The results section's line on when, where and with what budget one task's rows were measured. */
export const measuredPrefix = (task: LagTask): string => `The ${task} rows: measured`;

/**
 * The results section's opening lines, one per task: the new line of each task just trained, and the recorded
 * line of the others (a task without one gets none).
 */
export function measuredLines(recorded: string[], fresh: Partial<Record<LagTask, string>>): string[] {
  return LAG_TASKS.flatMap((task) => {
    const line = fresh[task] ?? recorded.find((l) => l.startsWith(measuredPrefix(task)));
    return line === undefined ? [] : [line];
  });
}
