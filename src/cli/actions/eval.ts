// The work of `rnn-adder eval`: load the model; an adder measured at its width and at wider numbers, an echo on a
// fresh stream, an adding-problem network on fresh sequences; print the result.
import {
  Accuracy,
  AddingProblemScore,
  BackendName,
  checkPairSteps,
  disposeParams,
  ECHO_TEST_BITS,
  EchoScore,
  evaluate,
  EXHAUSTIVE_MAX_BITS,
  GENERALIZATION_WIDTHS,
  lengthGeneralization,
  LoadedModel,
  loadModel,
  RIGHT_WITHIN,
  scoreEcho,
  TEST_SEQUENCES,
  testAddingProblem,
  UserError,
} from '../../index';
import { DEFAULT_SAMPLED_PAIRS } from '../../limits';
import { percent } from '../percent';
import { CommonArgs, emit } from '../run';

export interface EvalArgs extends CommonArgs {
  model: string;
  bits?: number;
  samples?: number;
  seed: number;
}

function summary(acc: Accuracy): string {
  return `${percent(acc.accuracy)} exact (${acc.correct.toLocaleString('en')} of ${acc.pairs.toLocaleString('en')} pairs, ${acc.method})`;
}

/** An echo or adding-problem network scored on fresh data of its task. */
function evalLongLag(args: EvalArgs, backend: BackendName, loaded: LoadedModel): void {
  const { params, metadata, config } = loaded;
  let score: EchoScore | AddingProblemScore;
  try {
    score =
      metadata.task === 'echo'
        ? scoreEcho(params, metadata.delay!, args.seed, args.samples ?? ECHO_TEST_BITS)
        : testAddingProblem(params, metadata.length!, args.seed, args.samples ?? TEST_SEQUENCES);
  } finally {
    disposeParams(params);
  }
  const task = metadata.task === 'echo' ? `echo, delay ${metadata.delay}` : `adding problem, T = ${metadata.length}`;
  emit(args, { model: args.model, backend, task: metadata.task, hidden: config.hidden, score }, () =>
    [
      `model ${args.model} (${task}, H = ${config.hidden}${config.bias ? '' : ', no bias'}), backend ${backend}`,
      'delay' in score
        ? `${percent(score.right / score.scored)} echoed right (${score.right.toLocaleString('en')} of ` +
          `${score.scored.toLocaleString('en')} bits after the first ${score.delay} of a fresh stream)${score.exact ? ': exact' : ''}`
        : `${score.wrong} wrong of ${score.sequences.toLocaleString('en')} fresh sequences (|error| ≥ ${RIGHT_WITHIN}), ` +
          `mean squared error ${score.mse.toExponential(2)}`,
    ].join('\n'),
  );
}

export async function run(args: EvalArgs, backend: BackendName): Promise<void> {
  const loaded = await loadModel(args.model);
  const { params, metadata, config } = loaded;
  if ((metadata.task ?? 'add') !== 'add') {
    if (args.bits !== undefined) {
      disposeParams(params);
      throw new UserError(`--bits applies to adders; ${args.model} holds a network trained on the ${metadata.task} task`);
    }
    return evalLongLag(args, backend, loaded);
  }
  const samples = args.samples ?? DEFAULT_SAMPLED_PAIRS;
  let accuracy: Accuracy;
  let generalization: Accuracy[];
  try {
    const bits = args.bits ?? metadata.bits;
    // Up to EXHAUSTIVE_MAX_BITS the exhaustive check shares prefixes and costs next to nothing.
    const sampledWidths = [...(bits > EXHAUSTIVE_MAX_BITS ? [bits] : []), ...GENERALIZATION_WIDTHS];
    checkPairSteps(samples * sampledWidths.reduce((sum, w) => sum + w + 1, 0), config.hidden, '--samples or --bits');
    accuracy = evaluate({ params }, bits, { samples, seed: args.seed });
    generalization = lengthGeneralization(params, { samples, seed: args.seed });
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
