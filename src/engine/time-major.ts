// The layout every cell engine computes in, and the input side that all three share.
//
// Time is axis 1 in what comes in and goes out, as in the model's input [B, T, I]. Inside, rows are time-major
// (row t·B + i is step t of sequence i), so a step is one contiguous block of B rows.
// Speed (wasm, docs/benchmarks.md): an op costs microseconds whatever its size, a slice copies its whole input,
// and a matMul with a transposed operand is slower than a transpose then a plain matMul. Hence per-step slices
// of the narrow x and δo rather than of [N, G·H] tensors, and the explicit transposes.
import * as tf from '@tensorflow/tfjs-core';
import { Params } from './params';

/** [B, T, C] → [N, C] time-major, N = B·T. */
export function timeMajor(v: tf.Tensor3D): tf.Tensor2D {
  const [B, T, C] = v.shape;
  return tf.reshape(tf.transpose(v, [1, 0, 2]), [T * B, C]);
}

/** [N, C] time-major → [B, T, C]. */
export function batchMajor(v: tf.Tensor2D, B: number, T: number): tf.Tensor3D {
  return tf.transpose(tf.reshape(v, [T, B, v.shape[1]]), [1, 0, 2]) as tf.Tensor3D;
}

/**
 * x_t·Wx + bs for each step t, [B, G·H]: one matMul per step, [x_t, 1]·[Wx; bs] with a bias, x_t·Wx without.
 * Call inside the caller's tidy.
 */
export function inputTerms(p: Params, x: tf.Tensor3D): (t: number) => tf.Tensor2D {
  const T = x.shape[1];
  const xRows = p.bs ? tf.pad(timeMajor(x), [[0, 0], [0, 1]], 1) : timeMajor(x);
  const Win = (p.bs ? tf.concat([p.Wx, tf.reshape(p.bs, [1, -1])], 0) : p.Wx) as tf.Tensor2D;
  const xs = tf.split(xRows, T, 0) as tf.Tensor2D[];
  return (t) => tf.matMul(xs[t], Win);
}

/**
 * The input side of the gradient, the same for every cell given δz_t = ∂L/∂z_t (time-major [N, G·H]) at the
 * pre-activations z_t = x_t·Wx + … + bs:  dWx = Σ_t x_tᵀ·δz_t,  dbs = Σ_t δz_t.  Call inside the caller's tidy.
 */
export function inputGrads(x: tf.Tensor3D, dz: tf.Tensor2D, bias: boolean): Pick<Params, 'Wx' | 'bs'> {
  const [B, T, I] = x.shape;
  // xᵀ time-major [I, N] in one transpose.
  const xT = tf.reshape<tf.Rank.R2>(tf.transpose(x, [2, 1, 0]), [I, B * T]);
  return bias ? { Wx: tf.matMul(xT, dz), bs: tf.sum<tf.Tensor1D>(dz, 0) } : { Wx: tf.matMul(xT, dz) };
}
