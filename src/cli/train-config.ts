// `rnn-adder train`'s flags as a TrainConfig: each task's defaults, then every flag given. Free of tfjs, so the
// parser can check a configuration (flags of another task, a window longer than the stream) before any work.
import { defaultConfig, defaultEngine, defaultTaskConfig, EngineName, OptimizerName, TrainConfig } from '../train/config';
import { CellName, InitName, LossName } from '../engine/names';
import { TaskName } from '../tasks/task';
import { ADDER_ADAM } from '../train/optimizers';

/** The flags that make a training configuration; absent ones take the task's defaults. */
export interface TrainFlags {
  task: TaskName;
  cell: CellName;
  bits?: number;
  delay?: number;
  length?: number;
  tbptt?: number;
  hidden?: number;
  batch?: number;
  lr?: number;
  optimizer: OptimizerName;
  /** Adam's settings, each replacing the task's (ADDER_ADAM, or the adding problem's STANDARD_ADAM) when given. */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Absent: the fused kernel where it computes the cell and the task (defaultEngine), else the tensor engine. */
  engine?: EngineName;
  loss: LossName;
  clip?: number;
  init?: InitName;
  bias: boolean;
  seed: number;
  maxSamples?: number;
}

export function trainConfigOf(flags: TrainFlags): TrainConfig {
  const base = flags.task === 'add' ? defaultConfig(flags.bits ?? 8, flags.optimizer) : defaultTaskConfig(flags.task, flags.cell);
  const { bits, delay, length, tbptt, hidden, batch, lr, maxSamples } = flags;
  const given = Object.entries({ bits, delay, length, tbptt, hidden, batch, lr, maxSamples }).filter(([, v]) => v !== undefined);
  const { cell, optimizer, loss, clip, bias, seed } = flags;
  const engine = flags.engine ?? defaultEngine(cell, flags.task, flags.tbptt);
  const init = flags.init ?? base.init;
  const { beta1, beta2, epsilon } = flags;
  const moments = Object.entries({ beta1, beta2, epsilon }).filter(([, v]) => v !== undefined);
  // Without the flags, the task's own (absent for the adders: their metadata and first line stay as they were).
  const adam = moments.length > 0 && { adam: { ...(base.adam ?? ADDER_ADAM), ...Object.fromEntries(moments) } };
  return { ...base, ...Object.fromEntries(given), cell, optimizer, engine, loss, clip, init, bias, seed, ...adam };
}

/**
 * Where a model goes without --out: models/adder-<bits> (models/<cell>-<bits> for the gated cells),
 * models/echo-<delay>, models/adding-problem-<length>.
 */
export function defaultModelDir(c: TrainConfig): string {
  switch (c.task ?? 'add') {
    case 'add':
      return `${c.cell === 'elman' ? 'adder' : c.cell}-${c.bits}`;
    case 'echo':
      return `echo-${c.delay}`;
    case 'adding-problem':
      return `adding-problem-${c.length}`;
  }
}
