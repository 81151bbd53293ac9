// The training loop's step (src/train/gradient-step.ts) on the flat weights: the fused step, which makes no tensor,
// gives the tensor engine's gradient, ŷ and loss (the Elman cell's on additions, the LSTM's masked and truncated too);
// it leaks nothing; it refuses a cell without a kernel.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../src/backend';
import { BPTT_VS_AUTODIFF_TOLERANCE, compareGradients } from '../src/check/gradcheck';
import { plainParams } from '../src/check/reference';
import { LOSSES } from '../src/engine/loss';
import { disposeParams, initParams, NetConfig } from '../src/engine/params';
import { flatLayout, FlatLayout, paramsFromFlat, readFlat } from '../src/train/flat';
import { gradientStep } from '../src/train/gradient-step';
import { batchSampler } from '../src/tasks/add';
import { addingProblemBatch } from '../src/tasks/adding-problem';
import { seededRng } from '../src/data/sample';

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

describe('the fused training step on the flat weights', () => {
  before(async () => {
    await initBackend();
  });

  for (const bias of [true, false])
    for (const kind of LOSSES) {
      it(`gives the tensor engine's gradient, ŷ and loss (8 bits, H 16, batch 64, ${bias ? 'biases' : 'no biases'}, ${kind})`, () => {
        const { layout, weights } = flatWeights({ hidden: 16, bias }, 7);
        const batch = batchSampler(8, 64, 7)();
        const [fused, bptt] = [new Float32Array(layout.size), new Float32Array(layout.size)];
        const before = tf.memory().numTensors;
        const ours = gradientStep('fused', weights, layout, batch, kind, fused);
        expect(tf.memory().numTensors, 'tensors made by the fused step').to.equal(before);
        const theirs = gradientStep('bptt', weights, layout, batch, kind, bptt);
        try {
          const c = compareGradients('fused step vs bptt step', plainGrads(bptt, layout), plainGrads(fused, layout), BPTT_VS_AUTODIFF_TOLERANCE);
          expect(c.ok, c.message).to.equal(true);
          const worst = ours.yhat.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs.yhat[i])), 0);
          expect(worst, 'max |ŷ fused − ŷ bptt|').to.be.below(OUTPUT_TOLERANCE);
          expect(ours.loss()).to.be.closeTo(theirs.loss(), OUTPUT_TOLERANCE);
        } finally {
          ours.dispose();
          theirs.dispose();
        }
        expect(tf.memory().numTensors, 'tensors left after both steps').to.equal(before);
      });
    }

  it('gives the LSTM tensor engine\'s gradient, ŷ and loss on the adding problem, masked and truncated', () => {
    const { layout, weights } = flatWeights({ cell: 'lstm', hidden: 16, inputs: 2, bias: true }, 3);
    const batch = addingProblemBatch(seededRng(3), 30, 32);
    for (const tbptt of [undefined, 7]) {
      const [fused, bptt] = [new Float32Array(layout.size), new Float32Array(layout.size)];
      const before = tf.memory().numTensors;
      const ours = gradientStep('fused', weights, layout, batch, 'mse', fused, { tbptt });
      expect(tf.memory().numTensors, 'tensors made by the fused step').to.equal(before);
      const theirs = gradientStep('bptt', weights, layout, batch, 'mse', bptt, { tbptt });
      try {
        const c = compareGradients(`tbptt ${tbptt ?? '∞'}: fused step vs bptt step`, plainGrads(bptt, layout), plainGrads(fused, layout), BPTT_VS_AUTODIFF_TOLERANCE);
        expect(c.ok, c.message).to.equal(true);
        const worst = ours.yhat.reduce((m, v, i) => Math.max(m, Math.abs(v - theirs.yhat[i])), 0);
        expect(worst, 'max |ŷ fused − ŷ bptt|').to.be.below(OUTPUT_TOLERANCE);
        expect(ours.loss()).to.be.closeTo(theirs.loss(), OUTPUT_TOLERANCE);
      } finally {
        ours.dispose();
        theirs.dispose();
      }
      expect(tf.memory().numTensors, 'tensors left after both steps').to.equal(before);
    }
  });

  it('refuses the weights of a cell it has no kernel for, leaving the gradient untouched', () => {
    const { layout, weights } = flatWeights({ cell: 'gru', hidden: 4, bias: true }, 1);
    const grads = new Float32Array(layout.size).fill(7);
    expect(() => gradientStep('fused', weights, layout, batchSampler(4, 8, 1)(), 'mse', grads)).to.throw(/Elman cell with 2 inputs, not gru/);
    expect(grads.every((g) => g === 7)).to.equal(true);
  });
});
