// Truncated BPTT, a state carried in and a per-step loss mask (src/engine/elman.ts, src/engine/truncation.ts):
// the hand backward pass against tf.grad on the same truncated graph (stopGradient at each window's edge) and
// against float64 finite differences of the truncated objective (each window's incoming state held fixed).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import {
  BPTT_VS_AUTODIFF_TOLERANCE,
  BPTT_VS_FINITE_DIFF_TOLERANCE,
  compareGradients,
  finiteDifferenceGrads,
  plainLossAndGrads,
  PlainSequenceOptions,
} from '../../src/check/gradcheck';
import { plainParams, referenceLoss } from '../../src/check/reference';
import { seededRng } from '../../src/data/sample';
import { SequenceBatch } from '../../src/data/sequences';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { CELL_ENGINES } from '../../src/engine/cells';
import { lossAndGrads } from '../../src/engine/elman';
import { LOSSES, LossName } from '../../src/engine/loss';
import { CellName, disposeParams, initParams } from '../../src/engine/params';

interface Case {
  /** Absent: elman. */
  cell?: CellName;
  inputs: number;
  steps: number;
  hidden: number;
  batch: number;
  bias: boolean;
  loss: LossName;
  /** undefined: full BPTT. */
  tbptt?: number;
  carried: boolean;
  masked: boolean;
  seed: number;
}

/**
 * Random bits in, random targets, a random mask (about half the steps) and a random incoming state: h_0 in (0, 1),
 * and for the LSTM c_0 in (−2, 2) (a cell state is not squashed).
 */
function randomSequences(c: Case): { data: SequenceBatch; options: PlainSequenceOptions } {
  const rng = seededRng(c.seed + 1);
  const n = c.batch * c.steps;
  const bits = (count: number, p = 0.5) => Float32Array.from({ length: count }, () => (rng() < p ? 1 : 0));
  const data: SequenceBatch = { batch: c.batch, steps: c.steps, inputs: c.inputs, x: bits(n * c.inputs), y: bits(n) };
  if (c.masked) data.mask = bits(n);
  const rows = (value: () => number) => Array.from({ length: c.batch }, () => Array.from({ length: c.hidden }, value));
  const initial = c.carried ? { h: rows(rng), ...(c.cell === 'lstm' && { c: rows(() => 4 * rng() - 2) }) } : undefined;
  return { data, options: { initial, tbptt: c.tbptt } };
}

const describeCase = (c: Case): string =>
  `${c.cell ?? 'elman'}, I ${c.inputs}, T ${c.steps}, H ${c.hidden}, B ${c.batch}, ${c.loss}, tbptt ${c.tbptt ?? '∞'}` +
  `${c.carried ? ', state carried in' : ''}${c.masked ? ', masked' : ''}${c.bias ? '' : ', no biases'}`;

function compare(c: Case, yardstick: 'tf.grad' | 'finite differences') {
  const params = initParams({ cell: c.cell, hidden: c.hidden, inputs: c.inputs, bias: c.bias }, c.seed);
  const { data, options } = randomSequences(c);
  try {
    const ours = plainLossAndGrads(CELL_ENGINES[c.cell ?? 'elman'].lossAndGrads, params, data, c.loss, options);
    const expected =
      yardstick === 'tf.grad'
        ? plainLossAndGrads(autodiffLossAndGrads, params, data, c.loss, options).grads
        : finiteDifferenceGrads(plainParams(params), data, c.loss, options);
    const tolerance = yardstick === 'tf.grad' ? BPTT_VS_AUTODIFF_TOLERANCE : BPTT_VS_FINITE_DIFF_TOLERANCE;
    return { comparison: compareGradients(`bptt vs ${yardstick}`, expected, ours.grads, tolerance), ours };
  } finally {
    disposeParams(params);
  }
}

