// The fused Elman engine through tfjs: tensors in, tensors out, as src/engine/elman.ts, with the whole forward
// and backward pass in one WebAssembly call (kernel.ts). A custom op rather than a registered kernel: it reads
// its inputs and makes its outputs through the public tensor API, so it runs on every backend (cpu, wasm,
// tensorflow, webgl) unchanged, and it composes with tidy and dispose like any op.
import * as tf from '@tensorflow/tfjs-core';
import { loss, LossName, Outputs } from '../loss';
import { ADDER_INPUTS, configOf, convertParams, Grads, NetConfig, Params } from '../params';
import { LossAndGrads } from '../cell';
import { elmanKernel, ElmanKernel, FlatParams } from './kernel';

/** True for a network this kernel computes: the Elman cell on the adder's two inputs. */
export function hasFusedKernel({ cell = 'elman', inputs = ADDER_INPUTS }: NetConfig): boolean {
  return cell === 'elman' && inputs === 2;
}

/** Refuses a network the kernel does not compute. */
export function checkFusedKernel(config: NetConfig): void {
  if (!hasFusedKernel(config)) {
    const { cell = 'elman', inputs = ADDER_INPUTS } = config;
    throw new Error(`the fused kernel computes the Elman cell with 2 inputs, not ${cell} with ${inputs}: use its tensor engine`);
  }
}

/** The weights as flat arrays for the kernel; refuses the parameters of a network it does not compute. */
function flat(p: Params): FlatParams {
  checkFusedKernel(configOf(p));
  const values = (w: tf.Tensor) => w.dataSync() as Float32Array;
  return convertParams(p, values, values);
}

/** (F1) (F2): the logits o_t and ŷ_t, both [B, T, 1], for x [B, T, 2]. */
export function fusedForward(p: Params, x: tf.Tensor3D, kernel: ElmanKernel = elmanKernel()): Outputs {
  const [B, T] = x.shape;
  const out = kernel.forward(flat(p), x.dataSync() as Float32Array, B, T);
  return { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
}

/**
 * ŷ [B·T] for x [B, T, 2] as a plain array, the weights read once: the evaluation's forward, which makes no tensor
 * per chunk of pairs.
 */
export function fusedPredictor(p: Params, kernel: ElmanKernel = elmanKernel()): (x: Float32Array, B: number, T: number) => Float32Array {
  const weights = flat(p);
  return (x, B, T) => kernel.predict(weights, x, B, T);
}

/**
 * ŷ of every prefix of every pair of bits-wide operands, one array per step: what the exhaustive check scores
 * (src/eval/exhaustive.ts, which documents the order).
 */
export function fusedPrefixOutputs(p: Params, bits: number, kernel: ElmanKernel = elmanKernel()): Float32Array[] {
  return kernel.prefixOutputs(flat(p), bits);
}

/** What fusedGrads returns: the outputs (for the loss and the exactness check) and every parameter's gradient. */
export interface FusedGrads {
  outputs: Outputs;
  grads: Grads;
}

/** Forward and backward in one kernel call: the outputs and the gradient of the loss (L) for every parameter. */
export function fusedGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, kernel: ElmanKernel = elmanKernel()): FusedGrads {
  const [B, T] = x.shape;
  const out = kernel.lossAndGrads(flat(p), x.dataSync() as Float32Array, y.dataSync() as Float32Array, B, T, kind);
  return {
    outputs: { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) },
    grads: convertParams(
      out.grads,
      (g, name) => tf.tensor2d(g, p[name]!.shape as [number, number]),
      (g) => tf.tensor1d(g),
    ),
  };
}

/** The loss (L) and the gradients, as src/engine/elman.ts's lossAndGrads: what gradcheck compares. */
export function fusedLossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, kernel: ElmanKernel = elmanKernel()): LossAndGrads {
  const { outputs, grads } = fusedGrads(p, x, y, kind, kernel);
  const value = loss(outputs, y, kind);
  tf.dispose([outputs.logits, outputs.yhat]);
  return { loss: value, grads };
}
