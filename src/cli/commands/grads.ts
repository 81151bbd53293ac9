// `rnn-adder grads`: the batch loss and hand-BPTT gradient of a saved model on given additions, for outside checks.
import type { Argv } from 'yargs';
import { batchGradients, disposeParams, loadAdder, LOSSES, LossName, MAX_EVAL_BITS, PARAM_NAMES, parsePairs } from '../../index';
import { modelOption } from '../model-option';
import { choiceOption, intOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface GradsArgs extends CommonArgs {
  model: string;
  pairs: string;
  bits?: number;
  loss?: LossName;
}

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

function rows(value: number[] | number[][]): string[] {
  const matrix = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
  return matrix.map((row) => '  ' + row.map((v) => v.toExponential(6).padStart(14)).join(' '));
}

export const handler = run<GradsArgs>(async (args, backend) => {
  const pairs = parsePairs(args.pairs);
  const { params, metadata } = await loadAdder(args.model);
  const bits = args.bits ?? metadata.bits;
  const kind = args.loss ?? metadata.loss;
  let result;
  try {
    result = batchGradients(params, pairs, bits, kind);
  } finally {
    disposeParams(params);
  }
  const { loss, grads } = result;
  emit(args, { loss, grads }, () =>
    [
      `loss (${kind}, mean over ${pairs.a.length} pairs × ${bits + 1} steps): ${loss}`,
      ...PARAM_NAMES.filter((name) => grads[name] !== undefined).flatMap((name) => [`d${name}:`, ...rows(grads[name]!)]),
      `(backend ${backend}; --json prints {"loss", "grads"} with full precision)`,
    ].join('\n'),
  );
});
