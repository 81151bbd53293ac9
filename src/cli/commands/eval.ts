// `rnn-adder eval`: a saved model measured on its task: an adder at its width, per output bit and at wider
// numbers; an echo on a fresh stream; the adding problem on fresh sequences.
import type { Argv } from 'yargs';
import { DEFAULT_SAMPLED_PAIRS, EXHAUSTIVE_MAX_BITS, MAX_EVAL_BITS } from '../../limits';
import { TEST_SEQUENCES } from '../../tasks/adding-problem';
import { ECHO_TEST_BITS } from '../../tasks/echo';
import { modelOption } from '../model-option';
import { MAX_EVAL_SAMPLES } from '../../limits';
import { intOption } from '../options';
import { lazyHandler } from '../run';
import type { EvalArgs } from '../actions/eval';

export const command = 'eval';
export const describe =
  'Measure a saved model on its task: an adder\'s exact sums, per bit and at wider numbers; an echo on a fresh stream; the adding problem on fresh sequences';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<EvalArgs> {
  return yargs
    .options({
      model: modelOption('Model directory to evaluate', true),
      bits: intOption('bits', `Operand width to evaluate (default: the model's); every pair up to ${EXHAUSTIVE_MAX_BITS} bits`, {
        min: 1,
        max: MAX_EVAL_BITS,
      }),
      samples: intOption(
        'samples',
        `Random pairs per width above ${EXHAUSTIVE_MAX_BITS} bits (carry-chain cases come on top); an echo's stream bits; ` +
          `adding-problem sequences [default: ${DEFAULT_SAMPLED_PAIRS}; echo ${ECHO_TEST_BITS}, adding-problem ${TEST_SEQUENCES}]`,
        { min: 1, max: MAX_EVAL_SAMPLES },
      ),
      seed: intOption('seed', 'Seed of the sampled pairs', { min: 0, default: 0 }),
    })
    .example('$0 eval --model models/adder-8', 'all 65,536 8-bit pairs, then 16, 32 and 64 bits sampled')
    .example('$0 eval --model models/adder-16 --samples 100000 --json', 'a bigger sample, as JSON')
    .example('$0 eval --model models/echo-3', 'an echo network on a fresh 2,000-bit stream') as unknown as Argv<EvalArgs>;
}

export const handler = lazyHandler<EvalArgs>(() => import('../actions/eval'));
