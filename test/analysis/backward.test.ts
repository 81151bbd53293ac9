// The backward view of one addition (src/analysis/backward.ts), for every cell: the per-step shares sum to the
// engine's gradient, which tf.grad and float64 finite differences confirm; the terms of ∂ℓ_t/∂W sum to tf.grad's
// ∂ℓ_t/∂W and to finite differences of ℓ_t; the flow triangle's last row is gradflow's ‖∂ℓ_T/∂s_k‖; no tensor leaks.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { additionBatch, gradientTerms, lossAtStep, Matrix, TERM_PARAMS, traceBackward } from '../../src/analysis/backward';
import { lastStepStateGradients } from '../../src/analysis/gradflow';
import { initBackend } from '../../src/backend';
import {
  BPTT_VS_AUTODIFF_TOLERANCE,
  BPTT_VS_FINITE_DIFF_TOLERANCE,
  compareGradients,
  finiteDifferenceGrads,
  plainLossAndGrads,
} from '../../src/check/gradcheck';
import { plainParams } from '../../src/check/reference';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { inputTensor, targetTensor } from '../../src/engine/batch-tensors';
import { engineFor } from '../../src/engine/cells';
import { CELLS } from '../../src/names';
import { disposeParams, initParams, Params, PlainParams } from '../../src/engine/params';

/** Sums of float32 numbers in two orders (the steps' shares against the engine's one matMul over all steps). */
const SUM_ORDER_TOL = 1e-5;

/** a + b entry by entry, the shapes of a. */
const addMatrices = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => row.map((v, j) => v + b[i][j]));

/** max |a − b| over the entries, with where it is, for the failure message. */
function maxDifference(a: Matrix, b: Matrix): { diff: number; at: string } {
  let worst = { diff: -1, at: '' };
  a.forEach((row, i) => row.forEach((v, j) => {
    const diff = Math.abs(v - b[i][j]);
    if (diff > worst.diff) worst = { diff, at: `[${i}][${j}]: ${v} against ${b[i][j]}` };
  }));
  return worst;
}

function expectMatricesClose(actual: Matrix, expected: Matrix, tol: number, label: string): void {
  const { diff, at } = maxDifference(actual, expected);
  expect(diff, `${label}: max difference ${diff.toExponential(2)} at ${at}`).to.be.at.most(tol);
}

const asRows = (v: number[] | number[][]): Matrix => (Array.isArray(v[0]) ? (v as Matrix) : [v as number[]]);

