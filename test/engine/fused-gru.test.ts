// The fused GRU kernel (src/engine/fused/gru-kernel.ts, assembly/gru.ts) against the GRU's tensor engine, tf.grad
// and float64 finite differences: the same gradients within the same tolerances on a grid and over random shapes,
// with the adding problem's loss mask, truncated BPTT and a state carried in; the same forward (training's, the
// evaluations', the exhaustive check's prefix levels); no leaked tensors; training that follows the tensor engine's;
// and a mutant kernel built without (U5)'s reset-gate path (δa_{h,t+1}·Uhᵀ)⊙r_{t+1} that the comparison must catch.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import { GradcheckConfig, LossAndGradsFn, plainLossAndGrads, randomProblem } from '../../src/check/gradcheck';
import { seededRng } from '../../src/data/sample';
import { inputTensor, maskTensor, targetTensor } from '../../src/engine/batch-tensors';
import { disposeCache } from '../../src/engine/cell';
import { fusedGruForward, fusedGruLossAndGrads, fusedGruPrefixOutputs } from '../../src/engine/fused/gru';
import { GruKernel } from '../../src/engine/fused/gru-kernel';
import { gru } from '../../src/engine/gru';
import { LOSSES } from '../../src/engine/loss';
import { convertParams, disposeParams, initParams, mapParams } from '../../src/engine/params';
import { tensorPrefixOutputs } from '../../src/eval/exhaustive';
import { addingProblemBatch } from '../../src/tasks/adding-problem';
import { defaultTaskConfig } from '../../src/train/config';
import { HistoryPoint } from '../../src/train/history';
import { trainNetwork } from '../../src/train/train';
import { checkGradients, gainScale, Yardstick } from '../support/check-gradients';
import { carriedState, compareOnSequences, describeCase, SequenceCase } from '../support/fused-sequences';
import { describeKernelOnAdditions } from '../support/fused-grid';
import { MUTANT_GRU_WASM } from '../support/mutant-gru-kernel-wasm';
import { config, trainAdder } from '../support/training';

/** fn's gradient (the kernel's, or a mutant's) against the yardstick's on one random addition problem, every entry. */
const check = (fn: LossAndGradsFn, yardstick: Yardstick, config: Omit<GradcheckConfig, 'cell'>, scale = 1) =>
  checkGradients(fn, yardstick, { ...config, cell: 'gru' }, scale, 'fused gru');

/*
 * As for the other kernels, past some recurrent gain the network is chaotic and two float32 computations of the
 * same forward pass part by more than rounding over 64 steps: the scale is capped at 4·√(1/H), as for the LSTM.
 */
const steadyGain = (scale: number, hidden: number): number => gainScale(scale, hidden, 1);

// H 1 and 5 pad each gate block (to 4 and 8 units), H 4 and 16 fill it.
describeKernelOnAdditions({ cell: 'gru', fn: fusedGruLossAndGrads, check, steadyGain, hiddens: [1, 4, 5, 16], firstSeed: 300 });

const onSequences = (c: SequenceCase, yardstick: Yardstick, fn: LossAndGradsFn = fusedGruLossAndGrads) =>
  compareOnSequences('gru', c, yardstick, fn);

