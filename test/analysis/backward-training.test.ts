// Step-through training (src/analysis/backward-training.ts), the page's Step: the loop's parts one minibatch at a
// time. Clipping caps the sgd update at lr·c; the exploding-gradient preset's unclipped twin saturates at once
// while the clipped run learns; no step leaves a tensor behind.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { EXPLODING_PRESET, SteppingTrainer } from '../../src/analysis/backward-training';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';

/** float32 weights: ‖Δθ‖ is measured on the rounded weights. */
const ROUNDING = 1e-3;

describe('step-through training', function () {
  this.timeout(120_000);
  before(() => initBackend());

  it('reports each step: the loss, ‖g‖ per parameter and in all, the update; sgd moves the weights by lr·‖g‖', () => {
    const before = tf.memory().numTensors;
    const run = new SteppingTrainer({ ...EXPLODING_PRESET, bits: 4, batch: 8, lr: 2, clip: undefined });
    const record = run.step();
    expect(tf.memory().numTensors, 'tensors after a step').to.equal(before);
    expect(record.step).to.equal(1);
    expect(Object.keys(record.norms)).to.deep.equal(['Wx', 'Ws', 'bs', 'Wy', 'by']);
    expect(record.gradNorm).to.be.closeTo(Math.hypot(...Object.values(record.norms)), 1e-9);
    expect(record.update).to.be.closeTo(2 * record.gradNorm, ROUNDING * record.update);
    expect(record.clipped).to.equal(false);
    const p = run.params();
    expect(p.Ws.shape).to.deep.equal([16, 16]);
    disposeParams(p);
  });

  it('clipping caps the update at lr·c, and says so', () => {
    const run = new SteppingTrainer({ ...EXPLODING_PRESET, bits: 4, batch: 8, lr: 2, clip: 1e-3 });
    const record = run.step();
    expect(record.gradNorm, '‖g‖ before clipping').to.be.above(1e-3);
    expect(record.clipped).to.equal(true);
    expect(record.update).to.be.closeTo(2 * 1e-3, ROUNDING * 2e-3);
  });

  it('the exploding-gradient preset: unclipped, the gradient is 0 from step 2 on; clipped, the loss falls', () => {
    const twin = new SteppingTrainer({ ...EXPLODING_PRESET, clip: undefined });
    const run = new SteppingTrainer(EXPLODING_PRESET);
    const first = twin.step();
    expect(first.update, 'the first unclipped step, lr·‖g‖').to.be.above(1e3);
    for (let i = 0; i < 5; i++) expect(twin.step().gradNorm, `the twin's ‖g‖ at step ${i + 2}`).to.equal(0);
    const losses = Array.from({ length: 200 }, () => run.step().loss);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean(losses.slice(-50)), 'the clipped run learns').to.be.below(mean(losses.slice(0, 50)));
  });
});
