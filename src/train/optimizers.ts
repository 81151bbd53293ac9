// sgd, momentum and adam as in-place updates of the flat parameter vector. A few hundred numbers per step:
// plain JS does it in microseconds, where a tfjs optimizer spends about ten ops per parameter tensor
// (docs/benchmarks.md has the measurement).
import type { OptimizerName } from '../names';

export interface Optimizer {
  /** Moves the weights one step against the gradient, in place. */
  step(weights: Float32Array, grads: Float32Array): void;
}

/** Heavy-ball momentum, as tf.train.momentum: v ← μv + g, w ← w − lr·v. */
export const MOMENTUM = 0.9;
/** Adam's decay rates of the gradient's first and second moments, and the ε added to the root of the second. */
export interface AdamSettings {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * The adders' Adam. Shorter memories than the usual 0.9 and 0.999 reach an exact adder in about 40% fewer
 * steps here (β1 0.7, β2 0.99: median 79 steps against 136 at lr 0.1, batch 256, 8 bits, 8 seeds).
 */
export const ADAM_BETA1 = 0.7;
export const ADAM_BETA2 = 0.99;
export const ADAM_EPSILON = 1e-7;
export const ADDER_ADAM: AdamSettings = { beta1: ADAM_BETA1, beta2: ADAM_BETA2, epsilon: ADAM_EPSILON };

/**
 * Kingma & Ba's Adam (PyTorch's defaults): the adding problem's. Its one loss per sequence is a sparse, noisy
 * signal that the longer memories average: the LSTM at T = 100 solved it in 38,528 sequences where the adders'
 * settings took 91,328 (seed 1, docs/long-lags.md).
 */
export const STANDARD_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export function createOptimizer(name: OptimizerName, lr: number, size: number, adam: AdamSettings = ADDER_ADAM): Optimizer {
  switch (name) {
    case 'sgd':
      return {
        step(w, g) {
          for (let i = 0; i < size; i++) w[i] -= lr * g[i];
        },
      };
    case 'momentum': {
      const v = new Float64Array(size);
      return {
        step(w, g) {
          for (let i = 0; i < size; i++) {
            v[i] = MOMENTUM * v[i] + g[i];
            w[i] -= lr * v[i];
          }
        },
      };
    }
    case 'adam': {
      const m = new Float64Array(size);
      const v = new Float64Array(size);
      let t = 0;
      return {
        step(w, g) {
          t++;
          const { beta1, beta2, epsilon } = adam;
          const mScale = 1 / (1 - beta1 ** t);
          const vScale = 1 / (1 - beta2 ** t);
          for (let i = 0; i < size; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= (lr * m[i] * mScale) / (Math.sqrt(v[i] * vScale) + epsilon);
          }
        },
      };
    }
  }
}
