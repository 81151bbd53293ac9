// `rnn-adder gradflow`: how the gradient of the last step's loss fades (or grows) with the lag, for a trained
import type { Argv } from 'yargs';
import { LOSSES } from '../../names';
import { modelOption } from '../model-option';
import { cellOption, choiceOption, intOption, positiveOption } from '../options';
import { lazyHandler } from '../run';
import type { GradFlowArgs } from '../actions/gradflow';

// network next to its untrained self, with and without clipping; a table, and gradflow.svg with --plot.

export const command = 'gradflow';
export const describe = 'Show how ‖∂L_T/∂s_k‖, the last step\'s loss gradient, fades with the lag T−k';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<GradFlowArgs> {
  return yargs
    .options({
      model: {
        ...modelOption('Trained model directory, shown next to its own untrained initial weights; repeat it to compare models', false),
        array: true,
      },
      random: { describe: 'An untrained network (uniform(−1, 1) weights from --seed) instead of a model', type: 'boolean' },
      cell: { ...cellOption, describe: 'Cell of the --random network; repeat it to compare cells', array: true },
      hidden: intOption('hidden', 'Hidden size of the --random network', { min: 1, max: 1024, default: 16 }),
      bits: intOption('bits', 'Operand width of the random additions: lags 0 … bits', { min: 1, max: 256, default: 16 }),
      samples: intOption('samples', 'Random additions averaged over', { min: 1, max: 100000, default: 256 }),
      seed: intOption('seed', 'Seed of the additions (and of the --random weights)', { min: 0, default: 0 }),
      clip: positiveOption('clip', 'Global-norm clipping threshold c for the clipped curves', 1),
      loss: choiceOption("Loss whose last step is differentiated (default: the model's, mse for --random)", LOSSES),
      plot: { describe: 'Directory to write gradflow.svg into', type: 'string', requiresArg: true },
    })
    .conflicts('model', 'random')
    .check((args) => {
      if (args.model === undefined && !args.random) throw new Error('name a network: --model DIR or --random');
      return true;
    })
    .example('$0 gradflow --model models/adder-8 --plot /tmp/rnn-adder', 'trained vs untrained, table and picture')
    .example('$0 gradflow --random --bits 32 --json', 'an untrained network over 32 lags, as JSON')
    .example('$0 gradflow --model models/adder-8 --model models/lstm-8 --model models/gru-8 --bits 100', 'three cells, 100 lags') as unknown as Argv<
    GradFlowArgs
  >;
}

export const handler = lazyHandler<GradFlowArgs>(() => import('../actions/gradflow'));
