import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { gradientFlow, lastStepStateGradients } from '../../src/analysis/gradflow';
import { initBackend } from '../../src/backend';
import { encodePairs } from '../../src/data/bits';
import '../src/engine/gradients'; // the test differentiates with tf.grad itself
import { randomPairs, seededRng } from '../../src/data/sample';
import { LossName } from '../../src/engine/loss';
import { disposeParams, initParams, Params } from '../../src/engine/params';

/** float32 arithmetic on powers of two is exact up to the sigmoid's rounding. */
const HAND_TOL = 1e-6;
/** Two float32 computations of the same gradient in different orders. */
const AUTODIFF_TOL = 1e-4;

/**
 * A network whose state never moves: H = 2, Wx = 0, bs = 0, Ws = [[w, −w], [−w, w]], Wy = [v, −v]ᵀ, by = 0.
 * s_0 = 0 gives net_1 = 0 and s_1 = (½, ½); then net_t = ½w − ½w = 0 again, so s_t = (½, ½) and
 * ŷ_t = σ(½v − ½v) = ½ at every step, whatever the inputs. By hand, with σ'(0) = ¼:
 *   mse: δo_T = (ŷ_T − y_T)·ŷ_T(1 − ŷ_T) = ±½·¼ = ±⅛;  bce: δo_T = ŷ_T − y_T = ±½
 *   ∂ℓ_T/∂s_T = δo_T·Wyᵀ = δo_T·v·(1, −1)                                                   (B4)
 *   ∂ℓ_T/∂s_{k} = (∂ℓ_T/∂s_{k+1} ⊙ (¼, ¼))·Wsᵀ, and (1, −1)·Wsᵀ = 2w·(1, −1)           (B4), (B5)
 * so every lag multiplies the gradient by ¼·2w = w/2, and ‖∂ℓ_T/∂s_{T−j}‖ = |δo_T|·v·√2·(w/2)^j.
 * With v = 4, mse: ‖·‖ = ½√2·(w/2)^j; w = 1 halves it per lag (vanishing), w = 4 doubles it (exploding).
 */
function stillNetwork(w: number, v: number): Params {
  return {
    Wx: tf.zeros([2, 2]),
    Ws: tf.tensor2d([[w, -w], [-w, w]]),
    bs: tf.zeros([2]),
    Wy: tf.tensor2d([[v], [-v]]),
    by: tf.zeros([1]),
  };
}

function byHand(deltaO: number, w: number, v: number, lags: number): number[] {
  return [...Array(lags).keys()].map((j) => Math.abs(deltaO) * v * Math.SQRT2 * (w / 2) ** j);
}

function expectClose(actual: number[], expected: number[], tol: number, label: string): void {
  const diffs = actual.map((a, i) => Math.abs(a - expected[i]) / Math.max(1e-12, Math.abs(expected[i])));
  const worst = diffs.indexOf(Math.max(...diffs));
  expect(diffs[worst], `${label}: max relative difference ${diffs[worst]} at lag ${worst} ` +
    `(${actual[worst]} vs ${expected[worst]})`).to.be.at.most(tol);
}

