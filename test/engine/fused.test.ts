// The fused kernel (src/engine/fused/) against the tensor engine, tf.grad and float64 finite differences: the same
// gradients within the same tolerances over random shapes, the same forward, no leaked tensors; and a mutant kernel
// built without (B4)'s δ_{t+1}·Wsᵀ that the comparison must catch.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import {
  GradcheckConfig,
  LossAndGradsFn,
  plainLossAndGrads,
  randomProblem,
} from '../../src/check/gradcheck';
import { inputTensor, targetTensor } from '../../src/engine/batch-tensors';
import { disposeCache } from '../../src/engine/cell';
import { forward, lossAndGrads } from '../../src/engine/elman';
import { fusedForward, fusedGrads, fusedLossAndGrads as fusedWithKernel, fusedPredictor } from '../../src/engine/fused/elman';
import { ElmanKernel } from '../../src/engine/fused/elman-kernel';
import { LOSSES } from '../../src/engine/loss';
import { disposeParams, mapParams, Params } from '../../src/engine/params';
import { checkGradients, describeConfig, gainScale, randomConfigs, weightScales, Yardstick } from '../support/check-gradients';
import { MUTANT_ELMAN_WASM } from '../support/mutant-elman-kernel-wasm';

/** The fused kernel's loss and gradients in the four-argument form the comparisons take (no sequence options). */
const fusedLossAndGrads: LossAndGradsFn = (p, x, y, kind) => fusedWithKernel(p, x, y, kind);

/** The problem's weights scaled by `scale`: past 1 the sigmoids saturate, where float32 keeps the fewest digits. */
function scaledProblem(config: GradcheckConfig, scale: number) {
  const problem = randomProblem(config);
  const params = mapParams(problem.params, (w) => tf.mul(w, scale));
  disposeParams(problem.params);
  return { params, data: problem.data };
}

/** fn's gradient (the kernel's, or a mutant's) against the yardstick's on one random problem, every entry. */
const check = (fn: LossAndGradsFn, yardstick: Yardstick, config: GradcheckConfig, scale = 1) =>
  checkGradients(fn, yardstick, config, scale, 'fused');

const configs = (maxBits: number, maxHidden: number) => randomConfigs(maxBits, maxHidden, 8);
/*
 * The recurrent gain grows as scale·√H: at H 64 and scale 3 the network is chaotic, and over 64 steps two float32
 * computations of the same forward pass (the tensor engine's and the kernel's) part by whole units of logit, as
 * any two orders of summation would. The weights are therefore scaled by at most 4·√(8/H), the gain of H 8 at
 * scale 4 (the tensor engine's own property test), which still saturates the sigmoids.
 */
const steadyGain = (scale: number, hidden: number): number => gainScale(scale, hidden, 8);

describe('the fused kernel equals the tensor engine, tf.grad and finite differences', () => {
  before(async () => {
    await initBackend();
  });

  let seed = 100;
  for (const bits of [8, 16])
    for (const hidden of [1, 3, 16])
      for (const bias of [true, false])
        for (const kind of LOSSES) {
          const config = { bits, hidden, batch: 32, bias, loss: kind, seed: ++seed };
          it(`${describeConfig(config)}: against bptt and tf.grad`, () => {
            for (const yardstick of ['bptt', 'tf.grad'] as const) {
              const c = check(fusedLossAndGrads, yardstick, config);
              expect(c.ok, c.message).to.equal(true);
            }
          });
        }

  it('on random shapes up to 64 bits and H 64, weights and weight scales, against tf.grad (property-based)', () => {
    fc.assert(
      fc.property(configs(64, 64), weightScales, (config, scale) => {
        const c = check(fusedLossAndGrads, 'tf.grad', config, steadyGain(scale, config.hidden));
        expect(c.ok, `${describeConfig(config)}, scale ${scale}: ${c.message}`).to.equal(true);
      }),
      { numRuns: 40 },
    );
  });

  it('on random small shapes, against float64 finite differences (property-based)', () => {
    fc.assert(
      fc.property(configs(16, 6), weightScales, (config, scale) => {
        const c = check(fusedLossAndGrads, 'finite differences', config, scale);
        expect(c.ok, `${describeConfig(config)}, scale ${scale}: ${c.message}`).to.equal(true);
      }),
      { numRuns: 25 },
    );
  });

  it('at 64 bits and H 12, against finite differences', () => {
    const c = check(fusedLossAndGrads, 'finite differences', { bits: 64, hidden: 12, batch: 2, bias: true, loss: 'bce', seed: 3 });
    expect(c.ok, c.message).to.equal(true);
  });

  it('gives the loss of the tensor engine', () => {
    const { params, data } = randomProblem({ bits: 16, hidden: 16, batch: 16, bias: true, loss: 'bce', seed: 4 });
    const fused = plainLossAndGrads(fusedLossAndGrads, params, data, 'bce').loss;
    const bptt = plainLossAndGrads(lossAndGrads, params, data, 'bce').loss;
    disposeParams(params);
    expect(Math.abs(fused - bptt)).to.be.below(1e-6);
  });
});

