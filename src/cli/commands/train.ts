// `rnn-adder train`: trains an adder until it is exact, or a long-lag task until solved; saves it, prints one summary.
import * as fs from 'fs';
import * as path from 'path';
import type { Argv } from 'yargs';
import { asFlag, messageFor } from '../../errors';
import { MAX_BATCH, MAX_HIDDEN, MAX_TRAIN_BITS, MAX_TRAIN_SAMPLES } from '../../limits';
import { ENGINES, INITS, LOSSES, OPTIMIZERS, TASKS } from '../../names';
import { MAX_LENGTH, MIN_LENGTH } from '../../tasks/adding-problem';
import { DEFAULT_DELAY, MAX_DELAY } from '../../tasks/echo';
import { DEFAULT_LEARNING_RATES, defaultConfig, defaultTaskConfig, resolveConfig, TrainConfig } from '../../train/config';
import { ADDER_ADAM, AdamSettings } from '../../train/optimizers';
import type { TrainArgs } from '../actions/train';
import { cellOption, choiceOption, intOption, positiveOption, unitIntervalOption } from '../options';
import { lazyHandler } from '../run';
import { defaultModelDir, TRAINED_DIR, trainOptionsOf } from '../train-config';

export const command = 'train';
export const describe =
  'Train an adder until it is exact (every pair up to 10 bits, sampled above), or the echo or the adding problem until solved, and save it';

const defaults = defaultConfig(8);
const echo = defaultTaskConfig('echo');
const adding = defaultTaskConfig('adding-problem');
/** A default per task, for the help: `[default: 16; echo 4, adding-problem 16]`. */
const perTask = (key: keyof TrainConfig): string =>
  `[default: ${defaults[key]}; echo ${echo[key]}, adding-problem ${adding[key]}]`;
