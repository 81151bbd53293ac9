// The work of `rnn-adder eval`: load the adder, measure it at its width and at wider numbers, print the table.
import {
  Accuracy,
  BackendName,
  checkPairSteps,
  disposeParams,
  evaluate,
  EXHAUSTIVE_MAX_BITS,
  GENERALIZATION_WIDTHS,
  lengthGeneralization,
  loadModel,
} from '../../index';
import { percent } from '../percent';
import { CommonArgs, emit } from '../run';

export interface EvalArgs extends CommonArgs {
  model: string;
  bits?: number;
  samples: number;
  seed: number;
}

function summary(acc: Accuracy): string {
  return `${percent(acc.accuracy)} exact (${acc.correct.toLocaleString('en')} of ${acc.pairs.toLocaleString('en')} pairs, ${acc.method})`;
}

export async function run(args: EvalArgs, backend: BackendName): Promise<void> {
  const { params, metadata, config } = await loadModel(args.model);
  let accuracy: Accuracy;
  let generalization: Accuracy[];
  try {
    const bits = args.bits ?? metadata.bits;
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
}
