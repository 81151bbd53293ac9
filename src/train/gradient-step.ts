// One minibatch through the chosen engine: the gradient of the batch-mean loss (read into a flat vector),
// ŷ for the free exactness check, and the loss on demand.
import * as tf from '@tensorflow/tfjs-core';
import { autodiffLossAndGrads } from '../engine/autodiff';
import { inputTensor, targetTensor } from '../engine/batch-tensors';
import { EncodedBatch } from '../data/bits';
import { engineFor } from '../engine/cells';
import { fusedGrads } from '../engine/fused/elman';
import { loss, LossName } from '../engine/loss';
import { Params } from '../engine/params';
import { EngineName } from './config';
import { FlatLayout, readFlat } from './flat';

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

/** Fills `grads` (the flat layout of the parameters) with the gradient of the batch's mean loss. */
export function gradientStep(
  engine: EngineName,
  p: Params,
  batch: EncodedBatch,
  kind: LossName,
  layout: FlatLayout,
  grads: Float32Array,
): StepReadout {
  const x = inputTensor(batch);
  const y = targetTensor(batch);
  const kept: tf.TensorContainer[] = [x, y];
  const { forward, backward } = engineFor(p);
  let lossOf: () => number;
  let yhat: tf.Tensor;
  try {
    if (engine === 'fused') {
      const { outputs, grads: g } = fusedGrads(p, x, y, kind);
      kept.push(outputs);
      readFlat(g, layout, grads);
      tf.dispose(g);
      yhat = outputs.yhat;
      lossOf = () => takeScalar(loss(outputs, y, kind));
    } else if (engine === 'bptt') {
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
