// Truncated BPTT (`--tbptt K`): a sequence is cut into windows of K steps, t = 0…K−1, K…2K−1, …; the state
// that enters a window is a constant of it, so no gradient crosses a window's edge and each step's loss
// reaches back at most K steps. Every cell's forward marks the edge with stopGradient (for tf.grad's tape)
// and its backward drops the recurrent term there (docs/long-lags.md).
import * as tf from '@tensorflow/tfjs-core';

/** True when step t (0-based) starts a new window of K steps: the recurrent gradient stops between t−1 and t. */
export function startsWindow(t: number, K: number | undefined): boolean {
  return K !== undefined && t > 0 && t % K === 0;
}

/** The identity with a zero gradient: tfjs-core has no stopGradient, so one custom gradient makes it. */
export const stopGradient = tf.customGrad((...inputs) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(value: T) => T;
