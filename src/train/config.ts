// What a training run takes: the defaults per task and width (measured: docs/benchmarks.md), and the one place
// where the options of a run (the CLI's flags, the API's call, the page's form) become a checked TrainConfig.
// Free of tfjs: the CLI resolves its flags with it before loading any.
import { withDefaults } from '../defaults';
import { OptionError } from '../errors';
import { checkBpttStates, MAX_BATCH, MAX_HIDDEN, MAX_TRAIN_BITS, MAX_TRAIN_SAMPLES } from '../limits';
import { CellName, EngineName, InitName, LossName, OptimizerName, TaskName } from '../names';
import { MAX_LENGTH, MIN_LENGTH } from '../tasks/adding-problem';
import { DEFAULT_DELAY, DEFAULT_ECHO_TBPTT, MAX_DELAY } from '../tasks/echo';
import { TaskSettings } from '../tasks/task';
import { checkOptionTypes } from './option-types';
import { AdamSettings, ADDER_ADAM, STANDARD_ADAM } from './optimizers';

export interface TrainConfig {
  /** Operand width: sequences of bits + 1 steps. */
  bits: number;
  cell: CellName;
  hidden: number;
  /** false drops bs and by (the network of Trask's numpy adder). */
  bias: boolean;
  init: InitName;
  loss: LossName;
  optimizer: OptimizerName;
  /** Learning rate. */
  lr: number;
  /** Adam's β1, β2 and ε; absent: the adders' (ADDER_ADAM). */
  adam?: AdamSettings;
  /** Pairs per minibatch; 1 is Trask's per-sample SGD. */
  batch: number;
  /** Global-norm clipping threshold: the gradient is scaled down to this norm when longer. */
  clip?: number;
  /**
   * Gradients by the fused kernel (the hand-derived BPTT in one WebAssembly call), the hand-derived BPTT on
   * tensors, or tf.grad through the engine's forward pass.
   */
  engine: EngineName;
  /** Seeds the initial weights and the training pairs: same seed and backend, same weights. */
  seed: number;
  /** Training samples after which a run that is not solved yet gives up: pairs, stream bits or sequences. */
  maxSamples: number;
  /** The task (absent: add); `delay` belongs to echo, `length` to the adding problem. */
  task?: TaskName;
  delay?: number;
  length?: number;
  /** Truncated BPTT: no gradient reaches back more than K steps; for echo, the window read per update. */
  tbptt?: number;
}

/**
 * Learning rates that reached an exact 8- and 16-bit adder in the fewest steps at batch 64 (docs/benchmarks.md,
 * scripts/sweep.ts). The loss is a mean over the T = bits + 1 steps; sgd's 16 is about Trask's lr 2.0 on his
 * loss summed over the 9 steps of 8 bits, and does as well at 16 bits, where twice that takes 2-3 times the steps.
 */
export const DEFAULT_LEARNING_RATES: Record<OptimizerName, number> = { adam: 0.1, momentum: 5, sgd: 16 };

/** The cells that have a fused kernel (src/engine/fused/). */
export const FUSED_CELLS: readonly CellName[] = ['elman', 'lstm'];

/**
 * True when the cell's fused kernel computes the task: the LSTM's every task (the adding problem's masked loss,
 * truncation, the echo's state carried from window to window), the Elman cell's whole additions with full BPTT
 * only (its kernel has no mask and takes no state).
 */
export function fusedComputes(cell: CellName, task: TaskName = 'add', tbptt?: number): boolean {
  if (cell === 'elman') return task === 'add' && tbptt === undefined;
  return FUSED_CELLS.includes(cell);
}

/** The engine a run takes when none is named: the fused kernel where it computes the task, the tensor engine otherwise. */
export function defaultEngine(cell: CellName, task: TaskName = 'add', tbptt?: number): EngineName {
  return fusedComputes(cell, task, tbptt) ? 'fused' : 'bptt';
}

/** The seed a run takes when none is given. */
export const DEFAULT_SEED = 0;