describe('gradient flow ‖∂ℓ_T/∂s_k‖ against the lag', () => {
  before(async () => {
    await initBackend();
  });

  it('gives the hand-computed vector at every step for 1 + 1 on 2 bits', () => {
    // y = 1 + 1 = 2 = (0, 1, 0) LSB first, so y_T = 0 and δo_T = (½ − 0)·¼ = ⅛ (mse): ∂ℓ_T/∂s_3 = ⅛·4·(1, −1)
    // = (½, −½), then (¼, −¼) and (⅛, −⅛) with w = 1.
    const p = stillNetwork(1, 4);
    const enc = encodePairs([1], [1], 3);
    const got = tf.tidy(() =>
      lastStepStateGradients(p, tf.tensor3d(enc.x, [1, 3, 2]), tf.tensor3d(enc.y, [1, 3, 1]), 'mse').arraySync(),
    );
    disposeParams(p);
    const want = [[[0.125, -0.125], [0.25, -0.25], [0.5, -0.5]]];
    got[0].forEach((row, k) => expectClose(row, want[0][k], HAND_TOL, `s_${k + 1}`));
  });

  for (const [kind, deltaO] of [['mse', 1 / 8], ['bce', 1 / 2]] as [LossName, number][]) {
    for (const w of [1, 4]) {
      it(`matches the hand value ${kind === 'mse' ? '⅛' : '½'}·4·√2·(${w}/2)^lag on random additions (${kind}, w = ${w})`, () => {
        const p = stillNetwork(w, 4);
        const flow = gradientFlow(p, { bits: 6, samples: 32, seed: 3, loss: kind, clip: 1e9 });
        disposeParams(p);
        expect(flow.steps).to.equal(7);
        expectClose(flow.norms, byHand(deltaO, w, 4, 7), HAND_TOL, `${kind}, w = ${w}`);
        expect(flow.clipScale).to.equal(1);
        expect(flow.clippedNorms).to.deep.equal(flow.norms);
      });
    }
  }

  it('clips by one factor c/‖∇θL‖, so the ratio between lags is unchanged', () => {
    const p = stillNetwork(4, 4); // exploding: ×2 per lag
    const options = { bits: 6, samples: 32, seed: 3, loss: 'mse' as const };
    const free = gradientFlow(p, { ...options, clip: 1e9 });
    const clipped = gradientFlow(p, { ...options, clip: free.gradNorm / 4 });
    disposeParams(p);
    expect(clipped.gradNorm).to.equal(free.gradNorm);
    expect(clipped.clipScale).to.be.closeTo(0.25, 1e-12);
    expectClose(clipped.clippedNorms, free.norms.map((n) => n / 4), HAND_TOL, 'clipped');
    const ratio = (n: number[]) => n[6] / n[0];
    expect(ratio(clipped.clippedNorms)).to.be.closeTo(ratio(free.norms), 1e-9 * ratio(free.norms));
  });

  it('equals tf.grad of the last-step loss with respect to a perturbation of s_k, for a random network', () => {
    const p = initParams({ hidden: 5, bias: true }, 11);
    const pairs = randomPairs(seededRng(4), 5, 6);
    const enc = encodePairs(pairs.a, pairs.b, 6);
    const [B, T, H] = [6, 6, 5];
    const x = tf.tensor3d(enc.x, [B, T, 2]);
    const y = tf.tensor3d(enc.y, [B, T, 1]);
    const hand = lastStepStateGradients(p, x, y, 'bce');
    // The same computation written again with tf ops: Σ_i ℓ_T^(i) as a function of ε added to s_k, differentiated at ε = 0.
    const lastLoss = (k: number) => (eps: tf.Tensor) => {
      let s: tf.Tensor = tf.zeros([B, H]);
      for (let t = 0; t < T; t++) {
        const xt = tf.reshape(tf.slice(x, [0, t, 0], [B, 1, 2]), [B, 2]) as tf.Tensor2D;
        s = tf.sigmoid(tf.add(tf.add(tf.matMul(xt, p.Wx), tf.matMul(s, p.Ws)), p.bs!));
        if (t === k) s = tf.add(s, eps);
      }
      const o = tf.add(tf.matMul(s, p.Wy), p.by!);
      const yT = tf.reshape(tf.slice(y, [0, T - 1, 0], [B, 1, 1]), [B, 1]);
      return tf.sum(tf.sub(tf.softplus(o), tf.mul(yT, o)));
    };
    for (let k = 0; k < T; k++) {
      const auto = tf.tidy(() => tf.grad(lastLoss(k))(tf.zeros([B, H])).arraySync() as number[][]);
      const mine = tf.tidy(() => tf.reshape(tf.slice(hand, [0, k, 0], [B, 1, H]), [B, H]).arraySync() as number[][]);
      const scale = Math.max(...auto.flat().map(Math.abs));
      const diff = Math.max(...auto.flat().map((a, i) => Math.abs(a - mine.flat()[i])));
      expect(diff / scale, `∂ℓ_T/∂s_${k + 1}: max difference ${diff} (scale ${scale})`).to.be.at.most(AUTODIFF_TOL);
    }
    tf.dispose([hand, x, y]);
    disposeParams(p);
  });

  it('leaks no tensors', () => {
    const p = initParams({ hidden: 4, bias: false }, 2);
    const before = tf.memory().numTensors;
    gradientFlow(p, { bits: 4, samples: 8, seed: 0, loss: 'bce', clip: 1 });
    expect(tf.memory().numTensors).to.equal(before);
    disposeParams(p);
  });
});