/** Adam's setting per task, for the help: `[default: 0.7; adding-problem 0.9]`. */
const perTaskAdam = (key: keyof AdamSettings): string => `[default: ${ADDER_ADAM[key]}; adding-problem ${(adding.adam ?? ADDER_ADAM)[key]}]`;

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
      tbptt: intOption(
        'tbptt',
        `Truncated BPTT: gradients reach back at most K steps; echo reads its streams K steps at a time [default: full; echo ${echo.tbptt}]`,
        { min: 1 },
      ),
      cell: cellOption,
      hidden: intOption('hidden', `Hidden size H ${perTask('hidden')}`, { min: 1, max: MAX_HIDDEN }),
      batch: intOption('batch', `Pairs, streams or sequences per minibatch (1: per-sample SGD, as Trask's numpy adder) ${perTask('batch')}`, {
        min: 1,
        max: MAX_BATCH,
      }),
      lr: positiveOption(
        'lr',
        `Learning rate [default: ${Object.entries(DEFAULT_LEARNING_RATES).map(([o, lr]) => `${o} ${lr}`).join(', ')}; ` +
          `echo ${echo.lr}, adding-problem ${adding.lr}]`,
      ),
      optimizer: choiceOption('Update rule', OPTIMIZERS, defaults.optimizer),
      beta1: unitIntervalOption('beta1', `adam: decay rate of the gradient's running mean ${perTaskAdam('beta1')}`),
      beta2: unitIntervalOption('beta2', `adam: decay rate of the squared gradient's running mean ${perTaskAdam('beta2')}`),
      epsilon: positiveOption('epsilon', `adam: added to the root of the squared gradient's mean ${perTaskAdam('epsilon')}`),
      engine: choiceOption(
        'Gradients by the fused kernel, the hand-derived BPTT on tensors, or tf.grad [default: fused where the cell\'s kernel computes the task (elman: whole additions, lstm: every task); bptt otherwise]',
        ENGINES,
      ),
      loss: choiceOption('Loss: ½(y−ŷ)² (Trask\'s) or cross-entropy', LOSSES, defaults.loss),
      clip: positiveOption('clip', 'Scale the gradient down to this global norm when it is longer'),
      init: choiceOption(
        'Initial weights: uniform(−1, 1) as Trask\'s numpy adder, glorot, or chrono (an LSTM\'s gate biases set to the lag) ' +
          '[default: uniform; chrono for an LSTM on the adding problem]',
        INITS,
      ),
      bias: { describe: 'Include the biases bs and by (--no-bias: Trask\'s numpy adder\'s network)', type: 'boolean', default: defaults.bias },
      seed: intOption('seed', 'Seed of the initial weights and the training pairs', { min: 0, default: defaults.seed }),
      'max-samples': intOption(
        'max-samples',
        `Training pairs, stream bits or sequences after which an unsolved run gives up ${perTask('maxSamples')}`,
        { min: 1, max: MAX_TRAIN_SAMPLES },
      ),
      out: {
        describe:
          `Model directory to write, only once solved [default: ${TRAINED_DIR}/adder-<bits> (lstm-<bits>, gru-<bits>), ` +
          `${TRAINED_DIR}/echo-<delay>, ${TRAINED_DIR}/adding-problem-<length> (lstm-echo-<delay>, …), then -seed-<N> for a seed other than 0]`,
        type: 'string',
        requiresArg: true,
      },
      force: { describe: 'Replace the model already at --out (atomically, once the new one is exact)', type: 'boolean', default: false },
      plot: { describe: 'Directory to write training.svg into: loss and accuracy against samples', type: 'string', requiresArg: true },
    })
    // Decided before training starts, so that no run is wasted on a model that will not be saved.
    .check((args) => {
      // The configuration, built and checked here once: flags of another task, or a stream window longer than the
      // stream, are usage errors too. The check names options as the API does; here they are flags.
      try {
        args.config = resolveConfig(trainOptionsOf(args as unknown as TrainArgs));
      } catch (error) {
        throw new Error(messageFor(error, asFlag));
      }
      args.out = path.resolve(args.out ?? defaultModelDir(args.config as TrainConfig));
      const occupant = occupantOf(args.out);
      if (occupant === 'file') throw new Error(`--out ${args.out} is a file, not a model directory`);
      if (occupant === 'model' && !args.force) throw new Error(`${args.out} already holds a model: pass --force to replace it`);
      // A picture inside the model directory would be saved into the model, which --force then could not replace.
      if (args.plot !== undefined && isWithin(args.out, path.resolve(args.plot))) {
        throw new Error(`--plot ${args.plot} is inside the model directory ${args.out}: write the picture elsewhere`);
      }
      return true;
    })
    .example('$0 train', `an exact 8-bit adder in ${TRAINED_DIR}/adder-8`)
    .example('$0 train --task echo', 'the echo of the TensorFlow examples with Trask\'s adder: delay 3, hidden 4, batch 5, truncation 15')
    .example('$0 train --task adding-problem --length 20', 'Hochreiter & Schmidhuber\'s adding problem at T = 20')
    .example('$0 train --bits 16 --out /tmp/adder-16', 'an exact 16-bit adder (checked on a sample)')
    .example('$0 train --cell lstm --seed 2', `an exact 8-bit LSTM adder in ${TRAINED_DIR}/lstm-8-seed-2`)
    .example('$0 train --optimizer sgd --batch 1 --lr 0.9 --no-bias', 'Trask\'s per-sample SGD, slowly')
    .example('$0 train --engine autodiff --json', 'gradients by tf.grad; one JSON object') as unknown as Argv<TrainArgs>;
}

/** True when `inner` is `dir` or lies inside it. */
function isWithin(dir: string, inner: string): boolean {
  const relative = path.relative(dir, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** What is at `dir` now: nothing (or an empty directory), a file, or a directory with something in it. */
function occupantOf(dir: string): 'none' | 'file' | 'model' {
  if (!fs.existsSync(dir)) return 'none';
  if (!fs.statSync(dir).isDirectory()) return 'file';
  return fs.readdirSync(dir).length > 0 ? 'model' : 'none';
}

export const handler = lazyHandler<TrainArgs>(() => import('../actions/train'));
