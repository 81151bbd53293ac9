// The readout's loss and its gradient at the logits, shared by every cell: ŷ_t = σ(o_t), o_t = h_t·Wy + by.
import * as tf from '@tensorflow/tfjs-core';

import { LossName } from './names';

export { LOSSES, LossName } from './names';

/** What the loss needs of a forward pass: the logits o_t and ŷ_t = σ(o_t), both [B, T, 1]. */
export type Outputs = {
  logits: tf.Tensor3D;
  yhat: tf.Tensor3D;
};

/**
 * (L) The loss, mean over batch and time steps:
 *   mse: ½(y − ŷ)²;  bce: −[y·ln ŷ + (1−y)·ln(1−ŷ)], computed from the logit as softplus(o) − y·o,
 *   which is the same number without ln(0) when ŷ saturates.
 */
export function loss(cache: Outputs, y: tf.Tensor3D, kind: LossName): tf.Scalar {
  return tf.tidy(() =>
    kind === 'mse'
      ? tf.mul(0.5, tf.mean(tf.square(tf.sub(y, cache.yhat))))
      : tf.mean(tf.sub(tf.softplus(cache.logits), tf.mul(y, cache.logits))),
  );
}

/** (B1) δo_t = ∂L/∂o_t, [B, T, 1]: mse (ŷ−y)·ŷ(1−ŷ)/N, bce (ŷ−y)/N (the sigmoid's slope cancels), N = B·T. */
export function outputDelta(yhat: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): tf.Tensor3D {
  return tf.tidy(() => {
    const N = yhat.shape[0] * yhat.shape[1];
    const err = tf.sub(yhat, y);
    return tf.div<tf.Tensor3D>(kind === 'mse' ? tf.mul(err, tf.mul(yhat, tf.sub(1, yhat))) : err, N);
  });
}