describe('the fused GRU kernel with a loss mask, truncated BPTT and a state carried in', () => {
  before(async () => {
    await initBackend();
  });

  const cases: SequenceCase[] = [
    { length: 10, batch: 4, hidden: 3, bias: true, loss: 'mse', seed: 1 },
    { length: 12, batch: 3, hidden: 2, bias: false, loss: 'bce', tbptt: 4, seed: 2 },
    { length: 10, batch: 2, hidden: 4, bias: true, loss: 'mse', tbptt: 1, seed: 3 },
    { length: 10, batch: 3, hidden: 3, bias: true, loss: 'bce', carried: true, seed: 6 },
    { length: 12, batch: 2, hidden: 5, bias: false, loss: 'mse', tbptt: 5, carried: true, seed: 7 },
  ];
  for (const c of cases) {
    for (const yardstick of ['bptt', 'tf.grad', 'finite differences'] as const) {
      it(`${describeCase(c)} against ${yardstick}`, () => {
        const { comparison } = onSequences(c, yardstick);
        expect(comparison.ok, comparison.message).to.equal(true);
      });
    }
  }

  it('at T = 100 (110 steps), H 16, B 16, the lags defaults, against bptt, with the tensor engine\'s loss', () => {
    for (const tbptt of [undefined, 25]) {
      const { comparison, loss, expectedLoss } = onSequences({ length: 100, batch: 16, hidden: 16, bias: true, loss: 'mse', tbptt, seed: 4 }, 'bptt');
      expect(comparison.ok, `tbptt ${tbptt ?? '∞'}: ${comparison.message}`).to.equal(true);
      expect(Math.abs(loss - expectedLoss), 'loss: |fused − bptt|').to.be.below(1e-6);
    }
  });

  it('on random lengths, windows, sizes and losses, against tf.grad (property-based)', () => {
    const arbitrary = fc.record({
      length: fc.integer({ min: 10, max: 40 }),
      batch: fc.integer({ min: 1, max: 6 }),
      hidden: fc.integer({ min: 1, max: 20 }),
      bias: fc.boolean(),
      loss: fc.constantFrom(...LOSSES),
      tbptt: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
      carried: fc.boolean(),
      seed: fc.nat(),
    });
    fc.assert(
      fc.property(arbitrary, (c) => {
        const { comparison } = onSequences(c, 'tf.grad');
        expect(comparison.ok, `${describeCase(c)}: ${comparison.message}`).to.equal(true);
      }),
      { numRuns: 15 },
    );
  });

  it('ends in the tensor engine\'s h_T, where a stream\'s next window starts', () => {
    const c: SequenceCase = { length: 10, batch: 3, hidden: 5, bias: true, loss: 'mse', carried: true, seed: 9 };
    const params = initParams({ cell: 'gru', hidden: c.hidden, inputs: 2, bias: c.bias }, c.seed);
    const data = addingProblemBatch(seededRng(c.seed + 1), c.length, c.batch);
    const h0 = carriedState(c, 'gru').h;
    const flat = convertParams(params, (w) => w.dataSync() as Float32Array, (w) => w.dataSync() as Float32Array);
    const initial = { h: Float32Array.from(h0.flat()) };
    const { final } = new GruKernel().lossAndGrads(flat, data.x, data.y, data.batch, data.steps, 'mse', { initial });
    const [x, h] = [inputTensor(data), tf.tensor2d(h0)];
    const cache = gru.forward(params, x, { initial: { h } });
    const expected = gru.finalState(cache).h.dataSync();
    disposeCache(cache);
    tf.dispose([x, h]);
    disposeParams(params);
    const worst = final.h.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i])), 0);
    expect(worst, 'max |h_T fused − h_T bptt|').to.be.below(1e-5);
  });
});

describe('the fused GRU forward', () => {
  before(async () => {
    await initBackend();
  });

  // ŷ is a probability and o a logit of order 10: float32 with a different exp and order of sums agrees to ~1e-6.
  const FORWARD_TOLERANCE = 1e-5;

  for (const [bits, hidden, bias] of [[8, 16, true], [16, 5, false], [64, 64, true]] as const) {
    it(`gives the tensor engine's logits and ŷ: ${bits} bits, H ${hidden}, ${bias ? 'with' : 'without'} biases`, () => {
      const problem = randomProblem({ cell: 'gru', bits, hidden, batch: 20, bias, loss: 'mse', seed: bits });
      const params = mapParams(problem.params, (w) => tf.mul(w, steadyGain(3, hidden)));
      disposeParams(problem.params);
      const x = inputTensor(problem.data);
      const fused = fusedGruForward(params, x);
      const tensor = gru.forward(params, x);
      for (const key of ['logits', 'yhat'] as const) {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(fused[key], tensor[key]))).dataSync()[0]);
        expect(diff, `${key}: max |fused − bptt| ${diff}`).to.be.below(FORWARD_TOLERANCE);
      }
      tf.dispose([x, fused.logits, fused.yhat]);
      disposeCache(tensor);
      disposeParams(params);
    });
  }

  for (const [hidden, bias] of [[7, true], [16, false]] as const) {
    it(`gives the tensor engine's prefix levels for the exhaustive check: 5 bits, H ${hidden}, ${bias ? 'with' : 'without'} biases`, () => {
      const params = mapParams(initParams({ cell: 'gru', hidden, inputs: 2, bias }, hidden), (w) => tf.mul(w, 2));
      const [tensors, fused] = [tensorPrefixOutputs(params, 5), fusedGruPrefixOutputs(params, 5)];
      disposeParams(params);
      expect(fused.map((level) => level.length)).to.deep.equal([4, 16, 64, 256, 1024, 1024]);
      expect(tensors.map((level) => level.length)).to.deep.equal(fused.map((level) => level.length));
      const diff = Math.max(...tensors.flatMap((level, t) => Array.from(level, (v, q) => Math.abs(v - fused[t][q]))));
      expect(diff, `max |tensor − fused| = ${diff}`).to.be.below(FORWARD_TOLERANCE);
    });
  }

  it('stays right when a small batch follows a large one (the memory grown, the layout moved)', () => {
    const kernel = new GruKernel();
    const small = randomProblem({ cell: 'gru', bits: 4, hidden: 7, batch: 3, bias: true, loss: 'mse', seed: 1 });
    const large = randomProblem({ cell: 'gru', bits: 64, hidden: 64, batch: 256, bias: true, loss: 'mse', seed: 2 });
    const run = (p: typeof small) => plainLossAndGrads((q, x, y, kind, o) => fusedGruLossAndGrads(q, x, y, kind, o, kernel), p.params, p.data, 'mse');
    const before = run(small);
    run(large);
    expect(run(small)).to.deep.equal(before);
    disposeParams(small.params);
    disposeParams(large.params);
  });
});