/** The defaults of `rnn-adder train --bits N [--cell C]`. */
export function defaultConfig(bits: number, optimizer: OptimizerName = 'adam', cell: CellName = 'elman'): TrainConfig {
  return {
    bits,
    cell,
    hidden: 16,
    bias: true,
    init: 'uniform',
    loss: 'mse',
    optimizer,
    lr: DEFAULT_LEARNING_RATES[optimizer],
    batch: 64,
    engine: defaultEngine(cell),
    seed: DEFAULT_SEED,
    maxSamples: 2_000_000,
  };
}

/**
 * The defaults of `rnn-adder train --task echo|adding-problem [--cell C]`: for echo the echo example's settings
 * (delay 3, H 4, batch 5, truncation 15) with Adam at 0.05; for the adding problem T = 100, H 16, batch 64 and Adam
 * at 0.01, and for the LSTM there chrono initialisation, which is what makes it leave the plateau
 * (docs/long-lags.md); Adam there is Kingma & Ba's (STANDARD_ADAM), not the adders'. The engine is the fused kernel where it computes the task (the LSTM's), the tensor engine
 * otherwise.
 */
export function defaultTaskConfig(task: Exclude<TaskName, 'add'>, cell: CellName = 'elman'): TrainConfig {
  const tbptt = task === 'echo' ? DEFAULT_ECHO_TBPTT : undefined;
  const common = { ...defaultConfig(8, 'adam', cell), task, bits: 0, engine: defaultEngine(cell, task, tbptt) };
  return task === 'echo'
    ? { ...common, hidden: 4, batch: 5, lr: 0.05, delay: DEFAULT_DELAY, tbptt, maxSamples: 200_000 }
    : {
        ...common,
        hidden: 16,
        batch: 64,
        lr: 0.01,
        adam: STANDARD_ADAM,
        length: 100,
        maxSamples: 400_000,
        ...(cell === 'lstm' && { init: 'chrono' as const }),
      };
}

/** The task and its setting that a configuration trains. */
export function taskSettings(c: TrainConfig): TaskSettings {
  switch (c.task ?? 'add') {
    case 'add':
      return { task: 'add', bits: c.bits };
    case 'echo':
      return { task: 'echo', delay: c.delay ?? DEFAULT_DELAY };
    case 'adding-problem':
      return { task: 'adding-problem', length: c.length! };
  }
}

/** The longest lag a task asks the network to bridge: chrono's T_max. */
export function longestLag(c: TrainConfig): number {
  const task = taskSettings(c);
  switch (task.task) {
    case 'add':
      return task.bits + 1;
    case 'echo':
      return task.delay + 1;
    case 'adding-problem':
      return task.length + Math.floor(task.length / 10);
  }
}

/**
 * A run as its caller asks for it: every field of TrainConfig optional (the task's defaults fill the rest, as in
 * `rnn-adder train`), and Adam's settings one by one, each replacing the task's.
 */
export type TrainOptions<Task extends TaskName = TaskName> = Partial<Omit<TrainConfig, 'adam' | 'task'>> & {
  task?: Task;
  adam?: Partial<AdamSettings>;
};

/**
 * The configuration a run trains, built from `options` and checked, once, where the options enter (the CLI's
 * parse, the API's call, the page's form): the task's defaults for the cell and optimizer, overridden by every
 * option given. A wrong or misplaced option is an OptionError naming it.
 */
export function resolveConfig(options: TrainOptions = {}): TrainConfig {
  checkOptionTypes(options);
  const task = options.task ?? 'add';
  if (task !== 'add' && options.bits !== undefined) throw new OptionError(`{bits} belongs to {task} add, not ${task}`);
  const { adam, engine, init, ...given } = options;
  const optimizer = options.optimizer ?? 'adam';
  const moment = (['beta1', 'beta2', 'epsilon'] as const).find((key) => adam?.[key] !== undefined);
  if (optimizer !== 'adam' && moment !== undefined) throw new OptionError(`{${moment}} belongs to {optimizer} adam, not ${optimizer}`);
  const cell = options.cell ?? 'elman';
  const base = task === 'add' ? defaultConfig(options.bits ?? 8, optimizer, cell) : defaultTaskConfig(task, cell);
  const config: TrainConfig = {
    ...withDefaults(base, { ...given, task: task === 'add' ? undefined : task }),
    engine: engine ?? defaultEngine(cell, task, options.tbptt),
    init: init ?? base.init,
    // Without any, the task's own (absent for the adders: their metadata and first line stay as they were).
    ...(moment !== undefined && { adam: withDefaults(base.adam ?? ADDER_ADAM, adam!) }),
  };
  checkConfig(config);
  return config;
}

