// The LSTM and GRU engines (src/engine/lstm.ts, gru.ts) against tf.grad and float64 finite differences, on
// random shapes, with mutants that must fail: the same proof as the Elman cell's (test/engine/gradients.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import {
  compareGradients,
  finiteDifferenceGrads,
  GradcheckConfig,
  LossAndGradsFn,
  plainLossAndGrads,
  randomProblem,
  runGradcheck,
} from '../../src/check/gradcheck';
import { plainParams, referenceLoss } from '../../src/check/reference';
import { encodePairs, EncodedBatch } from '../../src/data/bits';
import { CELL_ENGINES } from '../../src/engine/cells';
import * as gru from '../../src/engine/gru';
import { loss, LOSSES } from '../../src/engine/loss';
import * as lstm from '../../src/engine/lstm';
import { CellName, configOf, convertParams, disposeParams, GATES, mapParams, PlainParams } from '../../src/engine/params';
import { checkGradients, describeConfig } from '../support/check-gradients';

const GATED: CellName[] = ['lstm', 'gru'];

for (const cell of GATED) {
  describe(`${cell}: hand BPTT equals tf.grad and float64 finite differences`, () => {
    before(async () => {
      await initBackend();
    });

    it(`initParams gives the ${cell} layout: Wx [2, ${GATES[cell]}H], Ws [H, ${GATES[cell]}H], bs [${GATES[cell]}H]`, () => {
      const { params } = randomProblem({ cell, bits: 2, hidden: 3, batch: 1, bias: true, loss: 'mse', seed: 1 });
      const G = GATES[cell];
      expect(convertParams(params, (m) => m.shape, (v) => v.shape)).to.deep.equal({ Wx: [2, 3 * G], Ws: [3, 3 * G], bs: [3 * G], Wy: [3, 1], by: [1] });
      expect(configOf(params)).to.deep.equal({ cell, hidden: 3, bias: true, inputs: 2 });
      disposeParams(params);
    });

    let seed = 100;
    for (const bits of [8, 16])
      for (const hidden of [1, 6])
        for (const bias of [true, false])
          for (const kind of LOSSES) {
            const config = { cell, bits, hidden, batch: 8, bias, loss: kind, seed: ++seed };
            it(`vs tf.grad: ${describeConfig(config)}`, () => {
              const c = checkGradients(CELL_ENGINES[cell].lossAndGrads, 'tf.grad', config);
              expect(c.ok, c.message).to.equal(true);
            });
          }

    it('vs tf.grad on random shapes, weights and weight scales (property-based)', () => {
      const configs = fc.record({
        cell: fc.constant(cell),
        bits: fc.integer({ min: 1, max: 16 }),
        hidden: fc.integer({ min: 1, max: 8 }),
        batch: fc.integer({ min: 1, max: 8 }),
        bias: fc.boolean(),
        loss: fc.constantFrom(...LOSSES),
        seed: fc.nat(),
      });
      const scales = fc.double({ min: 0.1, max: 4, noNaN: true });
      fc.assert(
        fc.property(configs, scales, (config, scale) => {
          const c = checkGradients(CELL_ENGINES[cell].lossAndGrads, 'tf.grad', config, scale);
          expect(c.ok, `${describeConfig(config)}, scale ${scale}: ${c.message}`).to.equal(true);
        }),
        { numRuns: 25 },
      );
    });

    const fdCases: GradcheckConfig[] = [
      { cell, bits: 1, hidden: 1, batch: 1, bias: false, loss: 'mse', seed: 1 },
      { cell, bits: 4, hidden: 3, batch: 2, bias: true, loss: 'bce', seed: 2 },
      { cell, bits: 8, hidden: 4, batch: 3, bias: false, loss: 'mse', seed: 3 },
      { cell, bits: 16, hidden: 3, batch: 2, bias: true, loss: 'bce', seed: 4 },
    ];
    for (const config of fdCases) {
      it(`vs finite differences, every weight entry: ${describeConfig(config)}`, () => {
        const c = checkGradients(CELL_ENGINES[cell].lossAndGrads, 'finite differences', config);
        expect(c.ok, c.message).to.equal(true);
      });
    }

    it('runGradcheck passes at 8 and 16 bits, and the float64 reference agrees with the engine on the loss', () => {
      for (const bits of [8, 16]) {
        const report = runGradcheck({ cell, bits, hidden: 8, batch: 4, seed: 1, bias: true, loss: 'mse' });
        expect(report.ok, report.comparisons.map((c) => c.message).join(' | ')).to.equal(true);
        expect(report.losses.autodiff).to.equal(report.losses.bptt);
        expect(Math.abs(report.losses.reference - report.losses.bptt)).to.be.below(1e-6);
      }
    });

    it('the float64 reference stays finite and agrees when the gates saturate (weights ×50)', () => {
      const problem = randomProblem({ cell, bits: 8, hidden: 5, batch: 6, bias: true, loss: 'bce', seed: 3 });
      const params = mapParams(problem.params, (w) => tf.mul(w, 50));
      disposeParams(problem.params);
      const engine = plainLossAndGrads(CELL_ENGINES[cell].lossAndGrads, params, problem.data, 'bce').loss;
      const reference = referenceLoss(plainParams(params), problem.data, 'bce');
      disposeParams(params);
      expect(Number.isFinite(reference)).to.equal(true);
      expect(Math.abs(engine - reference) / Math.max(1, reference)).to.be.below(1e-5);
    });

    it('forward + backward and lossAndGrads leave no tensor behind once their results are disposed', () => {
      const { params, data } = randomProblem({ cell, bits: 8, hidden: 4, batch: 3, bias: true, loss: 'mse', seed: 5 });
      const x = tf.tensor3d(data.x, [data.batch, data.steps, 2]);
      const y = tf.tensor3d(data.y, [data.batch, data.steps, 1]);
      const before = tf.memory().numTensors;
      const engine = CELL_ENGINES[cell];
      const cache = engine.forward(params, x);
      const grads = engine.backward(params, x, y, cache, 'mse');
      tf.dispose([cache, grads]);
      expect(tf.memory().numTensors).to.equal(before);
      const out = engine.lossAndGrads(params, x, y, 'bce');
      expect(tf.memory().numTensors).to.equal(before + 6); // the loss and 5 gradients
      tf.dispose([out.loss, out.grads]);
      expect(tf.memory().numTensors).to.equal(before);
      disposeParams(params);
      tf.dispose([x, y]);
    });
  });
}

