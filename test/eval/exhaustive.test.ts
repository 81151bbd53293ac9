// The exhaustive evaluation by shared prefixes (src/eval/exhaustive.ts) against the plain one: every pair encoded
// and run through the engine, then scored (scorePairs). They must agree on everything they report.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { exhaustivePairs } from '../../src/data/sample';
import { evaluateAdder, scorePairs } from '../../src/eval/evaluate';
import { scoreAllPairs, tensorPrefixOutputs } from '../../src/eval/exhaustive';
import { fusedPrefixOutputsFor } from '../../src/engine/fused/cells';
import { CellName, CELLS, disposeParams, initParams, mapParams, Params } from '../../src/engine/params';
import { exactAdderParams } from '../support/adders';

/** Random weights scaled up: saturated units, so some sums come out right and some wrong. */
function partlyRightParams(hidden: number, bias: boolean, seed: number, cell: CellName = 'elman'): Params {
  const raw = initParams({ cell, hidden, bias }, seed);
  const scaled = mapParams(raw, (t) => tf.mul(t, 4));
  disposeParams(raw);
  return scaled;
}

describe('exhaustive evaluation by shared prefixes', () => {
  before(async () => {
    await initBackend();
  });

  for (const [cell, bits, hidden, bias, seed] of [
    ['elman', 1, 3, true, 1],
    ['elman', 2, 5, false, 2],
    ['elman', 4, 8, true, 3],
    ['elman', 6, 16, true, 4],
    ['elman', 7, 16, false, 5],
    ['lstm', 1, 3, true, 1],
    ['lstm', 4, 8, false, 3],
    ['lstm', 5, 16, true, 4],
    ['gru', 1, 3, false, 1],
    ['gru', 4, 8, true, 3],
    ['gru', 5, 16, true, 4],
  ] as const) {
    it(`agrees with every pair run through the ${cell} engine: ${bits} bits, hidden ${hidden}, ${bias ? 'with' : 'without'} biases`, () => {
      const params = partlyRightParams(hidden, bias, seed, cell);
      const fast = scoreAllPairs(params, bits);
      const plain = scorePairs(params, exhaustivePairs(bits), bits, 'exhaustive');
      disposeParams(params);
      expect(fast).to.deep.equal(plain);
    });
  }

  it('finds a hand-made exact adder exact on all 65,536 pairs of 8 bits', () => {
    const params = exactAdderParams();
    const accuracy = evaluateAdder(params, 8);
    disposeParams(params);
    expect(accuracy).to.include({ method: 'exhaustive', pairs: 65536, correct: 65536, accuracy: 1 });
    expect(accuracy.bitAccuracy).to.deep.equal(new Array(9).fill(1));
    expect(accuracy.failures).to.deep.equal([]);
  });

  for (const cell of ['elman', 'lstm'] as const) {
    it(`the ${cell} engine's extend gives the fused kernel's prefix outputs (the path the GRU takes)`, () => {
      const params = partlyRightParams(cell === 'elman' ? 8 : 7, true, 7, cell);
      const [tensors, fused] = [tensorPrefixOutputs(params, 5), fusedPrefixOutputsFor(params, 5)!];
      disposeParams(params);
      expect(tensors.map((level) => level.length)).to.deep.equal(fused.map((level) => level.length));
      const diff = Math.max(...tensors.flatMap((level, t) => Array.from(level, (v, q) => Math.abs(v - fused[t][q]))));
      // float32 sigmoids summed in another order: rounding only.
      expect(diff, `max |tensor − fused| = ${diff}`).to.be.below(1e-5);
    });
  }

  for (const cell of CELLS) {
    it(`keeps no tensors (${cell})`, () => {
      const params = partlyRightParams(16, true, 6, cell);
      const before = tf.memory().numTensors;
      // 6 bits: 4,096 pairs; the gated cells' 8 bits take seconds on the cpu backend.
      scoreAllPairs(params, 6);
      expect(tf.memory().numTensors).to.equal(before);
      disposeParams(params);
    });
  }
});
