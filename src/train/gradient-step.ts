// One minibatch through the chosen engine: the gradient of the batch-mean loss (read into a flat vector),
// ŷ for the free exactness check, and the loss on demand.
import * as tf from '@tensorflow/tfjs-core';
import { autodiffLossAndGrads } from '../engine/autodiff';
import { inputTensor, targetTensor } from '../engine/batch-tensors';
import { EncodedBatch } from '../data/bits';
import { engineFor } from '../engine/cells';
import { checkFusedKernel } from '../engine/fused/elman';
import { elmanKernel } from '../engine/fused/kernel';
import { loss, LossName } from '../engine/loss';
import { EngineName } from './config';
import { FlatLayout, flatViews, paramsFromFlat, readFlat, writeFlat } from './flat';

export interface StepReadout {
  /** ŷ of the batch, [B·T] in the model's layout. */
  yhat: Float32Array;
  /** The batch loss (L): computed only when asked for. */
  loss(): number;
  /** Frees the step's tensors; call once done with loss(). */
  dispose(): void;
}

/** A scalar tensor's value, the tensor disposed. */
function takeScalar(t: tf.Tensor): number {
  const value = t.dataSync()[0];
  t.dispose();
  return value;
}

/**
 * The fused kernel's step: the flat weights in, the flat gradient out, and no tensor made unless the loss is asked
 * for. The ~20 tensors that used to wrap the kernel took a third of the warm step, more in a fresh process.
 */
function fusedStep(weights: Float32Array, layout: FlatLayout, batch: EncodedBatch, kind: LossName, grads: Float32Array): StepReadout {
  checkFusedKernel(layout.config);
  const { batch: B, steps: T } = batch;
  const out = elmanKernel().lossAndGrads(flatViews(weights, layout), batch.x, batch.y, B, T, kind);
  writeFlat(out.grads, layout, grads);
  return {
    yhat: out.yhat,
    loss: () =>
      takeScalar(
        tf.tidy(() => {
          const outputs = { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
          return loss(outputs, targetTensor(batch), kind);
        }),
      ),
    dispose: () => {},
  };
}

/**
 * Fills `grads` (the flat layout of the parameters) with the gradient of the batch's mean loss at the flat
 * `weights`. The fused engine reads the weights as they are; the tensor engines make them tensors for the step.
 */
export function gradientStep(
  engine: EngineName,
  weights: Float32Array,
  layout: FlatLayout,
  batch: EncodedBatch,
  kind: LossName,
  grads: Float32Array,
): StepReadout {
  if (engine === 'fused') return fusedStep(weights, layout, batch, kind, grads);
  const p = paramsFromFlat(weights, layout);
  const x = inputTensor(batch);
  const y = targetTensor(batch);
  const kept: tf.TensorContainer[] = [p, x, y];
  const { forward, backward } = engineFor(p);
  let lossOf: () => number;
  let yhat: tf.Tensor;
  try {
    if (engine === 'bptt') {
      const cache = forward(p, x);
      kept.push(cache);
      const g = backward(p, x, y, cache, kind);
      readFlat(g, layout, grads);
      tf.dispose(g);
      yhat = cache.yhat;
      lossOf = () => takeScalar(loss(cache, y, kind));
    } else {
      const { loss: value, grads: g } = autodiffLossAndGrads(p, x, y, kind);
      readFlat(g, layout, grads);
      tf.dispose(g);
      const number = takeScalar(value);
      // tf.grad keeps no cache to read ŷ from: one more forward pass, for the exactness check.
      yhat = tf.tidy(() => forward(p, x).yhat);
      kept.push(yhat);
      lossOf = () => number;
    }
  } catch (error) {
    // A failing step frees what it made before the error reaches the loop.
    tf.dispose(kept);
    throw error;
  }
  return { yhat: yhat.dataSync() as Float32Array, loss: lossOf, dispose: () => tf.dispose(kept) };
}
