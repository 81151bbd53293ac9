// The fused LSTM engine through tfjs (ops.ts bound to lstm-kernel.ts): tensors in, tensors out, as
// src/engine/lstm.ts, with the whole forward and backward pass in one WebAssembly call.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { LossName, Outputs } from '../loss';
import { Params } from '../params';
import { Predictor } from './contract';
import { lstmKernel, LstmKernel } from './lstm-kernel';
import { FusedGrads, kernelForward, kernelGrads, kernelLossAndGrads, kernelPredictor, kernelPrefixOutputs } from './ops';

/** (L1)–(L4), (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, I]. */
export function fusedLstmForward(p: Params, x: tf.Tensor3D, kernel: LstmKernel = lstmKernel()): Outputs {
  return kernelForward(kernel, p, x);
}

/** ŷ [B·T] for x [B, T, I] as a plain array, the weights read once: the evaluations' forward. */
export function fusedLstmPredictor(p: Params, kernel: LstmKernel = lstmKernel()): Predictor {
  return kernelPredictor(kernel, p);
}

/** ŷ of every prefix of every pair of bits-wide operands, one array per step (src/eval/exhaustive.ts' order). */
export function fusedLstmPrefixOutputs(p: Params, bits: number, kernel: LstmKernel = lstmKernel()): Float32Array[] {
  return kernelPrefixOutputs(kernel, p, bits);
}

/** Forward and (B1)–(B3), (L5)–(L9) in one kernel call, with the sequence options: the outputs and the gradients. */
export function fusedLstmGrads(
  p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}, kernel: LstmKernel = lstmKernel(),
): FusedGrads {
  return kernelGrads(kernel, p, x, y, kind, options);
}

/**
 * The loss (L) and the gradient of every parameter, as src/engine/lstm.ts's lossAndGrads, with its mask,
 * truncation and carried-in state: what gradcheck compares.
 */
export function fusedLstmLossAndGrads(
  p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}, kernel: LstmKernel = lstmKernel(),
): LossAndGrads {
  return kernelLossAndGrads(kernel, p, x, y, kind, options);
}
