// `rnn-adder train`: trains an adder until it is exact, saves it, prints one summary.
import * as fs from 'fs';
import * as path from 'path';
import type { Argv } from 'yargs';
import {
  checkBpttStates,
  DEFAULT_LEARNING_RATES,
  defaultConfig,
  ENGINES,
  INITS,
  LOSSES,
  MAX_BATCH,
  MAX_HIDDEN,
  MAX_TRAIN_BITS,
  MAX_TRAIN_SAMPLES,
  OPTIMIZERS,
} from '../../names';
import { cellOption, choiceOption, intOption, positiveOption } from '../options';
import { lazyHandler } from '../run';
import type { TrainArgs } from '../actions/train';

export const command = 'train';
export const describe = 'Train an adder until it is exact (every pair up to 10 bits, sampled above), and save it';

const defaults = defaultConfig(8);

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<TrainArgs> {
  return yargs
    .options({
      bits: intOption('bits', 'Operand width N: sequences of N+1 steps', { min: 1, max: MAX_TRAIN_BITS, default: 8 }),
      cell: cellOption,
      hidden: intOption('hidden', 'Hidden size H', { min: 1, max: MAX_HIDDEN, default: defaults.hidden }),
      batch: intOption('batch', 'Pairs per minibatch (1: per-sample SGD, as Trask\'s numpy adder)', { min: 1, max: MAX_BATCH, default: defaults.batch }),
      lr: positiveOption('lr', `Learning rate [default: ${Object.entries(DEFAULT_LEARNING_RATES).map(([o, lr]) => `${o} ${lr}`).join(', ')}]`),
      optimizer: choiceOption('Update rule', OPTIMIZERS, defaults.optimizer),
      engine: choiceOption(
        'Gradients by the fused kernel, the hand-derived BPTT on tensors, or tf.grad [default: fused; bptt for a cell without a fused kernel]',
        ENGINES,
      ),
      loss: choiceOption('Loss: ½(y−ŷ)² (Trask\'s) or cross-entropy', LOSSES, defaults.loss),
      clip: positiveOption('clip', 'Scale the gradient down to this global norm when it is longer'),
      init: choiceOption('Initial weights: uniform(−1, 1) as Trask\'s numpy adder, or glorot', INITS, defaults.init),
      bias: { describe: 'Include the biases bs and by (--no-bias: Trask\'s numpy adder\'s network)', type: 'boolean', default: defaults.bias },
      seed: intOption('seed', 'Seed of the initial weights and the training pairs', { min: 0, default: defaults.seed }),
      'max-samples': intOption('max-samples', 'Training pairs after which a run that is not exact gives up', {
        min: 1,
        max: MAX_TRAIN_SAMPLES,
        default: defaults.maxSamples,
      }),
      out: {
        describe: 'Model directory to write, only once the adder is exact [default: models/adder-<bits>, models/<cell>-<bits> for lstm and gru]',
        type: 'string',
        requiresArg: true,
      },
      force: { describe: 'Replace the model already at --out (atomically, once the new one is exact)', type: 'boolean', default: false },
      plot: { describe: 'Directory to write training.svg into: loss and accuracy against samples', type: 'string', requiresArg: true },
    })
    // Decided before training starts, so that no run is wasted on a model that will not be saved.
    .check((args) => {
      // The coerce functions have made these numbers.
      const { batch, bits, hidden } = args as unknown as { batch: number; bits: number; hidden: number };
      checkBpttStates(batch, bits + 1, hidden, '--batch, --bits or --hidden');
      args.out = path.resolve(args.out ?? path.join('models', `${args.cell === 'elman' ? 'adder' : args.cell}-${args.bits}`));
      const occupant = occupantOf(args.out);
      if (occupant === 'file') throw new Error(`--out ${args.out} is a file, not a model directory`);
      if (occupant === 'model' && !args.force) throw new Error(`${args.out} already holds a model: pass --force to replace it`);
      return true;
    })
    .example('$0 train --force', 'an exact 8-bit adder in models/adder-8, replacing the one there')
    .example('$0 train --bits 16 --out /tmp/adder-16', 'an exact 16-bit adder (checked on a sample)')
    .example('$0 train --cell lstm', 'an exact 8-bit LSTM adder in models/lstm-8')
    .example('$0 train --optimizer sgd --batch 1 --lr 0.9 --no-bias', 'Trask\'s per-sample SGD, slowly')
    .example('$0 train --engine autodiff --json', 'gradients by tf.grad; one JSON object') as unknown as Argv<TrainArgs>;
}

/** What is at `dir` now: nothing (or an empty directory), a file, or a directory with something in it. */
function occupantOf(dir: string): 'none' | 'file' | 'model' {
  if (!fs.existsSync(dir)) return 'none';
  if (!fs.statSync(dir).isDirectory()) return 'file';
  return fs.readdirSync(dir).length > 0 ? 'model' : 'none';
}

export const handler = lazyHandler<TrainArgs>(() => import('../actions/train'));
