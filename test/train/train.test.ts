// Training: small adders trained to exact in the suite, reproducibility, divergence, clipping, and the optimizers'
// arithmetic (the train command itself: train-cli.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { exhaustivePairs } from '../../src/data/sample';
import { OptionError, UserError } from '../../src/errors';
import { scorePairs } from '../../src/eval/evaluate';
import { disposeParams, Params, PARAM_NAMES } from '../../src/engine/params';
import { clipGlobalNorm, globalNorm } from '../../src/train/clip';
import { defaultConfig, defaultEngine, FUSED_CELLS, resolveConfig } from '../../src/train/config';
import { AdamSettings, ADAM_EPSILON, ADDER_ADAM, createOptimizer, MOMENTUM, STANDARD_ADAM } from '../../src/train/optimizers';
import { config, trainAdder, trained } from '../support/training';

function weightsOf(params: Params): number[] {
  return PARAM_NAMES.flatMap((name) => (params[name] ? Array.from(params[name]!.dataSync()) : []));
}

describe('training', () => {
  before(async () => {
    await initBackend();
  });

  it('trains a 6-bit adder until every one of the 4,096 sums is right', () => {
    trained(config(6), (result) => {
      expect(result.solved).to.equal(true);
      expect(result.score).to.include({ method: 'exhaustive', pairs: 4096, correct: 4096 });
      // Checked again the slow way, pair by pair through the fused forward, independently of the prefix evaluation.
      expect(scorePairs(result.params, exhaustivePairs(6), 6, 'exhaustive').correct).to.equal(4096);
      expect(result.samples).to.equal(result.steps * 64);
      expect(result.history.length).to.be.greaterThan(0);
      const last = result.history[result.history.length - 1];
      // The last point is the full check that found the adder exact: on weights trained on every pair counted.
      expect(last.samples).to.equal(result.samples);
      expect(last.loss).to.be.a('number').and.greaterThan(0);
      expect(last.accuracy).to.be.within(0, 1);
      expect(last.seconds).to.be.within(0, result.seconds);
    });
  });

  it('reproduces the same weights from the same seed, and other weights from another', () => {
    const runs = [1, 1, 2].map((seed) => {
      const result = trainAdder(config(4, { seed }));
      const weights = weightsOf(result.params);
      disposeParams(result.params);
      return { weights, samples: result.samples };
    });
    expect(runs[1].samples).to.equal(runs[0].samples);
    expect(runs[1].weights).to.deep.equal(runs[0].weights);
    expect(runs[2].weights).to.not.deep.equal(runs[0].weights);
  });

  for (const engine of ['bptt', 'autodiff'] as const) {
    it(`trains with ${engine === 'bptt' ? 'the tensor engine' : 'tf.grad'} as the engine too`, () => {
      trained(config(4, { engine }), (result) => {
        expect(result.solved).to.equal(true);
        expect(result.score).to.include({ pairs: 256, correct: 256 });
      });
    });
  }

  for (const optimizer of ['sgd', 'momentum'] as const) {
    it(`trains with ${optimizer} at its default learning rate`, () => {
      trained({ ...config(4), ...defaultConfig(4, optimizer), seed: 1 }, (result) => expect(result.solved).to.equal(true));
    });
  }

  it('trains with the gradient clipped, without biases, with glorot weights and cross-entropy', () => {
    trained(config(4, { clip: 0.05, bias: false, init: 'glorot', loss: 'bce' }), (result) => expect(result.solved).to.equal(true));
  });

  it('stops at the first step that diverges, with the hint, and frees everything', () => {
    const before = tf.memory().numTensors;
    for (const changes of [{ lr: 1e6 }, { optimizer: 'sgd', lr: 1e38 }] as const) {
      expect(() => trainAdder(config(8, changes)))
        .to.throw(UserError, /^training diverged after 64 pairs \(a weight (passed ±10000|is not a number any more)\): lower lr \(it was [0-9e+.]+\) or clip the gradient with clip 1$/);
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('gives up at --max-samples, measured but not exact', () => {
    trained(config(8, { maxSamples: 128 }), (result) => {
      expect(result.solved).to.equal(false);
      expect(result.samples).to.equal(128);
      expect(result.score.method).to.equal('exhaustive');
      expect(result.score.correct).to.be.lessThan(result.score.pairs);
    });
  });
});

describe('the engine a run uses', () => {
  it('is the fused kernel for every cell', () => {
    expect(FUSED_CELLS).to.deep.equal(['elman', 'lstm', 'gru']);
    for (const cell of FUSED_CELLS) {
      expect(defaultConfig(8, 'adam', cell)).to.include({ cell, engine: 'fused' });
      expect(defaultEngine(cell)).to.equal('fused');
    }
  });

  it('is the fused kernel where it computes the task: the gated cells\' on the adding problem and with truncation, not the Elman cell\'s', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      expect(defaultEngine(cell, 'adding-problem')).to.equal('fused');
      expect(defaultEngine(cell, 'add', 8)).to.equal('fused');
    }
    expect(defaultEngine('elman', 'adding-problem')).to.equal('bptt');
    expect(defaultEngine('elman', 'add', 8)).to.equal('bptt');
  });

  it('refuses the fused engine where the cell\'s kernel does not compute the run, in one line that names the way out', () => {
    expect(() => resolveConfig({ bits: 4, engine: 'fused', tbptt: 3 })).to.throw(
      OptionError,
      /^engine fused computes the elman cell on whole additions with full BPTT only: train other tasks and tbptt with engine bptt$/,
    );
  });
});

describe('global-norm clipping', () => {
  it('scales a long gradient down to the threshold, keeping its direction', () => {
    const g = Float32Array.from([3, -4, 12, 0]); // norm 13
    expect(clipGlobalNorm(g, 1)).to.be.closeTo(13, 1e-6);
    expect(globalNorm(g)).to.be.closeTo(1, 1e-6);
    expect(Array.from(g)).to.deep.equal([3 / 13, -4 / 13, 12 / 13, 0].map(Math.fround));
  });

  it('leaves a gradient within the threshold as it is', () => {
    const g = Float32Array.from([0.3, -0.4]);
    expect(clipGlobalNorm(g, 1)).to.be.closeTo(0.5, 1e-6);
    expect(Array.from(g)).to.deep.equal([0.3, -0.4].map(Math.fround));
  });
});

describe('optimizers', () => {
  const step = (name: 'sgd' | 'momentum' | 'adam', grads: number[][]): number[] => {
    const w = Float32Array.from([1, -2]);
    const optimizer = createOptimizer(name, 0.1, 2);
    for (const g of grads) optimizer.step(w, Float32Array.from(g));
    return Array.from(w);
  };

  it('sgd: w − lr·g', () => {
    expect(step('sgd', [[0.5, -1]])).to.deep.equal([1 - 0.05, -2 + 0.1].map(Math.fround));
  });

  it('momentum: v ← μv + g, w ← w − lr·v', () => {
    const v2 = [MOMENTUM * 0.5 + 0.5, MOMENTUM * -1 + -1];
    const expected = [1 - 0.1 * 0.5 - 0.1 * v2[0], -2 + 0.1 - 0.1 * v2[1]];
    step('momentum', [[0.5, -1], [0.5, -1]]).forEach((w, i) => expect(w).to.be.closeTo(expected[i], 1e-6));
  });

  it('adam: two steps follow the moments of the settings given, the adders\' or the long-lag tasks\'', () => {
    const lr = 0.1;
    const [g1, g2] = [0.5, -0.2];
    const byHand = ({ beta1, beta2, epsilon }: AdamSettings): number => {
      const m1 = (1 - beta1) * g1;
      const v1 = (1 - beta2) * g1 * g1;
      const w1 = 1 - (lr * m1) / (1 - beta1) / (Math.sqrt(v1 / (1 - beta2)) + epsilon);
      const m2 = beta1 * m1 + (1 - beta1) * g2;
      const v2 = beta2 * v1 + (1 - beta2) * g2 * g2;
      return w1 - (lr * m2) / (1 - beta1 ** 2) / (Math.sqrt(v2 / (1 - beta2 ** 2)) + epsilon);
    };
    const ours = (settings: AdamSettings): number => {
      const w = Float32Array.from([1]);
      const optimizer = createOptimizer('adam', lr, 1, settings);
      for (const g of [g1, g2]) optimizer.step(w, Float32Array.from([g]));
      return w[0];
    };
    for (const settings of [ADDER_ADAM, STANDARD_ADAM]) expect(ours(settings), JSON.stringify(settings)).to.be.closeTo(byHand(settings), 1e-6);
    expect(ours(ADDER_ADAM)).to.not.be.closeTo(ours(STANDARD_ADAM), 1e-3);
  });

  it('adam: the first step moves every weight by lr against the sign of its gradient', () => {
    const expected = [1 - (0.1 * 0.5) / (0.5 + ADAM_EPSILON), -2 + (0.1 * 1e-3) / (1e-3 + ADAM_EPSILON)];
    step('adam', [[0.5, -1e-3]]).forEach((w, i) => expect(w).to.be.closeTo(expected[i], 1e-6));
  });
});
