// The fused Elman engine through tfjs (ops.ts bound to elman-kernel.ts): tensors in, tensors out, as
// src/engine/elman.ts, with the whole forward and backward pass in one WebAssembly call.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { LossName, Outputs } from '../loss';
import { Params } from '../params';
import { Predictor } from './contract';
import { elmanKernel, ElmanKernel } from './elman-kernel';
import { FusedGrads, kernelForward, kernelGrads, kernelLossAndGrads, kernelPredictor, kernelPrefixOutputs } from './ops';

/** (F1) (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, 2]. */
export function fusedForward(p: Params, x: tf.Tensor3D, kernel: ElmanKernel = elmanKernel()): Outputs {
  return kernelForward(kernel, p, x);
}

/** ŷ [B·T] for x [B, T, 2] as a plain array, the weights read once: the evaluation's forward. */
export function fusedPredictor(p: Params, kernel: ElmanKernel = elmanKernel()): Predictor {
  return kernelPredictor(kernel, p);
}

/** ŷ of every prefix of every pair of bits-wide operands, one array per step (src/eval/exhaustive.ts' order). */
export function fusedPrefixOutputs(p: Params, bits: number, kernel: ElmanKernel = elmanKernel()): Float32Array[] {
  return kernelPrefixOutputs(kernel, p, bits);
}

/** Forward and (B1)…(B8) in one kernel call: the outputs and the gradient of the loss (L) for every parameter. */
export function fusedGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, kernel: ElmanKernel = elmanKernel()): FusedGrads {
  return kernelGrads(kernel, p, x, y, kind);
}

/**
 * The loss (L) and the gradients, as src/engine/elman.ts's lossAndGrads: what gradcheck compares. The kernel takes
 * no sequence options (capabilities.ts): any is refused.
 */
export function fusedLossAndGrads(
  p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}, kernel: ElmanKernel = elmanKernel(),
): LossAndGrads {
  return kernelLossAndGrads(kernel, p, x, y, kind, options);
}
