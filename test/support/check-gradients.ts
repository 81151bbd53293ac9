// The one comparison both gradient suites make (test/gradients.test.ts for the Elman cell, test/gated-gradients.test.ts
// for LSTM and GRU): an engine's gradient against tf.grad or float64 finite differences on the same random problem.
import * as tf from '@tensorflow/tfjs-core';
import {
  BPTT_VS_AUTODIFF_TOLERANCE,
  BPTT_VS_FINITE_DIFF_TOLERANCE,
  compareGradients,
  finiteDifferenceGrads,
  GradcheckConfig,
  LossAndGradsFn,
  plainLossAndGrads,
  randomProblem,
} from '../../src/check/gradcheck';
import { plainParams } from '../../src/check/reference';
import { autodiffLossAndGrads } from '../../src/engine/autodiff';
import { disposeParams, mapParams } from '../../src/engine/params';

/** Runs fn and the yardstick on the same random problem (weights times scale) and compares every gradient entry. */
export function checkGradients(fn: LossAndGradsFn, yardstick: 'tf.grad' | 'finite differences', config: GradcheckConfig, scale = 1) {
  const problem = randomProblem(config);
  const params = mapParams(problem.params, (w) => tf.mul(w, scale));
  disposeParams(problem.params);
  try {
    const ours = plainLossAndGrads(fn, params, problem.data, config.loss);
    const expected =
      yardstick === 'tf.grad'
        ? plainLossAndGrads(autodiffLossAndGrads, params, problem.data, config.loss).grads
        : finiteDifferenceGrads(plainParams(params), problem.data, config.loss);
    const tolerance = yardstick === 'tf.grad' ? BPTT_VS_AUTODIFF_TOLERANCE : BPTT_VS_FINITE_DIFF_TOLERANCE;
    return compareGradients(`${config.cell ?? 'elman'} bptt vs ${yardstick}`, expected, ours.grads, tolerance);
  } finally {
    disposeParams(params);
  }
}

/** A test title for a configuration. */
export const describeConfig = (c: GradcheckConfig): string =>
  `${c.cell ?? 'elman'}, ${c.bits} bits, H ${c.hidden}, B ${c.batch}, ${c.bias ? 'biases' : 'no biases'}, ${c.loss}`;
