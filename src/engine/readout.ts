// The readout, the same for every cell: (F2) ŷ_t = σ(o_t), o_t = h_t·Wy + by, on the cell's hidden states h_t,
// and its side of the backward pass, (B1)–(B3) and the first term of (B4), δo_t·Wyᵀ (docs/bptt.md).
import * as tf from '@tensorflow/tfjs-core';
import { LossName, Outputs, outputDelta } from './loss';
import { Params } from './params';
import { batchMajor, timeMajor } from './time-major';

/** (F2) on the hidden states, time-major [N, H]: the logits and ŷ, [B, T, 1]. */
export function readout(p: Params, hidden: tf.Tensor2D, B: number, T: number): Outputs {
  return tf.tidy(() => {
    let o = tf.matMul(hidden, p.Wy);
    if (p.by) o = tf.add(o, p.by);
    const logits = batchMajor(o as tf.Tensor2D, B, T);
    return { logits, yhat: tf.sigmoid(logits) as tf.Tensor3D };
  });
}

export interface ReadoutGrads {
  Wy: tf.Tensor2D;
  by?: tf.Tensor1D;
  /** (B4)'s first term at step t: ∂L/∂h_t through ŷ_t alone, δo_t·Wyᵀ, [B, H]. */
  outputTerm(t: number): tf.Tensor2D;
}

/**
 * The readout's gradients from the hidden states (time-major [N, H]) and the forward's ŷ, on the steps the mask
 * marks (every step without one).
 * `hiddenT` is hiddenᵀ when the caller has it already. Call inside the cell's tidy: outputTerm makes tensors.
 */
export function readoutGrads(
  p: Params,
  hidden: tf.Tensor2D,
  yhat: tf.Tensor3D,
  y: tf.Tensor3D,
  kind: LossName,
  mask: tf.Tensor3D | undefined,
  hiddenT: tf.Tensor2D = tf.transpose(hidden),
): ReadoutGrads {
  const T = yhat.shape[1];
  const H = hidden.shape[1];
  const dO = timeMajor(outputDelta(yhat, y, kind, mask)); // (B1)
  const dOs = tf.split(dO, T, 0);
  const WyRow = tf.reshape(p.Wy, [1, H]);
  const grads: ReadoutGrads = {
    Wy: tf.matMul(hiddenT, dO), // (B2) dWy = Σ_t h_tᵀ·δo_t
    // (B4) δo_t·Wyᵀ is an outer product: δo_t [B, 1] scales the row Wyᵀ.
    outputTerm: (t) => tf.mul(dOs[t], WyRow),
  };
  if (p.by) grads.by = tf.sum<tf.Tensor1D>(dO, 0); // (B3) dby = Σ_t δo_t
  return grads;
}
