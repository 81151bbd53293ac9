// The fused GRU engine through tfjs (ops.ts bound to gru-kernel.ts): tensors in, tensors out, as
// src/engine/gru.ts, with the whole forward and backward pass in one WebAssembly call.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { LossName, Outputs } from '../loss';
import { Params } from '../params';
import { Predictor } from './contract';
import { gruKernel, GruKernel } from './gru-kernel';
import { FusedGrads, kernelForward, kernelGrads, kernelLossAndGrads, kernelPredictor, kernelPrefixOutputs } from './ops';

/** (U1)–(U4), (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, I]. */
export function fusedGruForward(p: Params, x: tf.Tensor3D, kernel: GruKernel = gruKernel()): Outputs {
  return kernelForward(kernel, p, x);
}

/** ŷ [B·T] for x [B, T, I] as a plain array, the weights read once: the evaluations' forward. */
export function fusedGruPredictor(p: Params, kernel: GruKernel = gruKernel()): Predictor {
  return kernelPredictor(kernel, p);
}

/** ŷ of every prefix of every pair of bits-wide operands, one array per step (src/eval/exhaustive.ts' order). */
export function fusedGruPrefixOutputs(p: Params, bits: number, kernel: GruKernel = gruKernel()): Float32Array[] {
  return kernelPrefixOutputs(kernel, p, bits);
}

/** Forward and (B1)–(B3), (U5)–(U9) in one kernel call, with the sequence options: the outputs and the gradients. */
export function fusedGruGrads(
  p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}, kernel: GruKernel = gruKernel(),
): FusedGrads {
  return kernelGrads(kernel, p, x, y, kind, options);
}

/**
 * The loss (L) and the gradient of every parameter, as src/engine/gru.ts's lossAndGrads, with its mask,
 * truncation and carried-in state: what gradcheck compares.
 */
export function fusedGruLossAndGrads(
  p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}, kernel: GruKernel = gruKernel(),
): LossAndGrads {
  return kernelLossAndGrads(kernel, p, x, y, kind, options);
}