describe('the backward view of one addition', () => {
  before(() => initBackend());

  for (const cell of CELLS) {
    describe(`the ${cell} cell`, () => {
      let p: Params;
      let plain: PlainParams;
      // 12 + 7 on 8 bits: T = 9 steps, the last five reading zeros.
      const batch = additionBatch(12n, 7n, 8);
      before(() => {
        p = initParams({ cell, hidden: 5, bias: true }, 3);
        plain = plainParams(p);
      });
      after(() => disposeParams(p));

      it('keeps one row per step, the steps shares sum to its total, and the total is tf.grad\'s and finite differences\'', () => {
        const before = tf.memory().numTensors;
        const view = traceBackward(p, batch, 'mse');
        expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
        expect(view.steps.map((s) => s.t)).to.deep.equal([...Array(9).keys()]);
        const G = { elman: 1, lstm: 4, gru: 3 }[cell];
        expect(view.steps[0].dS).to.have.length(5);
        expect(view.steps[0].delta).to.have.length(5 * G);
        for (const name of ['Ws', 'Wx', 'bs'] as const) {
          const key = `d${name}` as const;
          const sum = view.steps.map((s) => asRows(s[key]!)).reduce(addMatrices);
          expectMatricesClose(sum, asRows(view.total[name]!), SUM_ORDER_TOL, `Σ_t ${key} against the total`);
        }
        // s_{−1} = 0: step 0's share of dWs is zero for every cell.
        expect(view.steps[0].dWs.flat().every((v) => v === 0)).to.equal(true);
        const tfGrad = plainLossAndGrads(autodiffLossAndGrads, p, batch, 'mse');
        const byTfGrad = compareGradients('backward view vs tf.grad', tfGrad.grads, view.total, BPTT_VS_AUTODIFF_TOLERANCE);
        expect(byTfGrad.ok, byTfGrad.message).to.equal(true);
        expect(view.loss).to.be.closeTo(tfGrad.loss, 1e-7);
        const byFd = compareGradients('backward view vs finite differences', finiteDifferenceGrads(plain, batch, 'mse'), view.total, BPTT_VS_FINITE_DIFF_TOLERANCE);
        expect(byFd.ok, byFd.message).to.equal(true);
      });

      it('∂L/∂ŷ_t is (1/N)·∂ℓ/∂ŷ_t: (ŷ − y)/N for mse, (ŷ − y)/(ŷ(1 − ŷ)N) for bce', () => {
        const yhat = tf.tidy(() => {
          return Array.from(engineFor(p).forward(p, inputTensor(batch)).yhat.dataSync());
        });
        for (const kind of ['mse', 'bce'] as const) {
          const view = traceBackward(p, batch, kind);
          view.steps.forEach((s, t) => {
            const [q, y] = [yhat[t], batch.y[t]];
            const want = (kind === 'mse' ? q - y : (q - y) / (q * (1 - q))) / 9;
            expect(s.dYhat, `${kind} t = ${t}`).to.be.closeTo(want, 1e-7);
          });
        }
      });

      it('the flow triangle: row t has t + 1 entries, and the last row is gradflow\'s ‖∂ℓ_T/∂s_k‖', () => {
        const { flow } = traceBackward(p, batch, 'mse');
        expect(flow.map((row) => row.length)).to.deep.equal([...Array(9).keys()].map((t) => t + 1));
        const last = tf.tidy(() => {
          const g = lastStepStateGradients(p, inputTensor(batch), targetTensor(batch), 'mse');
          return Array.from(tf.norm(g, 'euclidean', 2).dataSync());
        });
        flow[8].forEach((v, k) => expect(v, `‖∂ℓ_8/∂s_${k}‖`).to.be.closeTo(last[k], 1e-6 * Math.max(1, last[k])));
      });

      for (const param of TERM_PARAMS) {
        it(`the terms of ∂ℓ_t/∂${param}: one per k ≤ t, summing to tf.grad's and to finite differences of ℓ_t`, () => {
          const t = 4;
          const before = tf.memory().numTensors;
          const terms = gradientTerms(p, batch, t, param, 'mse');
          expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
          expect(terms.terms).to.have.length(t + 1);
          expectMatricesClose(terms.terms.reduce(addMatrices), terms.total, SUM_ORDER_TOL, 'Σ_k terms against the total');
          expect(terms.maxDifference, `engine against tf.grad, ${param}`).to.be.below(1e-6);
          expectMatricesClose(terms.total, terms.autodiff, 1e-6, 'the total against tf.grad');
          const fd = asRows(finiteDifferenceGrads(plain, lossAtStep(batch, t), 'mse')[param]!);
          expectMatricesClose(terms.total, fd, 1e-5, `the total against finite differences of ℓ_${t}`);
        });
      }
    });
  }

  it('refuses a loss step outside the sequence and bs of a network without biases', () => {
    const p = initParams({ hidden: 3, bias: false }, 1);
    try {
      const batch = additionBatch(12n, 7n);
      expect(() => gradientTerms(p, batch, 5, 'Ws', 'mse')).to.throw(RangeError, 'the loss step must be an integer from 0 to 4, got 5');
      expect(() => gradientTerms(p, batch, 0, 'bs', 'mse')).to.throw(RangeError, 'this network has no bs (--no-bias)');
    } finally {
      disposeParams(p);
    }
  });
});