describe('the fused forward', () => {
  before(async () => {
    await initBackend();
  });

  // ŷ is a probability and o a logit of order 10: float32 with a different exp and order of sums agrees to ~1e-6.
  const FORWARD_TOLERANCE = 1e-5;

  for (const [bits, hidden, bias] of [[8, 16, true], [16, 5, false], [64, 64, true]] as const) {
    it(`gives the tensor engine's logits and ŷ: ${bits} bits, H ${hidden}, ${bias ? 'with' : 'without'} biases`, () => {
      const { params, data } = scaledProblem({ bits, hidden, batch: 50, bias, loss: 'mse', seed: bits }, steadyGain(3, hidden));
      const x = inputTensor(data);
      const fused = fusedForward(params, x);
      const tensor = forward(params, x);
      for (const key of ['logits', 'yhat'] as const) {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fused[key], tensor[key]))).dataSync()[0]);
        expect(diff, `${key}: max |fused − bptt| ${diff}`).to.be.below(FORWARD_TOLERANCE);
      }
      tf.dispose([x, fused.logits, fused.yhat]);
      disposeCache(tensor);
      disposeParams(params);
    });
  }

  // The evaluation's forward: four sequences to a vector, so a batch that is not a multiple of 4 is padded.
  for (const [bits, hidden, batch, bias] of [[8, 16, 50, true], [16, 5, 7, false], [3, 64, 1, true]] as const) {
    it(`predicts the tensor engine's ŷ for evaluation: ${bits} bits, H ${hidden}, batch ${batch}, ${bias ? 'with' : 'without'} biases`, () => {
      const { params, data } = scaledProblem({ bits, hidden, batch, bias, loss: 'mse', seed: bits }, steadyGain(3, hidden));
      const x = inputTensor(data);
      const tensor = forward(params, x);
      const expected = tensor.yhat.dataSync();
      const got = fusedPredictor(params)(data.x, data.batch, data.steps);
      const diff = Math.max(...Array.from(got, (v, i) => Math.abs(v - expected[i])));
      expect(got.length).to.equal(expected.length);
      expect(diff, `max |predict − bptt| ${diff}`).to.be.below(FORWARD_TOLERANCE);
      x.dispose();
      disposeCache(tensor);
      disposeParams(params);
    });
  }

  it('stays right when a small batch follows a large one (the memory grown, the layout moved)', () => {
    const kernel = new ElmanKernel();
    const small = scaledProblem({ bits: 4, hidden: 7, batch: 3, bias: true, loss: 'mse', seed: 1 }, 1);
    const large = scaledProblem({ bits: 64, hidden: 64, batch: 512, bias: true, loss: 'mse', seed: 2 }, 1);
    const run = (p: { params: Params; data: ReturnType<typeof randomProblem>['data'] }) =>
      plainLossAndGrads((q, x, y, kind) => fusedWithKernel(q, x, y, kind, {}, kernel), p.params, p.data, 'mse');
    const before = run(small);
    run(large);
    expect(run(small)).to.deep.equal(before);
    disposeParams(small.params);
    disposeParams(large.params);
  });
});

describe('a mutant kernel without δ_{t+1}·Wsᵀ (test/support, built beside the real one)', () => {
  before(async () => {
    await initBackend();
  });

  const mutant = new ElmanKernel(MUTANT_ELMAN_WASM);
  const mutantLossAndGrads: LossAndGradsFn = (p, x, y, kind) => fusedWithKernel(p, x, y, kind, {}, mutant);

  for (const yardstick of ['tf.grad', 'finite differences'] as const) {
    it(`fails against ${yardstick} on Wx, Ws and bs, and only there`, () => {
      const c = check(mutantLossAndGrads, yardstick, { bits: 4, hidden: 3, batch: 4, bias: true, loss: 'mse', seed: 11 });
      expect(c.ok).to.equal(false);
      // dWy and dby come from δo alone (B2, B3), which the mutant leaves intact.
      expect(c.params.filter((p) => !p.ok).map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs']);
      for (const p of c.params.filter((q) => !q.ok)) expect(p.relError).to.be.above(1e-2);
    });
  }

  it('fails on the 8- and 16-bit CLI defaults, with either loss', () => {
    for (const bits of [8, 16])
      for (const kind of LOSSES) {
        const c = check(mutantLossAndGrads, 'tf.grad', { bits, hidden: 16, batch: 8, bias: true, loss: kind, seed: 1 });
        expect(c.ok, `${bits} bits, ${kind}`).to.equal(false);
      }
  });
});

describe('the fused engine keeps no tensors', () => {
  before(async () => {
    await initBackend();
  });

  it('fusedForward, fusedGrads and fusedWithKernel leave only their results', () => {
    const { params, data } = randomProblem({ bits: 8, hidden: 5, batch: 3, bias: true, loss: 'mse', seed: 5 });
    const x = inputTensor(data);
    const y = targetTensor(data);
    const before = tf.memory().numTensors;
    const outputs = fusedForward(params, x);
    expect(tf.memory().numTensors).to.equal(before + 2);
    tf.dispose([outputs.logits, outputs.yhat]);
    const step = fusedGrads(params, x, y, 'bce');
    expect(tf.memory().numTensors).to.equal(before + 2 + 5);
    tf.dispose([step.outputs.logits, step.outputs.yhat]);
    disposeParams(step.grads);
    const result = fusedWithKernel(params, x, y, 'mse');
    expect(tf.memory().numTensors).to.equal(before + 1 + 5);
    result.loss.dispose();
    disposeParams(result.grads);
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([x, y]);
    disposeParams(params);
  });
});