describe('a mutant GRU kernel without (U5)\'s reset-gate path (test/support, built beside the real one)', () => {
  before(async () => {
    await initBackend();
  });

  const mutant = new GruKernel(MUTANT_GRU_WASM);
  const mutantLossAndGrads: LossAndGradsFn = (p, x, y, kind, options) => fusedGruLossAndGrads(p, x, y, kind, options, mutant);

  for (const yardstick of ['tf.grad', 'finite differences'] as const) {
    it(`fails against ${yardstick} on Wx, Ws and bs, and only there`, () => {
      const c = check(mutantLossAndGrads, yardstick, { bits: 4, hidden: 3, batch: 4, bias: true, loss: 'mse', seed: 11 });
      expect(c.ok).to.equal(false);
      // dWy and dby come from δo alone (B2, B3), which the mutant leaves intact.
      expect(c.params.filter((p) => !p.ok).map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs']);
      for (const p of c.params.filter((q) => !q.ok)) expect(p.relError, p.param).to.be.above(1e-2);
    });
  }

  it('fails on the 8- and 16-bit CLI defaults with either loss, and on the adding problem', () => {
    for (const bits of [8, 16])
      for (const kind of LOSSES) {
        const c = check(mutantLossAndGrads, 'tf.grad', { bits, hidden: 16, batch: 8, bias: true, loss: kind, seed: 1 });
        expect(c.ok, `${bits} bits, ${kind}`).to.equal(false);
      }
    const { comparison } = onSequences({ length: 20, batch: 8, hidden: 8, bias: true, loss: 'mse', seed: 5 }, 'tf.grad', mutantLossAndGrads);
    expect(comparison.ok, 'adding problem').to.equal(false);
  });
});

describe('the fused GRU engine keeps no tensors', () => {
  before(async () => {
    await initBackend();
  });

  it('fusedGruForward and fusedGruLossAndGrads leave only their results', () => {
    const data = addingProblemBatch(seededRng(1), 10, 3);
    const params = initParams({ cell: 'gru', hidden: 5, inputs: 2, bias: true }, 1);
    const [x, y, mask] = [inputTensor(data), targetTensor(data), maskTensor(data)!];
    const h = tf.randomUniform([3, 5], -1, 1, 'float32', 1) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const outputs = fusedGruForward(params, x);
    expect(tf.memory().numTensors).to.equal(before + 2);
    tf.dispose([outputs.logits, outputs.yhat]);
    const result = fusedGruLossAndGrads(params, x, y, 'mse', { mask, tbptt: 3, initial: { h } });
    expect(tf.memory().numTensors).to.equal(before + 1 + 5);
    result.loss.dispose();
    disposeParams(result.grads);
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([x, y, mask, h]);
    disposeParams(params);
  });
});

describe('training the GRU on the fused kernel', () => {
  before(async () => {
    await initBackend();
  });

  // Two float32 computations of the same step agree to ~1e-6 relative; tens of Adam steps later, to this much.
  const TRAJECTORY_TOLERANCE = 1e-3;

  /** The two runs' losses, point by point: the same samples at every point, the losses within the tolerance. */
  function expectSameTrajectory(fused: { samples: number; history: HistoryPoint[] }, bptt: { samples: number; history: HistoryPoint[] }): void {
    expect(fused.samples).to.equal(bptt.samples);
    expect(fused.history.map((p) => p.samples)).to.deep.equal(bptt.history.map((p) => p.samples));
    fused.history.forEach((p, k) => {
      const other = bptt.history[k].loss;
      const gap = Math.abs(p.loss - other) / Math.max(Math.abs(other), 1e-3);
      expect(gap, `loss after ${p.samples} samples: fused ${p.loss}, bptt ${other}`).to.be.below(TRAJECTORY_TOLERANCE);
    });
  }

  it('follows the tensor engine\'s loss on 8-bit addition, and both end exact after the same samples', () => {
    const before = tf.memory().numTensors;
    const c = config(8, { cell: 'gru', maxSamples: 4000 });
    expect(c.engine).to.equal('fused');
    const [fused, bptt] = [trainAdder(c), trainAdder({ ...c, engine: 'bptt' })];
    disposeParams(fused.params);
    disposeParams(bptt.params);
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    expect([fused.solved, bptt.solved]).to.deep.equal([true, true]);
    expectSameTrajectory(fused, bptt);
  });

  for (const [task, budget] of [['adding-problem', { length: 10, batch: 32, maxSamples: 1280 }], ['echo', { maxSamples: 3000 }]] as const) {
    it(`follows the tensor engine's loss on ${task} (the loop's mask, carried state and windows as they are)`, () => {
      const before = tf.memory().numTensors;
      const c = { ...defaultTaskConfig(task, 'gru'), ...budget };
      expect(c.engine).to.equal('fused');
      const [fused, bptt] = [trainNetwork(c), trainNetwork({ ...c, engine: 'bptt' })];
      disposeParams(fused.params);
      disposeParams(bptt.params);
      expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
      expectSameTrajectory(fused, bptt);
    });
  }
});
