// `rnn-adder grads`: the batch loss and hand-BPTT gradient of a saved model on given additions, for outside checks.
import type { Argv } from 'yargs';
import { MAX_EVAL_BITS } from '../../limits';
import { LOSSES } from '../../names';
import { modelOption } from '../model-option';
import { choiceOption, intOption } from '../options';
import { lazyHandler } from '../run';
import type { GradsArgs } from '../actions/grads';

export const command = 'grads';
export const describe = "Print the batch loss and the hand-BPTT gradient of every parameter on given additions";

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<GradsArgs> {
  return yargs
    .options({
      model: modelOption('Model directory whose weights to differentiate at', true),
      pairs: { describe: 'The batch: comma-separated additions A+B', type: 'string', demandOption: true, requiresArg: true },
      bits: intOption('bits', "Operand width N, so T = N+1 steps (default: the model's)", { min: 1, max: MAX_EVAL_BITS }),
      loss: choiceOption("Loss to differentiate (default: the model's training loss)", LOSSES),
    })
    .example('$0 grads --model models/adder-8 --pairs "3+5,200+55" --json', '{"loss": …, "grads": {"Wx": [[…]], …}}')
    .example('$0 grads --model models/adder-8 --pairs "255+1" --bits 12 --loss bce', 'on 13 steps, cross-entropy') as unknown as Argv<GradsArgs>;
}

export const handler = lazyHandler<GradsArgs>(() => import('../actions/grads'));
