// Any fused kernel through tfjs: tensors in, tensors out, as the cells' tensor engines (src/engine/elman.ts,
// lstm.ts), with the whole forward and backward pass in one WebAssembly call. A custom op rather than a registered
// kernel: it reads its inputs and makes its outputs through the public tensor API, so it runs on every backend
// (cpu, wasm, tensorflow, webgl) unchanged, and it composes with tidy and dispose like any op. elman.ts and
// lstm.ts bind these to their kernels.
import * as tf from '@tensorflow/tfjs-core';
import { LossAndGrads, SequenceOptions } from '../cell';
import { loss, LossName, Outputs } from '../loss';
import { ADDER_INPUTS, configOf, convertParams, Grads, Params } from '../params';
import { kernelRefusal, KernelRequest } from './capabilities';
import { FlatParams, FusedKernel, Predictor } from './contract';

const values = (t: tf.Tensor) => t.dataSync() as Float32Array;

/** The weights as flat arrays for the kernel; refuses a network, or a request, the kernel does not compute. */
function flat(kernel: FusedKernel, p: Params, request: Omit<KernelRequest, 'inputs'> = {}): FlatParams {
  const { cell = 'elman', inputs = ADDER_INPUTS } = configOf(p);
  const refusal = cell === kernel.cell
    ? kernelRefusal(cell, { inputs, ...request })
    : `the fused ${kernel.cell} kernel computes the ${kernel.cell} cell, not ${cell}`;
  if (refusal !== undefined) throw new Error(`${refusal} (use the bptt engine)`);
  return convertParams(p, values, values);
}

/** The logits o_t and ŷ_t, both [B, T, 1], for x [B, T, I]. */
export function kernelForward(kernel: FusedKernel, p: Params, x: tf.Tensor3D): Outputs {
  const [B, T] = x.shape;
  const out = kernel.forward(flat(kernel, p), values(x), B, T);
  return { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
}

/** ŷ [B·T] for x [B, T, I] as a plain array, the weights read once: the evaluations' forward, no tensor per batch. */
export function kernelPredictor(kernel: FusedKernel, p: Params): Predictor {
  return kernel.predictor(flat(kernel, p));
}

/**
 * ŷ of every prefix of every pair of bits-wide operands, one array per step: what the exhaustive check scores
 * (src/eval/exhaustive.ts, which documents the order).
 */
export function kernelPrefixOutputs(kernel: FusedKernel, p: Params, bits: number): Float32Array[] {
  return kernel.prefixOutputs(flat(kernel, p), bits);
}

/** What kernelGrads returns: the outputs (for the loss and the exactness check) and every parameter's gradient. */
export interface FusedGrads {
  outputs: Outputs;
  grads: Grads;
}

/** Forward and backward in one kernel call, with the sequence options the kernel takes: the outputs and the gradients. */
export function kernelGrads(
  kernel: FusedKernel, p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {},
): FusedGrads {
  const [B, T] = x.shape;
  const { mask, initial, tbptt } = options;
  const weights = flat(kernel, p, { mask: mask !== undefined, carriedState: initial !== undefined, truncation: tbptt !== undefined });
  const out = kernel.lossAndGrads(weights, values(x), values(y), B, T, kind, {
    mask: mask && values(mask),
    initial: initial && { h: values(initial.h), c: initial.c && values(initial.c) },
    tbptt,
  });
  return {
    outputs: { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) },
    grads: convertParams(
      out.grads,
      (g, name) => tf.tensor2d(g, p[name]!.shape as [number, number]),
      (g) => tf.tensor1d(g),
    ),
  };
}

/** The loss (L) and the gradients, as the tensor engines' lossAndGrads: what gradcheck compares. */
export function kernelLossAndGrads(
  kernel: FusedKernel, p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {},
): LossAndGrads {
  const { outputs, grads } = kernelGrads(kernel, p, x, y, kind, options);
  const value = loss(outputs, y, kind, options.mask);
  tf.dispose([outputs.logits, outputs.yhat]);
  return { loss: value, grads };
}
