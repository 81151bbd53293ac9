// `rnn-adder gradcheck`: hand BPTT and the fused kernel against tf.grad and float64 finite differences on random
// weights and data.
import type { Argv } from 'yargs';
import { DEFAULT_GRADCHECK, GRADCHECK_MAX } from '../../check/gradcheck-config';
import { LOSSES } from '../../names';
import { cellOption, choiceOption, intOption } from '../options';
import { lazyHandler } from '../run';
import type { GradcheckArgs } from '../actions/gradcheck';

export const command = 'gradcheck';
export const describe = 'Compare the hand-derived BPTT gradients (tensor engine and fused kernel) with tf.grad and float64 finite differences';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<GradcheckArgs> {
  return yargs
    .options({
      cell: cellOption,
      bits: intOption('bits', 'Operand width N, so sequences have T = N+1 steps', { min: 1, max: GRADCHECK_MAX.bits, default: DEFAULT_GRADCHECK.bits }),
      hidden: intOption('hidden', 'Hidden size H (at most 64: finite differences perturb all G·H² recurrent weights; Elman at H 64 takes about a minute)', {
        min: 1,
        max: GRADCHECK_MAX.hidden,
        default: DEFAULT_GRADCHECK.hidden,
      }),
      batch: intOption('batch', 'Random additions in the batch', { min: 1, max: GRADCHECK_MAX.batch, default: DEFAULT_GRADCHECK.batch }),
      seed: intOption('seed', 'Seed of the random weights and batch', { min: 0, default: DEFAULT_GRADCHECK.seed }),
      bias: { describe: 'Include the biases bs and by (--no-bias: Trask\'s numpy adder\'s network)', type: 'boolean', default: DEFAULT_GRADCHECK.bias },
      loss: choiceOption('Loss to differentiate', LOSSES, DEFAULT_GRADCHECK.loss),
    })
    .example('$0 gradcheck', '8 bits, H 16, batch 8: every entry of every gradient')
    .example('$0 gradcheck --bits 16 --no-bias --loss bce', 'Trask\'s network on 17 steps, cross-entropy')
    .example('$0 gradcheck --cell lstm --bits 16', 'the LSTM on 17 steps')
    .example('$0 gradcheck --hidden 3 --json', 'one JSON object') as unknown as Argv<GradcheckArgs>;
}

export const handler = lazyHandler<GradcheckArgs>(() => import('../actions/gradcheck'));
