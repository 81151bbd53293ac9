// `rnn-adder train`: trains an adder until it is exact, or a long-lag task until solved; saves it, prints one summary.
import * as path from 'path';
import type { Argv } from 'yargs';
import {
  checkConfig,
  DEFAULT_DELAY,
  DEFAULT_LEARNING_RATES,
  defaultConfig,
  defaultTaskConfig,
  describeTask,
  disposeParams,
  EngineName,
  ENGINES,
  InitName,
  INITS,
  LongLagResult,
  LOSSES,
  LossName,
  makePlotDirectory,
  MAX_DELAY,
  MAX_LENGTH,
  MAX_TRAIN_BITS,
  MIN_LENGTH,
  OptimizerName,
  OPTIMIZERS,
  PAPER_SEQUENCES_AT_100,
  RIGHT_WITHIN,
  saveModel,
  saveTaskModel,
  TaskName,
  TASKS,
  taskSettings,
  train,
  TrainConfig,
  trainingCurvesSpec,
  trainOnTask,
  TrainResult,
  UserError,
  writeSvg,
} from '../../index';
import { progressBar } from '../progress';
import { choiceOption, intOption, positiveOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface TrainArgs extends CommonArgs {
  task: TaskName;
  bits?: number;
  delay?: number;
  length?: number;
  tbptt?: number;
  hidden?: number;
  batch?: number;
  lr?: number;
  optimizer: OptimizerName;
  engine: EngineName;
  loss: LossName;
  clip?: number;
  init: InitName;
  bias: boolean;
  seed: number;
  maxSamples?: number;
  out?: string;
  plot?: string;
}

export const command = 'train';
export const describe = 'Train an adder until it is exact (every pair up to 10 bits, sampled above), or a long-lag task until solved, and save it';

const defaults = defaultConfig(8);
const echo = defaultTaskConfig('echo');
const adding = defaultTaskConfig('adding-problem');
/** A default per task, in the help: `16; echo 4, adding-problem 16`. */
const perTask = (key: keyof TrainConfig): string => `[default: ${defaults[key]}; echo ${echo[key]}, adding-problem ${adding[key]}]`;

/** The run the flags ask for: each task's defaults, then every flag given. */
export function trainConfigOf(args: TrainArgs): TrainConfig {
  const base = args.task === 'add' ? defaultConfig(args.bits ?? 8, args.optimizer) : defaultTaskConfig(args.task);
  const given = Object.fromEntries(
    Object.entries({
      bits: args.bits,
      delay: args.delay,
      length: args.length,
      tbptt: args.tbptt,
      hidden: args.hidden,
      batch: args.batch,
      lr: args.lr,
      maxSamples: args.maxSamples,
    }).filter(([, value]) => value !== undefined),
  );
  const lr = args.task === 'add' ? DEFAULT_LEARNING_RATES[args.optimizer] : base.lr;
  return {
    ...base,
    lr,
    ...given,
    bias: args.bias,
    init: args.init,
    loss: args.loss,
    optimizer: args.optimizer,
    clip: args.clip,
    engine: args.engine,
    seed: args.seed,
  };
}

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<TrainArgs> {
  return yargs
    .options({
      task: choiceOption('What to learn: binary addition, the echo of a bit stream, or the adding problem', TASKS, 'add'),
      bits: intOption('bits', 'add: operand width N, sequences of N+1 steps [default: 8]', { min: 1, max: MAX_TRAIN_BITS }),
      delay: intOption('delay', `echo: the target is the input k steps back [default: ${DEFAULT_DELAY}]`, { min: 1, max: MAX_DELAY }),
      length: intOption('length', `adding-problem: minimum length T, sequences of T … T + T/10 steps [default: ${adding.length}]`, {
        min: MIN_LENGTH,
        max: MAX_LENGTH,
      }),
      tbptt: intOption('tbptt', `Truncated BPTT: gradients reach back at most K steps; echo reads its streams K steps at a time [default: full; echo ${echo.tbptt}]`, {
        min: 1,
      }),
      hidden: intOption('hidden', `Hidden size H ${perTask('hidden')}`, { min: 1 }),
      batch: intOption('batch', `Pairs, streams or sequences per minibatch (1: per-sample SGD, as the seeds) ${perTask('batch')}`, { min: 1 }),
      lr: positiveOption(
        'lr',
        `Learning rate [default: add ${Object.entries(DEFAULT_LEARNING_RATES).map(([o, lr]) => `${o} ${lr}`).join(', ')}; echo ${echo.lr}, adding-problem ${adding.lr}]`,
      ),
      optimizer: choiceOption('Update rule', OPTIMIZERS, defaults.optimizer),
      engine: choiceOption('Gradients by the hand-derived BPTT or by tf.grad', ENGINES, defaults.engine),
      loss: choiceOption('Loss: ½(y−ŷ)² (the seeds\') or cross-entropy', LOSSES, defaults.loss),
      clip: positiveOption('clip', 'Scale the gradient down to this global norm when it is longer'),
      init: choiceOption('Initial weights: uniform(−1, 1) as the seeds, or glorot', INITS, defaults.init),
      bias: { describe: 'Include the biases bs and by (--no-bias: the seeds\' network)', type: 'boolean', default: defaults.bias },
      seed: intOption('seed', 'Seed of the initial weights and the training pairs', { min: 0, default: defaults.seed }),
      'max-samples': intOption('max-samples', `Training pairs, stream bits or sequences after which an unsolved run gives up ${perTask('maxSamples')}`, {
        min: 1,
      }),
      out: {
        describe: 'Model directory to write, only once solved [default: models/adder-<bits>, models/echo-<delay>, models/adding-problem-<length>]',
        type: 'string',
        requiresArg: true,
      },
      plot: { describe: 'Directory to write training.svg into: loss and accuracy against samples', type: 'string', requiresArg: true },
    })
    // Flags that belong to another task, or a window longer than the stream, are usage errors.
    .check((args) => {
      checkConfig(trainConfigOf(args as unknown as TrainArgs));
      if (args.task !== 'add' && args.bits !== undefined) throw new UserError(`--bits belongs to --task add, not ${args.task}`);
      return true;
    })
    .example('$0 train', 'an exact 8-bit adder in models/adder-8')
    .example('$0 train --task echo', 'the seeds\' echo: delay 3, hidden 4, batch 5, truncation 15')
    .example('$0 train --task adding-problem --length 100', 'Hochreiter & Schmidhuber\'s adding problem at T = 100')
    .example('$0 train --bits 16 --out /tmp/adder-16', 'an exact 16-bit adder (checked on a sample)')
    .example('$0 train --optimizer sgd --batch 1 --lr 0.9 --no-bias', 'the seeds\' per-sample SGD, slowly')
    .example('$0 train --engine autodiff --json', 'gradients by tf.grad; one JSON object') as unknown as Argv<TrainArgs>;
}

function summary(result: TrainResult, backend: string, out: string | undefined): string {
  const c = result.config;
  const acc = result.accuracy;
  const checked = `${acc.method}, ${acc.pairs.toLocaleString('en')} pairs`;
  return [
    `${c.bits}-bit adder, hidden ${c.hidden}, engine ${c.engine}, backend ${backend}`,
    `${result.samples.toLocaleString('en')} training pairs in ${result.seconds.toFixed(2)} s ` +
      `(${c.optimizer} lr ${c.lr}, batch ${c.batch}, ${c.loss}, seed ${c.seed})`,
    result.exact
      ? `exact: every sum right (${checked})`
      : `NOT exact: ${(100 * acc.accuracy).toFixed(2)}% of sums right (${checked}); try more --max-samples or another --seed`,
    out !== undefined ? `saved to ${out}` : 'nothing saved',
  ].join('\n');
}

function longLagSummary(result: LongLagResult, backend: string, out: string | undefined): string {
  const c = result.config;
  const s = result.score;
  const unit = result.task.task === 'echo' ? 'stream bits' : 'sequences';
  const tested =
    'delay' in s
      ? `${s.right.toLocaleString('en')} of ${s.scored.toLocaleString('en')} bits of a fresh ${s.bits.toLocaleString('en')}-bit stream echoed right`
      : `${s.wrong} wrong of ${s.sequences.toLocaleString('en')} fresh sequences (|error| ≥ ${RIGHT_WITHIN}), mean squared error ${s.mse.toExponential(2)}`;
  const paper =
    result.task.task === 'adding-problem' && result.task.length === 100 && result.solved
      ? ` (their LSTM: ${PAPER_SEQUENCES_AT_100.toLocaleString('en')})`
      : '';
  return [
    `${describeTask(result.task)}, hidden ${c.hidden}, tbptt ${c.tbptt ?? 'full'}, engine ${c.engine}, backend ${backend}`,
    `${result.samples.toLocaleString('en')} training ${unit}${paper} in ${result.seconds.toFixed(2)} s ` +
      `(${c.optimizer} lr ${c.lr}, batch ${c.batch}, ${c.loss}, seed ${c.seed})`,
    `${result.solved ? 'solved' : 'NOT solved; try more --max-samples or another --seed'}: ${tested}`,
    out !== undefined ? `saved to ${out}` : 'nothing saved',
  ].join('\n');
}

/** The echo and the adding problem: trained, saved when solved, summarised. */
async function trainLongLagTask(args: TrainArgs, backend: string, config: TrainConfig): Promise<void> {
  const settings = taskSettings(config);
  const name = settings.task === 'echo' ? `echo-${settings.delay}` : `adding-problem-${config.length}`;
  const out = path.resolve(args.out ?? path.join('models', name));
  if (args.plot !== undefined) await makePlotDirectory(args.plot);
  const bar = progressBar(args.json === true);
  let result: LongLagResult;
  try {
    result = await trainOnTask({ ...config, task: settings.task as 'echo' | 'adding-problem' }, bar?.hooks);
  } finally {
    bar?.stop();
  }
  try {
    if (result.solved) await saveTaskModel(out, result);
    const title = `${describeTask(result.task)}, ${config.optimizer}, seed ${config.seed}`;
    const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'training.svg', trainingCurvesSpec(result.history, title));
    const saved = result.solved ? out : undefined;
    const json = {
      backend,
      ...result.task,
      hidden: config.hidden,
      tbptt: config.tbptt ?? null,
      engine: config.engine,
      samples: result.samples,
      steps: result.steps,
      seconds: result.seconds,
      solved: result.solved,
      score: result.score,
      out: saved ?? null,
      config,
      history: result.history,
      plot: plot ?? null,
    };
    emit(args, json, () => longLagSummary(result, backend, saved) + (plot ? `\nwrote ${plot}` : ''));
  } finally {
    disposeParams(result.params);
  }
  if (!result.solved) process.exitCode = 1;
}

