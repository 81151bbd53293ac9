// The one comparison the gradient suites make (test/engine/gradients.test.ts for the Elman cell, test/engine/gated-gradients.test.ts
// for LSTM and GRU, test/engine/fused.test.ts for the fused kernel): a gradient against the tensor engine's, tf.grad's or
// float64 finite differences' on the same random problem.
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
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
import { CELL_ENGINES } from '../../src/engine/cells';
import { LOSSES } from '../../src/engine/loss';
import { disposeParams, mapParams } from '../../src/engine/params';

export type Yardstick = 'bptt' | 'tf.grad' | 'finite differences';

/** The tolerance of each comparison: against an engine or tf.grad (float32 both), or finite differences. */
export const TOLERANCES: Record<Yardstick, number> = {
  bptt: BPTT_VS_AUTODIFF_TOLERANCE,
  'tf.grad': BPTT_VS_AUTODIFF_TOLERANCE,
  'finite differences': BPTT_VS_FINITE_DIFF_TOLERANCE,
};

/**
 * Runs fn and the yardstick on the same random problem (weights times scale) and compares every gradient entry;
 * `name` labels fn in the report (default: the cell's tensor engine).
 */
export function checkGradients(
  fn: LossAndGradsFn,
  yardstick: Yardstick,
  config: GradcheckConfig,
  scale = 1,
  name = `${config.cell ?? 'elman'} bptt`,
) {
  const problem = randomProblem(config);
  const params = mapParams(problem.params, (w) => tf.mul(w, scale));
  disposeParams(problem.params);
  try {
    const ours = plainLossAndGrads(fn, params, problem.data, config.loss);
    const expected =
      yardstick === 'finite differences'
        ? finiteDifferenceGrads(plainParams(params), problem.data, config.loss)
        : plainLossAndGrads(yardstick === 'bptt' ? CELL_ENGINES[config.cell ?? 'elman'].lossAndGrads : autodiffLossAndGrads, params, problem.data, config.loss).grads;
    return compareGradients(`${name} vs ${yardstick}`, expected, ours.grads, TOLERANCES[yardstick]);
  } finally {
    disposeParams(params);
  }
}

/** A test title for a configuration. */
export const describeConfig = (c: GradcheckConfig): string =>
  `${c.cell ?? 'elman'}, ${c.bits} bits, H ${c.hidden}, B ${c.batch}, ${c.bias ? 'biases' : 'no biases'}, ${c.loss}`;

/** Random addition problems for the property tests: 1…maxBits bits, H 1…maxHidden, B 1…maxBatch, any seed. */
export const randomConfigs = (maxBits: number, maxHidden: number, maxBatch: number) =>
  fc.record({
    bits: fc.integer({ min: 1, max: maxBits }),
    hidden: fc.integer({ min: 1, max: maxHidden }),
    batch: fc.integer({ min: 1, max: maxBatch }),
    bias: fc.boolean(),
    loss: fc.constantFrom(...LOSSES),
    seed: fc.nat(),
  });

/** Weight scales for the property tests: from 0.1, nearly linear, to 4, which saturates the sigmoids. */
export const weightScales = fc.double({ min: 0.1, max: 4, noNaN: true });

/**
 * `scale` capped at the recurrent gain that H = `steady` has at that scale (the gain grows as scale·√H): past some
 * gain a network is chaotic, and two float32 computations of the same forward pass part by more than rounding.
 */
export const gainScale = (scale: number, hidden: number, steady: number): number => scale * Math.min(1, Math.sqrt(steady / hidden));
