// The fused GRU engine through tfjs: tensors in, tensors out, as src/engine/gru.ts, with the whole forward and
// backward pass in one WebAssembly call (gru-kernel.ts). A custom op, as the Elman one (elman.ts): it reads its
// inputs and makes its outputs through the public tensor API, so it runs on every backend and composes with tidy.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { loss, LossName, Outputs } from '../loss';
import { configOf, convertParams, Params } from '../params';
import { FlatParams } from './kernel';
import { gruKernel, GruKernel } from './gru-kernel';

/** The weights as flat arrays for the kernel; refuses the parameters of another cell. */
function flat(p: Params): FlatParams {
  const { cell } = configOf(p);
  if (cell !== 'gru') throw new Error(`the fused GRU kernel computes the GRU cell, not ${cell}`);
  const values = (w: tf.Tensor) => w.dataSync() as Float32Array;
  return convertParams(p, values, values);
}

/** (U1)–(U4), (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, I]. */
export function fusedGruForward(p: Params, x: tf.Tensor3D, kernel: GruKernel = gruKernel()): Outputs {
  const [B, T] = x.shape;
  const out = kernel.forward(flat(p), x.dataSync() as Float32Array, B, T);
  return { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
}

/** ŷ [B·T] for x [B, T, I] as a plain array, the weights read once: the evaluations' forward, no tensor per batch. */
export function fusedGruPredictor(p: Params, kernel: GruKernel = gruKernel()): (x: Float32Array, B: number, T: number) => Float32Array {
  const weights = flat(p);
  return (x, B, T) => kernel.forward(weights, x, B, T).yhat;
}

/**
 * ŷ of every prefix of every pair of bits-wide operands, one array per step: what the exhaustive check scores
 * (src/eval/exhaustive.ts, which documents the order).
 */
export function fusedGruPrefixOutputs(p: Params, bits: number, kernel: GruKernel = gruKernel()): Float32Array[] {
  return kernel.prefixOutputs(flat(p), bits);
}

/**
 * The loss (L) and the gradient of every parameter in one kernel call, as src/engine/gru.ts's lossAndGrads, with
 * its mask, truncation and carried-in state: what gradcheck compares.
 */
export function fusedGruLossAndGrads(
  p: Params,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  kind: LossName,
  options: SequenceOptions = {},
  kernel: GruKernel = gruKernel(),
): LossAndGrads {
  const [B, T] = x.shape;
  const values = (t: tf.Tensor) => t.dataSync() as Float32Array;
  const { mask, initial, tbptt } = options;
  const out = kernel.lossAndGrads(flat(p), values(x), values(y), B, T, kind, {
    mask: mask && values(mask),
    initial: initial && { h: values(initial.h) },
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