export const handler = run<TrainArgs>(async (args, backend) => {
  const config = trainConfigOf(args);
  if (config.task !== undefined && config.task !== 'add') return trainLongLagTask(args, backend, config);
  const out = path.resolve(args.out ?? path.join('models', `adder-${config.bits}`));
  // A --plot that cannot be written is said before training, not after the model is saved.
  if (args.plot !== undefined) await makePlotDirectory(args.plot);
  const bar = progressBar(args.json === true);
  let result: TrainResult;
  try {
    result = await train(config, bar?.hooks);
  } finally {
    bar?.stop();
  }
  try {
    if (result.exact) await saveModel(out, result);
    const title = `${config.bits}-bit adder, ${result.config.optimizer}, seed ${args.seed}`;
    const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'training.svg', trainingCurvesSpec(result.history, title));
    const saved = result.exact ? out : undefined;
    const { config: c, accuracy: acc } = result;
    const json = {
      backend,
      bits: c.bits,
      hidden: c.hidden,
      engine: c.engine,
      samples: result.samples,
      steps: result.steps,
      seconds: result.seconds,
      exact: result.exact,
      verified: { method: acc.method, pairs: acc.pairs, accuracy: acc.accuracy },
      out: saved ?? null,
      fullChecks: result.fullChecks,
      config: c,
      failures: acc.failures,
      history: result.history,
      plot: plot ?? null,
    };
    emit(args, json, () => summary(result, backend, saved) + (plot ? `\nwrote ${plot}` : ''));
  } finally {
    disposeParams(result.params);
  }
  if (!result.exact) process.exitCode = 1;
});
