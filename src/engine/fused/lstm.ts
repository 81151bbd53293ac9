// The fused LSTM engine through tfjs: tensors in, tensors out, as src/engine/lstm.ts, with the whole forward and
// backward pass in one WebAssembly call (lstm-kernel.ts). A custom op, as the Elman one (elman.ts): it reads its
// inputs and makes its outputs through the public tensor API, so it runs on every backend and composes with tidy.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { loss, LossName, Outputs } from '../loss';
import { configOf, convertParams, Params } from '../params';
import { FlatParams } from './kernel';
import { lstmKernel, LstmKernel } from './lstm-kernel';

/** The weights as flat arrays for the kernel; refuses the parameters of another cell. */
function flat(p: Params): FlatParams {
  const { cell } = configOf(p);
  if (cell !== 'lstm') throw new Error(`the fused LSTM kernel computes the LSTM cell, not ${cell}`);
  const values = (w: tf.Tensor) => w.dataSync() as Float32Array;
  return convertParams(p, values, values);
}

/** (L1)–(L4), (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, I]. */
export function fusedLstmForward(p: Params, x: tf.Tensor3D, kernel: LstmKernel = lstmKernel()): Outputs {
  const [B, T] = x.shape;
  const out = kernel.forward(flat(p), x.dataSync() as Float32Array, B, T);
  return { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
}

/** ŷ [B·T] for x [B, T, I] as a plain array, the weights read once: the evaluations' forward, no tensor per batch. */
export function fusedLstmPredictor(p: Params, kernel: LstmKernel = lstmKernel()): (x: Float32Array, B: number, T: number) => Float32Array {
  const weights = flat(p);
  return (x, B, T) => kernel.forward(weights, x, B, T).yhat;
}

/**
 * ŷ of every prefix of every pair of bits-wide operands, one array per step: what the exhaustive check scores
 * (src/eval/exhaustive.ts, which documents the order).
 */
export function fusedLstmPrefixOutputs(p: Params, bits: number, kernel: LstmKernel = lstmKernel()): Float32Array[] {
  return kernel.prefixOutputs(flat(p), bits);
}

/**
 * The loss (L) and the gradient of every parameter in one kernel call, as src/engine/lstm.ts's lossAndGrads, with
 * its mask, truncation and carried-in state: what gradcheck compares.
 */
export function fusedLstmLossAndGrads(
  p: Params,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  kind: LossName,
  options: SequenceOptions = {},
  kernel: LstmKernel = lstmKernel(),
): LossAndGrads {
  const [B, T] = x.shape;
  const values = (t: tf.Tensor) => t.dataSync() as Float32Array;
  const { mask, initial, tbptt } = options;
  const out = kernel.lossAndGrads(flat(p), values(x), values(y), B, T, kind, {
    mask: mask && values(mask),
    initial: initial && { h: values(initial.h), c: initial.c && values(initial.c) },
    tbptt,
  });
  const grads = convertParams(
    out.grads,
    (g, name) => tf.tensor2d(g, p[name]!.shape as [number, number]),
    (g) => tf.tensor1d(g),
  );
  const value = tf.tidy(() => loss({ logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) }, y, kind, options.mask));
  return { loss: value, grads };
}
