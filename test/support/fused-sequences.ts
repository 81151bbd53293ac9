// The gated kernels' sequence cases (test/engine/fused-lstm.test.ts, test/engine/fused-gru.test.ts): a kernel against a
// yardstick on a batch of the adding problem, with its loss mask, truncated BPTT and a state carried in.
import {
  compareGradients,
  finiteDifferenceGrads,
  LossAndGradsFn,
  plainLossAndGrads,
} from '../../src/check/gradcheck';
import { plainParams, PlainState } from '../../src/check/reference';
import { seededRng } from '../../src/data/sample';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { CELL_ENGINES } from '../../src/engine/cells';
import { LossName } from '../../src/engine/loss';
import { CellName, disposeParams, initParams } from '../../src/engine/params';
import { addingProblemBatch } from '../../src/tasks/adding-problem';
import { TOLERANCES, Yardstick } from './check-gradients';

export interface SequenceCase {
  /** The adding problem's sequence length (its batches are padded to 110% of it) and the batch. */
  length: number;
  batch: number;
  hidden: number;
  bias: boolean;
  loss: LossName;
  /** K of truncated BPTT; full BPTT when absent. */
  tbptt?: number;
  /** A random state carried in, as from a stream's previous window: h in (−1, 1), the LSTM's c in (−2, 2). */
  carried?: boolean;
  seed: number;
}

export const describeCase = (c: SequenceCase): string =>
  `adding problem T ${c.length}, H ${c.hidden}, B ${c.batch}, ${c.loss}, tbptt ${c.tbptt ?? '∞'}` +
  `${c.carried ? ', state carried in' : ''}${c.bias ? '' : ', no biases'}`;

/** Random h_0 for each sequence from the seed, and c_0 for the LSTM. */
export function carriedState(c: SequenceCase, cell: CellName): PlainState {
  const rng = seededRng(c.seed + 2);
  const rows = (scale: number) => Array.from({ length: c.batch }, () => Array.from({ length: c.hidden }, () => scale * (2 * rng() - 1)));
  const h = rows(1);
  return cell === 'lstm' ? { h, c: rows(2) } : { h };
}

/**
 * fn (a kernel of `cell`, or a mutant) against a yardstick on a batch of the adding problem: a loss at one step of
 * each sequence (the mask), sequences of different lengths padded, the gradient truncated every `tbptt` steps and
 * a state carried in when the case says so; `initial` replaces the case's carried state.
 */
export function compareOnSequences(
  cell: CellName,
  c: SequenceCase,
  yardstick: Yardstick,
  fn: LossAndGradsFn,
  initial: PlainState | undefined = c.carried ? carriedState(c, cell) : undefined,
) {
  const params = initParams({ cell, hidden: c.hidden, inputs: 2, bias: c.bias }, c.seed);
  const data = addingProblemBatch(seededRng(c.seed + 1), c.length, c.batch);
  const options = { tbptt: c.tbptt, initial };
  try {
    const ours = plainLossAndGrads(fn, params, data, c.loss, options);
    const expected =
      yardstick === 'finite differences'
        ? { grads: finiteDifferenceGrads(plainParams(params), data, c.loss, options), loss: NaN }
        : plainLossAndGrads(yardstick === 'bptt' ? CELL_ENGINES[cell].lossAndGrads : autodiffLossAndGrads, params, data, c.loss, options);
    const comparison = compareGradients(`fused ${cell} vs ${yardstick}`, expected.grads, ours.grads, TOLERANCES[yardstick]);
    return { comparison, loss: ours.loss, expectedLoss: expected.loss };
  } finally {
    disposeParams(params);
  }
}