const cases: Case[] = [
  { inputs: 1, steps: 15, hidden: 4, batch: 5, bias: true, loss: 'mse', tbptt: 15, carried: true, masked: false, seed: 1 }, // the echo example's window
  { inputs: 1, steps: 20, hidden: 3, batch: 2, bias: false, loss: 'mse', tbptt: 6, carried: true, masked: true, seed: 2 },
  { inputs: 2, steps: 12, hidden: 5, batch: 3, bias: true, loss: 'bce', tbptt: 4, carried: false, masked: true, seed: 3 },
  { inputs: 2, steps: 9, hidden: 2, batch: 4, bias: true, loss: 'mse', tbptt: 1, carried: true, masked: false, seed: 4 },
  { inputs: 2, steps: 11, hidden: 3, batch: 2, bias: true, loss: 'bce', carried: true, masked: true, seed: 5 },
  { cell: 'lstm', inputs: 2, steps: 13, hidden: 3, batch: 2, bias: true, loss: 'mse', tbptt: 4, carried: false, masked: true, seed: 6 },
  { cell: 'lstm', inputs: 1, steps: 9, hidden: 2, batch: 3, bias: false, loss: 'bce', tbptt: 1, carried: false, masked: false, seed: 7 },
  { cell: 'gru', inputs: 2, steps: 13, hidden: 3, batch: 2, bias: true, loss: 'mse', tbptt: 5, carried: false, masked: true, seed: 8 },
  { cell: 'gru', inputs: 1, steps: 10, hidden: 2, batch: 2, bias: true, loss: 'bce', tbptt: 3, carried: false, masked: false, seed: 9 },
  // A stream's window for the gated cells: (h, c) or h carried in from the window before.
  { cell: 'lstm', inputs: 1, steps: 15, hidden: 4, batch: 5, bias: true, loss: 'mse', tbptt: 15, carried: true, masked: false, seed: 10 },
  { cell: 'lstm', inputs: 2, steps: 11, hidden: 3, batch: 2, bias: false, loss: 'bce', tbptt: 4, carried: true, masked: true, seed: 11 },
  { cell: 'gru', inputs: 1, steps: 15, hidden: 4, batch: 5, bias: true, loss: 'mse', tbptt: 15, carried: true, masked: false, seed: 12 },
  { cell: 'gru', inputs: 2, steps: 11, hidden: 3, batch: 2, bias: true, loss: 'bce', tbptt: 4, carried: true, masked: true, seed: 13 },
];

describe('truncated BPTT, a carried state and a loss mask: hand BPTT equals tf.grad and finite differences', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of cases) {
    for (const yardstick of ['tf.grad', 'finite differences'] as const) {
      it(`${describeCase(c)} against ${yardstick}`, () => {
        const { comparison } = compare(c, yardstick);
        expect(comparison.ok, comparison.message).to.equal(true);
      });
    }
  }

  it('on random shapes, windows, masks and carried states against tf.grad (property-based)', () => {
    const arbitrary = fc
      .record({
        cell: fc.constantFrom<CellName>('elman', 'lstm', 'gru'),
        inputs: fc.integer({ min: 1, max: 2 }),
        // One step from s_0 = 0 never reads Ws, and tf.grad refuses a parameter the loss does not depend on.
        steps: fc.integer({ min: 2, max: 24 }),
        hidden: fc.integer({ min: 1, max: 6 }),
        batch: fc.integer({ min: 1, max: 4 }),
        bias: fc.boolean(),
        loss: fc.constantFrom(...LOSSES),
        tbptt: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        carried: fc.boolean(),
        masked: fc.boolean(),
        seed: fc.nat(),
      });
    fc.assert(
      fc.property(arbitrary, (c) => {
        const { comparison } = compare(c, 'tf.grad');
        expect(comparison.ok, `${describeCase(c)}: ${comparison.message}`).to.equal(true);
      }),
      { numRuns: 30 },
    );
  });
});

