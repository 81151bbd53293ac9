// `rnn-adder inspect --model DIR`: the automaton read off the hidden states, next to the full adder, and
import type { Argv } from 'yargs';
import { DEFAULT_INSPECT, INSPECT_MAX } from '../../analysis/inspect-options';
import { modelOption } from '../model-option';
import { intOption } from '../options';
import { lazyHandler } from '../run';
import type { InspectArgs } from '../actions/inspect';

// what can be claimed from it; inspect.svg with --plot.

export const command = 'inspect';
export const describe = 'Read the automaton off the hidden states and compare it with the full adder\'s carry';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<InspectArgs> {
  return yargs
    .options({
      model: modelOption('Trained model directory', true),
      bits: intOption('bits', 'Width of the additions that drive the network (default: the model\'s)', { min: 1, max: INSPECT_MAX.bits }),
      samples: intOption('samples', 'Random additions driving the network (carry-chain cases come on top)', {
        min: 1,
        max: INSPECT_MAX.samples,
        default: DEFAULT_INSPECT.samples,
      }),
      seed: intOption('seed', 'Seed of the additions and of k-means', { min: 0, default: DEFAULT_INSPECT.seed }),
      plot: { describe: 'Directory to write inspect.svg into', type: 'string', requiresArg: true },
    })
    .example('$0 inspect --model models/adder-8', 'the learned table, the full adder\'s, and the verdict')
    .example('$0 inspect --model models/adder-8 --plot /tmp/rnn-adder --json', 'also draw it; print JSON') as unknown as Argv<InspectArgs>;
}

export const handler = lazyHandler<InspectArgs>(() => import('../actions/inspect'));
