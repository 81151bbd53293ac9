// `rnn-adder eval`: how exact a saved adder is at its width, per output bit, and at wider numbers.
import type { Argv } from 'yargs';
import {
  Accuracy,
  DEFAULT_SAMPLED_PAIRS,
  disposeParams,
  evaluate,
  EXHAUSTIVE_MAX_BITS,
  GENERALIZATION_WIDTHS,
  lengthGeneralization,
  loadModel,
  MAX_EVAL_BITS,
  MAX_EVAL_SAMPLES,
  checkPairSteps,
} from '../../index';
import { modelOption } from '../model-option';
import { percent } from '../percent';
import { intOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface EvalArgs extends CommonArgs {
  model: string;
  bits?: number;
  samples: number;
  seed: number;
}

export const command = 'eval';
export const describe = 'Measure a saved adder: exact sums, accuracy per bit, and length generalization';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<EvalArgs> {
  return yargs
    .options({
      model: modelOption('Model directory to evaluate', true),
      bits: intOption('bits', `Operand width to evaluate (default: the model's); every pair up to ${EXHAUSTIVE_MAX_BITS} bits`, {
        min: 1,
        max: MAX_EVAL_BITS,
      }),
      samples: intOption('samples', `Random pairs per width above ${EXHAUSTIVE_MAX_BITS} bits (carry-chain cases come on top)`, {
        min: 1,
        max: MAX_EVAL_SAMPLES,
        default: DEFAULT_SAMPLED_PAIRS,
      }),
      seed: intOption('seed', 'Seed of the sampled pairs', { min: 0, default: 0 }),
    })
    .example('$0 eval --model models/adder-8', 'all 65,536 8-bit pairs, then 16, 32 and 64 bits sampled')
    .example('$0 eval --model models/adder-16 --samples 100000 --json', 'a bigger sample, as JSON') as unknown as Argv<EvalArgs>;
}

function summary(acc: Accuracy): string {
  return `${percent(acc.accuracy)} exact (${acc.correct.toLocaleString('en')} of ${acc.pairs.toLocaleString('en')} pairs, ${acc.method})`;
}

export const handler = run<EvalArgs>(async (args, backend) => {
  const { params, metadata, config } = await loadModel(args.model);
  const bits = args.bits ?? metadata.bits;
  let accuracy: Accuracy;
  let generalization: Accuracy[];
  try {
    // Up to EXHAUSTIVE_MAX_BITS the exhaustive check shares prefixes and costs next to nothing.
    const sampledWidths = [...(bits > EXHAUSTIVE_MAX_BITS ? [bits] : []), ...GENERALIZATION_WIDTHS];
    checkPairSteps(args.samples * sampledWidths.reduce((sum, w) => sum + w + 1, 0), config.hidden, '--samples or --bits');
    accuracy = evaluate({ params }, bits, { samples: args.samples, seed: args.seed });
    generalization = lengthGeneralization(params, { samples: args.samples, seed: args.seed });
  } finally {
    disposeParams(params);
  }
  const result = { model: args.model, backend, trainedBits: metadata.bits, hidden: config.hidden, accuracy, lengthGeneralization: generalization };
  emit(args, result, () =>
    [
      `model ${args.model} (trained on ${metadata.bits} bits, H = ${config.hidden}${config.bias ? '' : ', no bias'}), backend ${backend}`,
      `${accuracy.bits} bits: ${summary(accuracy)}`,
      `per output bit (t = 0 … ${accuracy.bits}, the last is the carry-out):`,
      ...accuracy.bitAccuracy.map((a, t) => `  t = ${String(t).padStart(2)}  ${percent(a)}`),
      ...accuracy.failures.map((f) => `  wrong: ${f.a} + ${f.b} = ${f.want}, the model says ${f.got}`),
      'length generalization:',
      ...generalization.map((g) => `  ${String(g.bits).padStart(2)} bits: ${summary(g)}`),
    ].join('\n'),
  );
});
