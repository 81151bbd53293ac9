// Stepping every state of a batch by every one of k inputs at once, for the shared-prefix evaluation
// (src/eval/exhaustive.ts): row q·k + c of the result belongs to state q extended by input c.
import * as tf from '@tensorflow/tfjs-core';

/** What a cell carries from step to step: h_t, and the LSTM's c_t. */
export type CellState = { h: tf.Tensor2D; c?: tf.Tensor2D };

/** perState [n, C] + perInput [k, C] for every pair: [k·n, C], row q·k + c = perState[q] + perInput[c]. */
export function everyPair(perState: tf.Tensor2D, perInput: tf.Tensor2D): tf.Tensor2D {
  const [n, C] = perState.shape;
  const k = perInput.shape[0];
  return tf.reshape(tf.add(tf.reshape(perState, [n, 1, C]), tf.reshape(perInput, [1, k, C])), [k * n, C]);
}

/** Each row of v [n, C] k times in a row: [k·n, C], row q·k + c = v[q]. */
export function repeatRows(v: tf.Tensor2D, k: number): tf.Tensor2D {
  const [n, C] = v.shape;
  return k === 1 ? v : tf.reshape(tf.tile(tf.reshape(v, [n, 1, C]), [1, k, 1]), [k * n, C]);
}
