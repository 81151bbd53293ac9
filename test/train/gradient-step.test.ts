// The training loop's step (src/train/gradient-step.ts) on the flat weights: the fused step, which makes no tensor,
// gives the tensor engine's gradient, ŷ and loss (the Elman cell's on additions, the LSTM's and the GRU's masked,
// truncated and from a state carried in too); it leaks nothing; it refuses what a kernel does not compute.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { BPTT_VS_AUTODIFF_TOLERANCE, compareGradients } from '../../src/check/gradcheck';
import { plainParams } from '../../src/check/reference';
import { LOSSES, LossName } from '../../src/engine/loss';
import { CellState } from '../../src/engine/extend';
import { echoWindows } from '../../src/tasks/echo';
import { SequenceBatch } from '../../src/data/sequences';
import { disposeParams, initParams, NetConfig } from '../../src/engine/params';
import { flatLayout, FlatLayout, paramsFromFlat, readFlat } from '../../src/train/flat';
import { gradientStep } from '../../src/train/gradient-step';
import { batchSampler } from '../../src/tasks/add';
import { addingProblemBatch } from '../../src/tasks/adding-problem';
import { seededRng } from '../../src/data/sample';

/** A float32 ŷ or loss computed in two orders of summation agrees to this much. */
const OUTPUT_TOLERANCE = 1e-5;

function flatWeights(config: NetConfig, seed: number): { layout: FlatLayout; weights: Float32Array } {
  const layout = flatLayout(config);
  const initial = initParams(config, seed);
  const weights = readFlat(initial, layout, new Float32Array(layout.size));
  disposeParams(initial);
  return { layout, weights };
}

/** The flat gradient as nested arrays, for compareGradients. */
function plainGrads(grads: Float32Array, layout: FlatLayout) {
  const tensors = paramsFromFlat(grads, layout);
  const plain = plainParams(tensors);
  disposeParams(tensors);
  return plain;
}

/** The largest entry-wise difference of two arrays. */
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/**
 * The fused step and the tensor engine's on the same weights and batch: the same gradient, ŷ and loss (and, for a
 * stream's window, the same last state), the fused step making no tensor and neither leaving one behind.
 */
function expectSameStep(
  layout: FlatLayout,
  weights: Float32Array,
  batch: SequenceBatch,
  kind: LossName,
  carry: { initial?: CellState; tbptt?: number } = {},
): void {
  const [fused, bptt] = [new Float32Array(layout.size), new Float32Array(layout.size)];
  const before = tf.memory().numTensors;
  const ours = gradientStep('fused', weights, layout, batch, kind, fused, carry);
  expect(tf.memory().numTensors, 'tensors made by the fused step').to.equal(before);
  const theirs = gradientStep('bptt', weights, layout, batch, kind, bptt, carry);
  try {
    const label = `tbptt ${carry.tbptt ?? '∞'}${carry.initial ? ', state carried in' : ''}: fused step vs bptt step`;
    const c = compareGradients(label, plainGrads(bptt, layout), plainGrads(fused, layout), BPTT_VS_AUTODIFF_TOLERANCE);
    expect(c.ok, c.message).to.equal(true);
    expect(maxDiff(ours.yhat, theirs.yhat), 'max |ŷ fused − ŷ bptt|').to.be.below(OUTPUT_TOLERANCE);
    expect(ours.loss()).to.be.closeTo(theirs.loss(), OUTPUT_TOLERANCE);
    if (carry.initial) {
      const [mine, other] = [ours.lastState(), theirs.lastState()];
      for (const part of ['h', 'c'] as const) {
        if (other[part] === undefined) continue; // the GRU's state is h alone
        expect(maxDiff(mine[part]!.dataSync(), other[part]!.dataSync()), `max |${part}_T fused − bptt|`).to.be.below(OUTPUT_TOLERANCE);
      }
      tf.dispose([mine, other]);
    }
  } finally {
    ours.dispose();
    theirs.dispose();
  }
  expect(tf.memory().numTensors, 'tensors left after both steps').to.equal(before);
}

describe('the fused training step on the flat weights', () => {
  before(async () => {
    await initBackend();
  });

  for (const bias of [true, false])
    for (const kind of LOSSES) {
      it(`gives the tensor engine's gradient, ŷ and loss (8 bits, H 16, batch 64, ${bias ? 'biases' : 'no biases'}, ${kind})`, () => {
        const { layout, weights } = flatWeights({ hidden: 16, bias }, 7);
        expectSameStep(layout, weights, batchSampler(8, 64, 7)(), kind);
      });
    }

  it('gives the LSTM tensor engine\'s gradient, ŷ and loss on the adding problem, masked and truncated', () => {
    const { layout, weights } = flatWeights({ cell: 'lstm', hidden: 16, inputs: 2, bias: true }, 3);
    const batch = addingProblemBatch(seededRng(3), 30, 32);
    for (const tbptt of [undefined, 7]) expectSameStep(layout, weights, batch, 'mse', { tbptt });
  });

  it('gives the LSTM tensor engine\'s gradient, ŷ, loss and last state on a stream\'s window, the state carried in', () => {
    const { layout, weights } = flatWeights({ cell: 'lstm', hidden: 4, inputs: 1, bias: true }, 4);
    const next = echoWindows(5, 15, 3, 4);
    next(); // the second window: its targets reach back into the first
    const rng = seededRng(5);
    const state = (scale: number) => tf.tensor2d(Array.from({ length: 20 }, () => scale * (2 * rng() - 1)), [5, 4]);
    const initial = { h: state(1), c: state(2) };
    expectSameStep(layout, weights, next(), 'mse', { initial, tbptt: 15 });
    tf.dispose(initial);
  });

  it('gives the GRU tensor engine\'s gradient, ŷ, loss and last state: the adding problem masked and truncated, a window carried in', () => {
    const { layout, weights } = flatWeights({ cell: 'gru', hidden: 16, inputs: 2, bias: true }, 3);
    const batch = addingProblemBatch(seededRng(3), 30, 32);
    for (const tbptt of [undefined, 7]) expectSameStep(layout, weights, batch, 'bce', { tbptt });
    const stream = flatWeights({ cell: 'gru', hidden: 4, inputs: 1, bias: true }, 4);
    const next = echoWindows(5, 15, 3, 4);
    next();
    const initial = { h: tf.tensor2d(Array.from({ length: 20 }, (_, i) => Math.sin(i)), [5, 4]) };
    expectSameStep(stream.layout, stream.weights, next(), 'mse', { initial, tbptt: 15 });
    tf.dispose(initial);
  });

  it('refuses what the cell\'s kernel does not compute, leaving the gradient untouched', () => {
    const { layout, weights } = flatWeights({ hidden: 4, bias: true }, 1);
    const grads = new Float32Array(layout.size).fill(7);
    const masked = addingProblemBatch(seededRng(1), 10, 4);
    expect(() => gradientStep('fused', weights, layout, masked, 'mse', grads)).to.throw(/^the elman cell's fused kernel computes whole additions with full BPTT only: no loss mask \(use the bptt engine\)$/);
    expect(grads.every((g) => g === 7)).to.equal(true);
  });
});