describe('truncation changes the gradient exactly where it should', () => {
  before(async () => {
    await initBackend();
  });

  const base: Case = { inputs: 2, steps: 12, hidden: 4, batch: 3, bias: true, loss: 'mse', carried: true, masked: false, seed: 7 };
  const gradsWith = (tbptt: number | undefined) => compare({ ...base, tbptt }, 'tf.grad').ours.grads;

  it('a window as long as the sequence, or longer, is full BPTT', () => {
    const full = gradsWith(undefined);
    for (const K of [12, 13, 100]) {
      const c = compareGradients(`tbptt ${K} vs full`, full, gradsWith(K), 1e-6);
      expect(c.ok, c.message).to.equal(true);
    }
  });

  it('a shorter window changes Wx, Ws and bs but not the readout, whose gradient (B2, B3) is local', () => {
    const full = gradsWith(undefined);
    const c = compareGradients('tbptt 3 vs full', full, gradsWith(3), 1e-3);
    expect(c.params.filter((p) => !p.ok).map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs']);
  });

  it('the truncated objective differs from the full one only through the frozen incoming states', () => {
    const params = initParams({ hidden: 4, inputs: 2, bias: true }, 7);
    const { data, options } = randomSequences({ ...base, tbptt: 3 });
    const plain = plainParams(params);
    disposeParams(params);
    // At the unperturbed weights the frozen states are the real ones: same loss.
    const truncated = referenceLoss(plain, data, 'mse', { ...options, frozen: plain });
    expect(truncated).to.equal(referenceLoss(plain, data, 'mse', { initial: options.initial }));
  });
});

describe('the masked loss', () => {
  before(async () => {
    await initBackend();
  });

  it('is the mean over the marked steps only, and 0 with no marked step', () => {
    const c: Case = { inputs: 1, steps: 6, hidden: 3, batch: 2, bias: true, loss: 'bce', carried: false, masked: true, seed: 9 };
    const params = initParams({ hidden: 3, inputs: 1, bias: true }, 9);
    const { data } = randomSequences(c);
    try {
      const masked = plainLossAndGrads(lossAndGrads, params, data, 'bce').loss;
      // The same steps kept as a batch of their own: the masked mean must equal their plain mean.
      const kept = [...data.mask!.keys()].filter((i) => data.mask![i] === 1);
      const perStep = plainParams(params);
      const all = referenceLoss(perStep, { ...data, mask: undefined }, 'bce');
      expect(kept.length).to.be.within(1, 11);
      expect(Math.abs(masked - referenceLoss(perStep, data, 'bce'))).to.be.below(1e-6);
      expect(masked).to.not.be.closeTo(all, 1e-4);
      const none = plainLossAndGrads(lossAndGrads, params, { ...data, mask: new Float32Array(12) }, 'bce');
      expect(none.loss).to.equal(0);
      for (const g of Object.values(none.grads)) expect((g as number[] | number[][]).flat().every((v) => v === 0)).to.equal(true);
    } finally {
      disposeParams(params);
    }
  });
});

describe('no tensor leaks with truncation, a carried state and a mask', () => {
  before(async () => {
    await initBackend();
  });

  for (const cell of ['elman', 'lstm', 'gru'] as const) {
    for (const [name, fn] of [['lossAndGrads', CELL_ENGINES[cell].lossAndGrads], ['autodiffLossAndGrads', autodiffLossAndGrads]] as const) {
      it(`${cell} ${name} returns the loss and 5 gradients and keeps nothing else, nor frees the state carried in`, () => {
        const params = initParams({ cell, hidden: 3, inputs: 1, bias: true }, 1);
        const x = tf.randomUniform([2, 10, 1]) as tf.Tensor3D;
        const y = tf.randomUniform([2, 10, 1]) as tf.Tensor3D;
        const mask = tf.ones([2, 10, 1]) as tf.Tensor3D;
        const initial = { h: tf.zeros([2, 3]) as tf.Tensor2D, c: tf.ones([2, 3]) as tf.Tensor2D };
        const before = tf.memory().numTensors;
        const out = fn(params, x, y, 'mse', { initial, mask, tbptt: 4 });
        expect(tf.memory().numTensors).to.equal(before + 6);
        out.loss.dispose();
        disposeParams(out.grads);
        expect(tf.memory().numTensors).to.equal(before);
        expect(initial.h.isDisposed || initial.c.isDisposed).to.equal(false);
        tf.dispose([x, y, mask, initial]);
        disposeParams(params);
      });
    }
  }
});
