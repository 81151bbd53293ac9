// One addition step by step, for `add --trace`: the input bits, ŷ_t, the hidden state h_t, and the true bit.
import * as tf from '@tensorflow/tfjs-core';
import { inputTensor } from '../engine/batch-tensors';
import { bitAt, decodeBits, encodePairs, stepsFor } from '../data/bits';
import { engineFor } from '../engine/cells';
import { statesOf } from '../engine/cell';
import { widthOf } from '../data/operands';
import { Params } from '../engine/params';

export interface TraceStep {
  t: number;
  /** x_t = [bit_t(a), bit_t(b)]. */
  a: number;
  b: number;
  /** ŷ_t, the output probability (F2). */
  p: number;
  /** The predicted bit (ŷ_t > 0.5) and the true bit_t(a+b). */
  bit: number;
  want: number;
  /** h_t, H values: s_t in (0, 1) for the Elman cell (F1), in (−1, 1) for the gated ones. */
  state: number[];
}

export interface AdditionTrace {
  sum: bigint;
  expected: bigint;
  steps: TraceStep[];
}

/**
 * The network's forward pass on a + b over T = width + 1 steps, as addWithModel runs it; with `bits`, over
 * T = max(bits, width) + 1 steps (leading zeros), as `grads` encodes a pair on the model's width.
 */
export function traceAddition(params: Params, a: bigint, b: bigint, bits = 0): AdditionTrace {
  const T = stepsFor(Math.max(bits, widthOf(a, b)));
  const enc = encodePairs([a], [b], T);
  const [states, probs] = tf.tidy(() => {
    const cache = engineFor(params).forward(params, inputTensor(enc));
    return [statesOf(cache).arraySync()[0], cache.yhat.dataSync()];
  });
  const expected = a + b;
  const steps = states.map((state, t) => ({
    t,
    a: bitAt(a, t),
    b: bitAt(b, t),
    p: probs[t],
    bit: probs[t] > 0.5 ? 1 : 0,
    want: bitAt(expected, t),
    state,
  }));
  return { sum: decodeBits(probs, 0, T), expected, steps };
}
