// The hand-derived backward pass (src/engine/elman.ts) against tf.grad, against float64 finite differences,
// and against a gradient worked out by hand; plus proof that the comparison can fail.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { initBackend } from '../../src/backend';
import { encodePairs, EncodedBatch } from '../../src/data/bits';
import { disposeCache } from '../../src/engine/cell';
import { backward, forward, lossAndGrads } from '../../src/engine/elman';
import { loss, LOSSES, LossName } from '../../src/engine/loss';
import {
  compareGradients,
  finiteDifferenceGrads,
  GradcheckConfig,
  LossAndGradsFn,
  plainLossAndGrads,
  randomProblem,
  runGradcheck,
} from '../../src/check/gradcheck';
import { convertParams, disposeParams, mapParams, PARAM_NAMES, PlainParams } from '../../src/engine/params';
import { plainParams, referenceLoss } from '../../src/check/reference';
import { checkGradients, describeConfig } from '../support/check-gradients';

describe('hand BPTT equals tf.grad', () => {
  before(async () => {
    await initBackend();
  });

  let seed = 0;
  for (const bits of [8, 16])
    for (const hidden of [1, 3, 16])
      for (const batch of [1, 32])
        for (const bias of [true, false])
          for (const kind of LOSSES) {
            const config = { bits, hidden, batch, bias, loss: kind, seed: ++seed };
            it(describeConfig(config), () => {
              const c = checkGradients(lossAndGrads, 'tf.grad', config);
              expect(c.ok, c.message).to.equal(true);
            });
          }

  it('on random shapes, weights and weight scales (property-based)', () => {
    const configs = fc.record({
      bits: fc.integer({ min: 1, max: 16 }),
      hidden: fc.integer({ min: 1, max: 8 }),
      batch: fc.integer({ min: 1, max: 8 }),
      bias: fc.boolean(),
      loss: fc.constantFrom(...LOSSES),
      seed: fc.nat(),
    });
    // Scales up to 4 push the sigmoids into saturation, where float32 loses the most digits.
    const scales = fc.double({ min: 0.1, max: 4, noNaN: true });
    fc.assert(
      fc.property(configs, scales, (config, scale) => {
        const c = checkGradients(lossAndGrads, 'tf.grad', config, scale);
        expect(c.ok, `${describeConfig(config)}, scale ${scale}: ${c.message}`).to.equal(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('hand BPTT equals float64 finite differences, every weight entry', () => {
  before(async () => {
    await initBackend();
  });

  const cases: GradcheckConfig[] = [
    { bits: 1, hidden: 1, batch: 1, bias: false, loss: 'mse', seed: 1 },
    { bits: 2, hidden: 2, batch: 3, bias: true, loss: 'bce', seed: 2 },
    { bits: 4, hidden: 3, batch: 2, bias: false, loss: 'bce', seed: 3 },
    { bits: 8, hidden: 4, batch: 4, bias: true, loss: 'mse', seed: 4 },
    { bits: 16, hidden: 5, batch: 2, bias: true, loss: 'bce', seed: 5 },
  ];
  for (const config of cases) {
    it(describeConfig(config), () => {
      const c = checkGradients(lossAndGrads, 'finite differences', config);
      expect(c.ok, c.message).to.equal(true);
    });
  }

  it('differentiates every entry of every parameter', () => {
    const { params, data } = randomProblem({ bits: 3, hidden: 3, batch: 2, bias: true, loss: 'mse', seed: 9 });
    const plain = plainParams(params);
    disposeParams(params);
    const fd = finiteDifferenceGrads(plain, data, 'mse');
    expect(Object.keys(fd)).to.deep.equal([...PARAM_NAMES]);
    for (const name of PARAM_NAMES) {
      const entries = fd[name]!.flat();
      expect(entries, name).to.have.length(plain[name]!.flat().length);
      // A zero would mean an entry was skipped or did not move the loss; random weights move it everywhere.
      for (const g of entries) expect(Number.isFinite(g) && g !== 0, `${name}: ${g}`).to.equal(true);
    }
  });

  it('runGradcheck passes on the CLI defaults, 8 and 16 bits, and its three losses agree', () => {
    for (const bits of [8, 16]) {
      const report = runGradcheck({ bits, hidden: 16, batch: 8, seed: 1, bias: true, loss: 'mse' });
      expect(report.ok, report.comparisons.map((c) => c.message).join(' | ')).to.equal(true);
      expect(report.comparisons.map((c) => c.params.length)).to.deep.equal([5, 5, 5, 5]);
      expect(report.losses.autodiff).to.equal(report.losses.bptt); // the same forward pass
      expect(Math.abs(report.losses.reference - report.losses.bptt)).to.be.below(1e-6);
    }
  });
});

describe('a gradient worked out by hand', () => {
  before(async () => {
    await initBackend();
  });

  /*
   * H = 1, no biases, mse, the one addition 1 + 1 = 2 on 1 bit, so T = 2 and N = B·T = 2:
   *   x_1 = [1, 1], y_1 = 0;   x_2 = [0, 0], y_2 = 1 (the carry-out).
   * Weights chosen so that every sigmoid is a fraction, σ(ln r) = r/(1+r):
   *   Wx = [[ln 3], [−ln 3]],  Ws = [[2 ln 3]],  Wy = [[4 ln 2]].
   * (F1) s_1 = σ(ln 3 − ln 3) = 1/2;   s_2 = σ(0 + ½·2 ln 3) = σ(ln 3) = 3/4.
   * (F2) ŷ_1 = σ(½·4 ln 2) = σ(ln 4) = 4/5;   ŷ_2 = σ(¾·4 ln 2) = σ(ln 8) = 8/9.
   * (L)  L = ½·[½(0 − 4/5)² + ½(1 − 8/9)²] = ¼·(16/25 + 1/81) = 1321/8100.
   * (B1) δo_1 = (4/5 − 0)·(4/5)(1/5)/2 = 8/125;   δo_2 = (8/9 − 1)·(8/9)(1/9)/2 = −4/729.
   * (B2) dWy = s_1·δo_1 + s_2·δo_2 = 4/125 − 1/243 = 847/30375.
   * (B4) t = 2, the last step: ∂L/∂s_2 = δo_2·Wy = −16 ln 2/729.
   * (B5) δ_2 = ∂L/∂s_2 · s_2(1 − s_2) = −16 ln 2/729 · 3/16 = −ln 2/243.
   * (B4) t = 1: ∂L/∂s_1 = δo_1·Wy + δ_2·Ws = 32 ln 2/125 − 2 ln 2·ln 3/243   (the second term: through s_2).
   * (B5) δ_1 = ∂L/∂s_1 · s_1(1 − s_1) = 8 ln 2/125 − ln 2·ln 3/486.
   * (B6) dWs = s_0·δ_1 + s_1·δ_2 = 0 + ½·(−ln 2/243) = −ln 2/486.
   * (B7) dWx = x_1ᵀ·δ_1 + x_2ᵀ·δ_2 = [[δ_1], [δ_1]], since x_2 = 0.
   */
  const ln2 = Math.log(2);
  const ln3 = Math.log(3);
  const delta1 = (8 * ln2) / 125 - (ln2 * ln3) / 486;
  const byHand: PlainParams = { Wx: [[delta1], [delta1]], Ws: [[-ln2 / 486]], Wy: [[847 / 30375]] };
  const weights: PlainParams = { Wx: [[ln3], [-ln3]], Ws: [[2 * ln3]], Wy: [[4 * ln2]] };
  const data: EncodedBatch = encodePairs([1], [1], 2);
  // The weights are rounded to float32 (relative 6e-8), which moves every number above by ~1e-7 relative.
  const HAND_TOLERANCE = 1e-6;

  it('the engine gives the loss and every gradient entry worked out above', () => {
    const params = convertParams(weights, (m) => tf.tensor2d(m), (v) => tf.tensor1d(v));
    const { loss: L, grads } = plainLossAndGrads(lossAndGrads, params, data, 'mse');
    disposeParams(params);
    expect(L).to.be.closeTo(1321 / 8100, 1e-7);
    const c = compareGradients('bptt vs by hand', byHand, grads, HAND_TOLERANCE);
    expect(c.ok, c.message).to.equal(true);
  });

  it('the float64 reference and its finite differences give the same numbers', () => {
    expect(referenceLoss(weights, data, 'mse')).to.be.closeTo(1321 / 8100, 1e-15);
    const c = compareGradients('finite differences vs by hand', byHand, finiteDifferenceGrads(weights, data, 'mse'), 1e-9);
    expect(c.ok, c.message).to.equal(true);
  });
});

/*
 * Mutants: deliberately wrong backward passes, which the comparison must catch.
 * Dropping the recurrent term: `backward` reads Ws only in (B4)'s δ_{t+1}·Wsᵀ, so handing it a zero Ws (while the
 * forward cache keeps the real one) makes every δ_t see its own output only, the mistake BPTT exists to avoid.
 */
const withoutRecurrentTerm: LossAndGradsFn = (p, x, y, kind) =>
  tf.tidy(() => {
    const cache = forward(p, x);
    return { loss: loss(cache, y, kind), grads: backward({ ...p, Ws: tf.zerosLike(p.Ws) }, x, y, cache, kind) };
  });

/** (B1) for mse without the sigmoid's slope ŷ(1−ŷ): bce's δo used for an mse loss. */
const withoutOutputSlope: LossAndGradsFn = (p, x, y, kind) =>
  tf.tidy(() => {
    const cache = forward(p, x);
    return { loss: loss(cache, y, kind), grads: backward(p, x, y, cache, kind === 'mse' ? 'bce' : 'mse') };
  });

describe('the comparison catches a wrong backward pass', () => {
  before(async () => {
    await initBackend();
  });

  const config: GradcheckConfig = { bits: 4, hidden: 3, batch: 4, bias: true, loss: 'mse', seed: 11 };
  for (const yardstick of ['tf.grad', 'finite differences'] as const) {
    it(`dropping δ_{t+1}·Wsᵀ fails against ${yardstick} on Wx, Ws and bs, and only there`, () => {
      const c = checkGradients(withoutRecurrentTerm, yardstick, config);
      expect(c.ok).to.equal(false);
      // dWy and dby come from δo alone (B2, B3), which the mutant leaves intact.
      expect(c.params.filter((p) => !p.ok).map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs']);
      for (const p of c.params.filter((q) => !q.ok)) expect(p.relError).to.be.above(1e-2);
      expect(c.message).to.match(/exceeds tolerance .*Ws worst relative error \S+ at \[\d,\d\] \(expected \S+, got \S+, \|diff\| \S+\)/);
    });

    it(`dropping ŷ(1−ŷ) from (B1) fails against ${yardstick} on every parameter`, () => {
      const c = checkGradients(withoutOutputSlope, yardstick, config);
      expect(c.params.map((p) => p.ok)).to.deep.equal([false, false, false, false, false]);
    });
  }

  it('a mutant fails on the 8- and 16-bit CLI defaults too', () => {
    for (const bits of [8, 16]) {
      const c = checkGradients(withoutRecurrentTerm, 'tf.grad', { bits, hidden: 16, batch: 8, bias: true, loss: 'bce', seed: 1 });
      expect(c.ok, `${bits} bits`).to.equal(false);
    }
  });
});

describe('compareGradients', () => {
  const g = (): PlainParams => ({ Wx: [[0.5, -0.25]], Ws: [[1, 2], [3, 4]], Wy: [[0.125], [-2]] });

  it('passes identical gradients with a worst relative error of 0', () => {
    const c = compareGradients('same', g(), g(), 1e-3);
    expect(c.ok).to.equal(true);
    expect(c.params.map((p) => p.relError)).to.deep.equal([0, 0, 0]);
    expect(c.message).to.equal('same: ok, worst relative error 0.00e+0 (Wx at [0,0]) <= 0.001');
  });

  it('names the parameter, the worst entry, both values and the difference', () => {
    const wrong = g();
    wrong.Ws[1][0] = 3.3;
    const c = compareGradients('check', g(), wrong, 1e-3);
    expect(c.ok).to.equal(false);
    const ws = c.params.find((p) => p.param === 'Ws')!;
    expect(ws).to.deep.include({ index: [1, 0], expected: 3, actual: 3.3, ok: false });
    expect(ws.relError).to.be.closeTo(0.3 / 3.3, 1e-12);
    expect(c.message).to.equal(
      'check: exceeds tolerance 0.001: Ws worst relative error 9.09e-2 at [1,0] (expected 3.00e+0, got 3.30e+0, |diff| 3.00e-1)',
    );
  });

  it('judges entries below the floor absolutely: 1e-9 against 2e-9 passes, 1e-3 against 2e-3 does not', () => {
    const tiny = (v: number): PlainParams => ({ Wx: [[v]], Ws: [[0]], Wy: [[0]] });
    expect(compareGradients('tiny', tiny(1e-9), tiny(2e-9), 1e-3).ok).to.equal(true);
    expect(compareGradients('small', tiny(1e-3), tiny(2e-3), 1e-3).ok).to.equal(false);
  });

  it('counts a NaN as infinitely wrong', () => {
    const broken = g();
    broken.Wy[1][0] = NaN;
    const c = compareGradients('nan', g(), broken, 1e-3);
    expect(c.ok).to.equal(false);
    expect(c.params.find((p) => p.param === 'Wy')).to.deep.include({ relError: Infinity, index: [1, 0] });
  });

  it('refuses gradients of different parameter sets', () => {
    expect(() => compareGradients('sets', { ...g(), bs: [1, 2] }, g(), 1e-3)).to.throw('sets: parameter sets differ at bs');
  });
});

describe('the float64 reference agrees with the engine', () => {
  before(async () => {
    await initBackend();
  });

  for (const kind of LOSSES) {
    for (const scale of [1, 50]) {
      it(`${kind} loss, weights ×${scale}${scale > 1 ? ', saturated' : ''}`, () => {
        const problem = randomProblem({ bits: 8, hidden: 5, batch: 6, bias: true, loss: kind, seed: 3 });
        const params = mapParams(problem.params, (w) => tf.mul(w, scale));
        disposeParams(problem.params);
        const engine = plainLossAndGrads(lossAndGrads, params, problem.data, kind).loss;
        const reference = referenceLoss(plainParams(params), problem.data, kind);
        disposeParams(params);
        expect(Number.isFinite(reference)).to.equal(true);
        expect(Math.abs(engine - reference) / Math.max(1, reference)).to.be.below(1e-6);
      });
    }
  }
});

describe('no tensor leaks', () => {
  before(async () => {
    await initBackend();
  });

  const setup = (kind: LossName) => {
    const { params, data } = randomProblem({ bits: 8, hidden: 4, batch: 3, bias: true, loss: kind, seed: 5 });
    const x = tf.tensor3d(data.x, [data.batch, data.steps, 2]);
    const y = tf.tensor3d(data.y, [data.batch, data.steps, 1]);
    return { params, data, x, y, free: () => (disposeParams(params), tf.dispose([x, y])) };
  };

  for (const kind of LOSSES) {
    it(`forward + loss + backward (${kind}) leave only their results, and nothing once those are disposed`, () => {
      const { params, x, y, free } = setup(kind);
      const before = tf.memory().numTensors;
      const cache = forward(params, x);
      const L = loss(cache, y, kind);
      const grads = backward(params, x, y, cache, kind);
      expect(tf.memory().numTensors).to.equal(before + 9 + 3 + 1 + 5); // s_t per step, S, logits, yhat; the loss; 5 grads
      disposeCache(cache);
      L.dispose();
      disposeParams(grads);
      expect(tf.memory().numTensors).to.equal(before);
      free();
    });

    for (const [name, fn] of [['lossAndGrads', lossAndGrads], ['autodiffLossAndGrads', autodiffLossAndGrads]] as const) {
      it(`${name} (${kind}) returns the loss and 5 gradients and keeps nothing else`, () => {
        const { params, x, y, free } = setup(kind);
        const before = tf.memory().numTensors;
        const out = fn(params, x, y, kind);
        expect(tf.memory().numTensors).to.equal(before + 6);
        out.loss.dispose();
        disposeParams(out.grads);
        expect(tf.memory().numTensors).to.equal(before);
        free();
      });
    }
  }

  it('plainLossAndGrads and runGradcheck leave no tensor behind', () => {
    const { params, data, free } = setup('bce');
    const before = tf.memory().numTensors;
    plainLossAndGrads(autodiffLossAndGrads, params, data, 'bce');
    runGradcheck({ bits: 3, hidden: 2, batch: 2, bias: false, loss: 'mse', seed: 1 });
    expect(tf.memory().numTensors).to.equal(before);
    free();
  });
});
