// The work of `rnn-adder grads`: the batch loss and hand-BPTT gradient of a saved model, printed in full.
import { BackendName, batchGradients, checkBpttStates, disposeParams, loadAdder, LossName, PARAM_NAMES, parsePairs } from '../../index';
import { CommonArgs, emit } from '../run';

export interface GradsArgs extends CommonArgs {
  model: string;
  pairs: string;
  bits?: number;
  loss?: LossName;
}

function rows(value: number[] | number[][]): string[] {
  const matrix = Array.isArray(value[0]) ? (value as number[][]) : [value as number[]];
  return matrix.map((row) => '  ' + row.map((v) => v.toExponential(6).padStart(14)).join(' '));
}

export async function run(args: GradsArgs, backend: BackendName): Promise<void> {
  const pairs = parsePairs(args.pairs);
  const { params, metadata, config } = await loadAdder(args.model);
  const bits = args.bits ?? metadata.bits;
  const kind = args.loss ?? metadata.loss;
  let result;
  try {
    checkBpttStates(pairs.a.length, bits + 1, config.hidden, 'the number of --pairs or --bits');
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
}