/** Rejects a configuration that cannot train, naming the option to fix (worded for each caller: src/errors.ts). */
function checkConfig(c: TrainConfig): void {
  const checkInteger = (value: number, min: number, option: string, max = Infinity) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      const range = max === Infinity ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
      throw new OptionError(`{${option}} must be ${range}, got ${value}`);
    }
  };
  const checkPositive = (value: number | undefined, option: string) => {
    if (value !== undefined && !(value > 0 && Number.isFinite(value))) {
      throw new OptionError(`{${option}} must be a number greater than 0, got ${value}`);
    }
  };
  const task = c.task ?? 'add';
  if (task === 'add') checkInteger(c.bits, 1, 'bits', MAX_TRAIN_BITS);
  const foreign = (option: string, owner: TaskName) => new OptionError(`{${option}} belongs to {task} ${owner}, not ${task}`);
  if (c.delay !== undefined && task !== 'echo') throw foreign('delay', 'echo');
  if (c.length !== undefined && task !== 'adding-problem') throw foreign('length', 'adding-problem');
  if (task === 'echo') checkInteger(c.delay ?? DEFAULT_DELAY, 1, 'delay', MAX_DELAY);
  if (task === 'adding-problem') checkInteger(c.length ?? NaN, MIN_LENGTH, 'length', MAX_LENGTH);
  if (c.init === 'chrono' && (c.cell !== 'lstm' || !c.bias)) {
    throw new OptionError(`{init} chrono sets an LSTM's gate biases: it needs {cell} lstm with biases, not ${c.cell}${c.bias ? '' : ' without biases'}`);
  }
  if (c.tbptt !== undefined) {
    checkInteger(c.tbptt, 1, 'tbptt');
    // A stream is read in windows of K steps, B streams side by side: its length is maxSamples / B.
    const stream = Math.floor(c.maxSamples / c.batch);
    if (task === 'echo' && c.tbptt > stream) {
      throw new OptionError(`{tbptt} ${c.tbptt} is longer than the stream it would cut (${stream} steps: {maxSamples} / {batch})`);
    }
  } else if (task === 'echo') {
    throw new OptionError('{task} echo reads its stream in windows: it needs {tbptt}');
  }
  if (c.engine === 'fused' && !FUSED_CELLS.includes(c.cell)) {
    throw new OptionError(`{engine} fused has kernels for the ${FUSED_CELLS.join(' and ')} cells only: train ${c.cell} with {engine} bptt or autodiff`);
  }
  if (c.engine === 'fused' && !fusedComputes(c.cell, task, c.tbptt)) {
    throw new OptionError('{engine} fused computes the elman cell on whole additions with full BPTT only: train other tasks and {tbptt} with {engine} bptt');
  }
  checkInteger(c.hidden, 1, 'hidden', MAX_HIDDEN);
  checkInteger(c.batch, 1, 'batch', MAX_BATCH);
  checkInteger(c.seed, 0, 'seed');
  checkInteger(c.maxSamples, 1, 'maxSamples', MAX_TRAIN_SAMPLES);
  // A stream is cut into windows of its own; a whole sequence is one backward pass of its longest length.
  if (task !== 'echo') {
    checkBpttStates(c.batch, longestLag(c), c.hidden, `{batch}, {${task === 'add' ? 'bits' : 'length'}} or {hidden}`);
  }
  checkPositive(c.lr, 'lr');
  checkPositive(c.clip, 'clip');
  if (c.adam !== undefined) {
    const { beta1, beta2, epsilon } = c.adam;
    for (const [option, beta] of [['beta1', beta1], ['beta2', beta2]] as const) {
      if (!(beta > 0 && beta < 1)) throw new OptionError(`{${option}} must be between 0 and 1 (both excluded), got ${beta}`);
    }
    checkPositive(epsilon, 'epsilon');
  }
}