/*
 * Mutants: deliberately wrong backward passes, which the comparison must catch. Each hands backward a cache in
 * which one gate reads 0, while the forward (and so the loss and its true gradient) keeps the real one.
 * LSTM, f_t = 0: ∂L/∂c_t no longer flows back along the cell state (the second term of (L6)), the path that
 * keeps the LSTM's gradient alive; δz_f = ∂L/∂c_t ⊙ c_{t−1} ⊙ f(1−f) vanishes with it.
 * GRU, r_t = 0: the reset gate's term δa_h·Uhᵀ ⊙ r_t of (U5) is dropped, and δa_r (its σ' = r(1−r)) with it.
 */
const lstmWithoutCellPath: LossAndGradsFn = (p, x, y, kind) =>
  tf.tidy(() => {
    const cache = lstm.forward(p, x);
    const gates = cache.gates.map((step) => ({ ...step, f: tf.zerosLike(step.f) }));
    return { loss: loss(cache, y, kind), grads: lstm.backward(p, x, y, { ...cache, gates }, kind) };
  });

const gruWithoutResetTerm: LossAndGradsFn = (p, x, y, kind) =>
  tf.tidy(() => {
    const cache = gru.forward(p, x);
    const gates = cache.gates.map((step) => ({ ...step, r: tf.zerosLike(step.r) }));
    return { loss: loss(cache, y, kind), grads: gru.backward(p, x, y, { ...cache, gates }, kind) };
  });

