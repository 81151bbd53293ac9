// One minibatch through the chosen engine: the gradient of the batch-mean loss (read into a flat vector),
// ŷ for the free exactness check, and the loss on demand.
import * as tf from '@tensorflow/tfjs-core';
import { autodiffLossAndGrads } from '../engine/autodiff';
import { inputTensor, targetTensor } from '../engine/batch-tensors';
import { EncodedBatch } from '../data/bits';
import { backward, disposeCache, ForwardCache, forward } from '../engine/elman';
import { loss, LossName } from '../engine/loss';
import { disposeParams, Params } from '../engine/params';
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
  const made: tf.Tensor[] = [x, y];
  let cache: ForwardCache | undefined;
  const dispose = () => {
    tf.dispose(made);
    if (cache !== undefined) disposeCache(cache);
  };
  let lossOf: () => number;
  let yhat: tf.Tensor;
  try {
    if (engine === 'bptt') {
      const c = (cache = forward(p, x));
      const g = backward(p, x, y, c, kind);
      readFlat(g, layout, grads);
      disposeParams(g);
      yhat = c.yhat;
      lossOf = () => takeScalar(loss(c, y, kind));
    } else {
      const { loss: value, grads: g } = autodiffLossAndGrads(p, x, y, kind);
      readFlat(g, layout, grads);
      disposeParams(g);
      const number = takeScalar(value);
      // tf.grad keeps no cache to read ŷ from: one more forward pass, for the exactness check.
      yhat = tf.tidy(() => forward(p, x).yhat);
      made.push(yhat);
      lossOf = () => number;
    }
  } catch (error) {
    // A failing step frees what it made before the error reaches the loop.
    dispose();
    throw error;
  }
  return { yhat: yhat.dataSync() as Float32Array, loss: lossOf, dispose };
}
