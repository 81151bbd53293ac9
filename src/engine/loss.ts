// The readout's loss and its gradient at the logits, shared by every cell: ŷ_t = σ(o_t), o_t = h_t·Wy + by.
import * as tf from '@tensorflow/tfjs-core';

import { LossName } from '../names';

export { LOSSES, LossName } from '../names';

/** What the loss needs of a forward pass: the logits o_t and ŷ_t = σ(o_t), both [B, T, 1]. */
export type Outputs = {
  logits: tf.Tensor3D;
  yhat: tf.Tensor3D;
};

/**
 * M, the number of steps that carry a loss: Σ m_t with a mask, N = B·T without. At least 1, so a window with
 * no loss at all (echo's first k steps) has loss 0 and gradient 0, not 0/0.
 */
function lossSteps(yhat: tf.Tensor3D, mask: tf.Tensor3D | undefined): tf.Scalar | number {
  return mask ? (tf.maximum(tf.sum(mask), 1) as tf.Scalar) : yhat.shape[0] * yhat.shape[1];
}

/**
 * (L) The loss, mean over the M steps that carry one (every step of every sequence, or those the mask m_t marks):
 *   mse: ½(y − ŷ)²;  bce: −[y·ln ŷ + (1−y)·ln(1−ŷ)], computed from the logit as softplus(o) − y·o,
 *   which is the same number without ln(0) when ŷ saturates.
 */
export function loss(cache: Outputs, y: tf.Tensor3D, kind: LossName, mask?: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const perStep =
      kind === 'mse'
        ? tf.mul(0.5, tf.square(tf.sub(y, cache.yhat)))
        : tf.sub(tf.softplus(cache.logits), tf.mul(y, cache.logits));
    return mask ? tf.div(tf.sum(tf.mul(perStep, mask)), lossSteps(cache.yhat, mask)) : tf.mean(perStep);
  });
}

/**
 * (B1) δo_t = ∂L/∂o_t, [B, T, 1]: mse (ŷ−y)·ŷ(1−ŷ)·m_t/M, bce (ŷ−y)·m_t/M (the sigmoid's slope cancels);
 * without a mask m_t = 1 and M = N = B·T.
 */
export function outputDelta(yhat: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, mask?: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const err = tf.sub(yhat, y);
    const slope = kind === 'mse' ? tf.mul(err, tf.mul(yhat, tf.sub(1, yhat))) : err;
    return tf.div(mask ? tf.mul(slope, mask) : slope, lossSteps(yhat, mask)) as tf.Tensor3D;
  });
}
