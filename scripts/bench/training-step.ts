// One training step as the loop runs it (the engine's gradient at the flat weights, then Adam's update), for the
// suites that time warm steps: the fused kernel, the tensor engine, tf.grad, per cell.
import {
  batchSampler,
  CellName,
  createOptimizer,
  DEFAULT_LEARNING_RATES,
  disposeParams,
  EngineName,
  encodePairs,
  flatLayout,
  gradientStep,
  initParams,
  randomPairs,
  readFlat,
  seededRng,
  stepsFor,
} from 'rnn-adder';
import { round } from './harness';

/** The adders' network: H 16 with biases. */
export const NET = { hidden: 16, bias: true };
export const WIDTHS = [8, 16];

export function trainingStep(engine: EngineName, bits: number, seed = 1, cell: CellName = 'elman', hidden = NET.hidden): () => void {
  const config = { ...NET, cell, hidden };
  const layout = flatLayout(config);
  const weights = new Float32Array(layout.size);
  const grads = new Float32Array(layout.size);
  const initial = initParams(config, seed);
  readFlat(initial, layout, weights);
  disposeParams(initial);
  const optimizer = createOptimizer('adam', DEFAULT_LEARNING_RATES.adam, layout.size);
  const batch = batchSampler(bits, 64, seed)();
  return () => {
    gradientStep(engine, weights, layout, batch, 'mse', grads).dispose();
    optimizer.step(weights, grads);
  };
}

/** `count` seeded random pairs of `bits`-bit operands, encoded. */
export function randomBatch(bits: number, count: number, seed: number) {
  const pairs = randomPairs(seededRng(seed), bits, count);
  return encodePairs(pairs.a, pairs.b, stepsFor(bits));
}

/** Pairs per second and ms per step of a batch-64 step taking `ms`. */
export const stepRate = (ms: number) => ({ samplesPerSec: Math.round((1000 * 64) / ms), msPerStep: round(ms, 4) });
