// `rnn-adder train`: trains an adder until it is exact, saves it, prints one summary.
import * as path from 'path';
import type { Argv } from 'yargs';
import {
  DEFAULT_LEARNING_RATES,
  defaultConfig,
  disposeParams,
  EngineName,
  ENGINES,
  InitName,
  INITS,
  LOSSES,
  lockModelDirectory,
  LossName,
  makePlotDirectory,
  MAX_BATCH,
  MAX_HIDDEN,
  MAX_TRAIN_BITS,
  MAX_TRAIN_SAMPLES,
  OptimizerName,
  OPTIMIZERS,
  SaveLock,
  saveModel,
  train,
  TrainConfig,
  trainingCurvesSpec,
  TrainResult,
  writeSvg,
} from '../../index';
import { progressBar } from '../progress';
import { choiceOption, intOption, positiveOption } from '../options';
import { percent } from '../percent';
import { CommonArgs, emit, handler as run } from '../run';

interface TrainArgs extends CommonArgs {
  bits: number;
  hidden: number;
  batch: number;
  lr?: number;
  optimizer: OptimizerName;
  engine: EngineName;
  loss: LossName;
  clip?: number;
  init: InitName;
  bias: boolean;
  seed: number;
  maxSamples: number;
  out?: string;
  plot?: string;
}

export const command = 'train';
export const describe = 'Train an adder until it is exact (every pair up to 10 bits, sampled above), and save it';

const defaults = defaultConfig(8);

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<TrainArgs> {
  return yargs
    .options({
      bits: intOption('bits', 'Operand width N: sequences of N+1 steps', { min: 1, max: MAX_TRAIN_BITS, default: 8 }),
      hidden: intOption('hidden', 'Hidden size H', { min: 1, max: MAX_HIDDEN, default: defaults.hidden }),
      batch: intOption('batch', 'Pairs per minibatch (1: per-sample SGD, as the seeds)', { min: 1, max: MAX_BATCH, default: defaults.batch }),
      lr: positiveOption('lr', `Learning rate [default: ${Object.entries(DEFAULT_LEARNING_RATES).map(([o, lr]) => `${o} ${lr}`).join(', ')}]`),
      optimizer: choiceOption('Update rule', OPTIMIZERS, defaults.optimizer),
      engine: choiceOption('Gradients by the hand-derived BPTT or by tf.grad', ENGINES, defaults.engine),
      loss: choiceOption('Loss: ½(y−ŷ)² (the seeds\') or cross-entropy', LOSSES, defaults.loss),
      clip: positiveOption('clip', 'Scale the gradient down to this global norm when it is longer'),
      init: choiceOption('Initial weights: uniform(−1, 1) as the seeds, or glorot', INITS, defaults.init),
      bias: { describe: 'Include the biases bs and by (--no-bias: the seeds\' network)', type: 'boolean', default: defaults.bias },
      seed: intOption('seed', 'Seed of the initial weights and the training pairs', { min: 0, default: defaults.seed }),
      'max-samples': intOption('max-samples', 'Training pairs after which a run that is not exact gives up', {
        min: 1,
        max: MAX_TRAIN_SAMPLES,
        default: defaults.maxSamples,
      }),
      out: { describe: 'Model directory to write, only once the adder is exact [default: models/adder-<bits>]', type: 'string', requiresArg: true },
      plot: { describe: 'Directory to write training.svg into: loss and accuracy against samples', type: 'string', requiresArg: true },
    })
    .example('$0 train', 'an exact 8-bit adder in models/adder-8')
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
      : `NOT exact: ${percent(acc.accuracy)} of sums right (${checked}); try more --max-samples or another --seed`,
    out !== undefined ? `saved to ${out}` : 'nothing saved',
  ].join('\n');
}

export const handler = run<TrainArgs>(async (args, backend) => {
  const config: TrainConfig = {
    bits: args.bits,
    hidden: args.hidden,
    bias: args.bias,
    init: args.init,
    loss: args.loss,
    optimizer: args.optimizer,
    lr: args.lr ?? DEFAULT_LEARNING_RATES[args.optimizer],
    batch: args.batch,
    clip: args.clip,
    engine: args.engine,
    seed: args.seed,
    maxSamples: args.maxSamples,
  };
  const out = path.resolve(args.out ?? path.join('models', `adder-${args.bits}`));
  // An --out or --plot that cannot be written is said before training, not after; the lock on --out refuses a
  // second run saving there at once.
  const lock = await lockModelDirectory(out);
  try {
    if (args.plot !== undefined) await makePlotDirectory(args.plot);
    await trainAndReport(args, config, out, backend, lock);
  } finally {
    await lock.release();
  }
});

async function trainAndReport(args: TrainArgs, config: TrainConfig, out: string, backend: string, lock: SaveLock): Promise<void> {
  const bar = progressBar(args.json === true);
  let result: TrainResult;
  try {
    result = await train(config, bar?.hooks);
  } finally {
    bar?.stop();
  }
  try {
    if (result.exact) await saveModel(out, result, { lock });
    const title = `${args.bits}-bit adder, ${result.config.optimizer}, seed ${args.seed}`;
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
}