describe('the comparison catches a wrong backward pass of a gated cell', () => {
  before(async () => {
    await initBackend();
  });

  const mutants = [
    ['lstm', 'dropping the cell-state path', lstmWithoutCellPath],
    ['gru', "dropping the reset gate's term", gruWithoutResetTerm],
  ] as const;
  for (const [cell, what, mutant] of mutants) {
    for (const yardstick of ['tf.grad', 'finite differences'] as const) {
      it(`${cell}: ${what} fails against ${yardstick} on Wx, Ws and bs, and only there`, () => {
        const c = checkGradients(mutant, yardstick, { cell, bits: 4, hidden: 3, batch: 4, bias: true, loss: 'mse', seed: 11 });
        expect(c.ok).to.equal(false);
        // dWy and dby come from δo alone (B2, B3), which the mutants leave intact.
        expect(c.params.filter((p) => !p.ok).map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs']);
        for (const p of c.params.filter((q) => !q.ok)) expect(p.relError, p.param).to.be.above(1e-2);
        expect(c.message).to.match(/exceeds tolerance .*Ws worst relative error \S+ at \[\d+,\d+\]/);
      });
    }
    it(`${cell}: ${what} fails at 8 and 16 bits, H 16, too`, () => {
      for (const bits of [8, 16]) {
        const c = checkGradients(mutant, 'tf.grad', { cell, bits, hidden: 16, batch: 8, bias: true, loss: 'bce', seed: 1 });
        expect(c.ok, `${bits} bits`).to.equal(false);
      }
    });
  }
});

describe('gated cells: a gradient worked out by hand (docs/lstm.md, docs/gru.md)', () => {
  before(async () => {
    await initBackend();
  });

  // H = 1, no biases, mse, the one addition 1 + 1 = 2 on 1 bit: x_1 = [1, 1], y_1 = 0; x_2 = [0, 0], y_2 = 1.
  const data: EncodedBatch = encodePairs([1], [1], 2);
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
  // The weights round to float32 (relative 6e-8), which moves every number by ~1e-7 relative.
  const HAND_TOLERANCE = 1e-6;
  // Central differences at h = 1e-5 are good to ~1e-12 absolute here (measured: 1.5e-12 at worst), so 1e-8
  // of the floor 1e-3.
  const FINITE_DIFF_TOLERANCE = 1e-8;

  function expectByHand(cell: CellName, weights: PlainParams, loss: number, byHand: PlainParams): void {
    const params = convertParams(weights, (m) => tf.tensor2d(m), (v) => tf.tensor1d(v));
    const engine = plainLossAndGrads(CELL_ENGINES[cell].lossAndGrads, params, data, 'mse');
    disposeParams(params);
    expect(engine.loss).to.be.closeTo(loss, 1e-7);
    const c = compareGradients(`${cell} bptt vs by hand`, byHand, engine.grads, HAND_TOLERANCE);
    expect(c.ok, c.message).to.equal(true);
    expect(referenceLoss(weights, data, 'mse')).to.be.closeTo(loss, 1e-15);
    const fd = compareGradients(`${cell} finite differences vs by hand`, byHand, finiteDifferenceGrads(weights, data, 'mse'), FINITE_DIFF_TOLERANCE);
    expect(fd.ok, fd.message).to.equal(true);
  }

  it('lstm: Ws = 0, so the cell state alone links the steps', () => {
    const ln3 = Math.log(3);
    const [tau1, tau2] = [Math.tanh(2 / 5), Math.tanh(1 / 5)];
    const [h1, h2] = [tau1 / 2, tau2 / 2]; // (L4), c_1 = 2/5, c_2 = 1/5
    const [y1, y2] = [sigmoid(tau1), sigmoid(tau2)]; // (F2), Wy = 2
    const loss = (0.5 * (y1 ** 2 + (1 - y2) ** 2)) / 2;
    const [do1, do2] = [(y1 * y1 * (1 - y1)) / 2, ((y2 - 1) * y2 * (1 - y2)) / 2]; // (B1)
    const [dh1, dh2] = [2 * do1, 2 * do2]; // (L5), δz_2·Wsᵀ = 0
    const dc2 = dh2 * 0.5 * (1 - tau2 ** 2); // (L6), the last step
    const dc1 = dh1 * 0.5 * (1 - tau1 ** 2) + 0.5 * dc2; // (L6), + ∂L/∂c_2 ⊙ f_2: the cell-state path
    const dz1 = [dc1 * (4 / 5) * 0.25, 0, dc1 * 0.5 * (9 / 25), dh1 * tau1 * 0.25]; // (L7), c_0 = 0
    const dz2 = [0, dc2 * (2 / 5) * 0.25, dc2 * 0.5, dh2 * tau2 * 0.25]; // (L7), g_2 = 0
    expectByHand(
      'lstm',
      { Wx: [[0, 0, ln3, 0], [0, 0, 0, 0]], Ws: [[0, 0, 0, 0]], Wy: [[2]] },
      loss,
      { Wx: [dz1, dz1], Ws: [dz2.map((d) => h1 * d)], Wy: [[h1 * do1 + h2 * do2]] }, // (L9), (L8), (B2)
    );
  });

  it('gru: every number a fraction of ln 2', () => {
    const [ln2, ln3] = [Math.log(2), Math.log(3)];
    const loss = (0.5 * ((16 / 17) ** 2 + (1 / 33) ** 2)) / 2; // ŷ_1 = 16/17, ŷ_2 = 32/33
    const [do1, do2] = [128 / 4913, -16 / 35937]; // (B1)
    const daz2 = (8 * ln2) / 35937; // (U6)
    const dah2 = (-256 * ln2) / 179685;
    const dar2 = (-128 * ln2 ** 2) / 179685; // (U7)
    const dh1 = (1280 * ln2) / 4913 - (80 * ln2) / 35937 - (128 * ln2 ** 2) / 35937; // (U5), the last: the reset gate's
    const da1 = [dh1 * (-4 / 5) * 0.25, 0, dh1 * 0.5 * (9 / 25)]; // (U6), (U7) at step 1, h_0 = 0
    expectByHand(
      'gru',
      { Wx: [[0, 0, ln3], [0, 0, 0]], Ws: [[0, 0, 5 * ln2]], Wy: [[10 * ln2]] },
      loss,
      { Wx: [da1, da1], Ws: [[(2 / 5) * daz2, (2 / 5) * dar2, (1 / 5) * dah2]], Wy: [[(2 / 5) * do1 + 0.5 * do2]] }, // (U9), (U8), (B2)
    );
  });
});
