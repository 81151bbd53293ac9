// One minibatch through the chosen engine: the gradient of the batch-mean loss (read into a flat vector),
// ŷ for the free exactness check, the loss on demand, and the last state for a stream's next window.
import * as tf from '@tensorflow/tfjs-core';
import { inputTensor, maskTensor, targetTensor } from '../engine/batch-tensors';
import { SequenceBatch } from '../data/sequences';
import { engineFor } from '../engine/cells';
import { CellState } from '../engine/extend';
import { fusedStep } from '../engine/fused/cells';
import { loss, LossName } from '../engine/loss';
import { EngineName } from '../names';
import { FlatLayout, flatViews, paramsFromFlat, readFlat, writeFlat } from './flat';

export interface StepReadout {
  /** ŷ of the batch, [B·T] in the model's layout. */
  yhat: Float32Array;
  /** The batch loss (L): computed only when asked for. */
  loss(): number;
  /** h_T (and the LSTM's c_T), [B, H]: the state the next window of a stream starts from; copies the caller disposes. */
  lastState(): CellState;
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
 * The fused kernel's step: the flat weights in, the flat gradient out, and no tensor made unless the loss or the
 * last state is asked for. The ~20 tensors that used to wrap the kernel took a third of the warm step, more in a
 * fresh process.
 */
function fusedFlatStep(
  weights: Float32Array,
  layout: FlatLayout,
  batch: SequenceBatch,
  kind: LossName,
  grads: Float32Array,
  carry: { initial?: CellState; tbptt?: number },
): StepReadout {
  const values = (t: tf.Tensor) => t.dataSync() as Float32Array;
  const { initial, tbptt } = carry;
  const carried = initial && { h: values(initial.h), c: initial.c && values(initial.c) };
  const out = fusedStep(layout.config, flatViews(weights, layout), batch, kind, { initial: carried, tbptt });
  writeFlat(out.grads, layout, grads);
  const { batch: B, steps: T } = batch;
  return {
    yhat: out.yhat,
    loss: () =>
      takeScalar(
        tf.tidy(() => {
          const outputs = { logits: tf.tensor3d(out.logits, [B, T, 1]), yhat: tf.tensor3d(out.yhat, [B, T, 1]) };
          return loss(outputs, targetTensor(batch), kind, maskTensor(batch));
        }),
      ),
    lastState: () => {
      if (!out.final) throw new Error("gradientStep: the Elman cell's fused kernel keeps no state to carry");
      const H = layout.config.hidden;
      return { h: tf.tensor2d(out.final.h, [B, H]), c: tf.tensor2d(out.final.c, [B, H]) };
    },
    dispose: () => {},
  };
}

/**
 * Fills `grads` (the flat layout of the parameters) with the gradient of the batch's mean loss at the flat
 * `weights`, over the steps the batch's mask marks, from the state carried in (`initial`) and with the gradient
 * truncated every `tbptt` steps. The fused engine reads the weights as they are; the tensor engines make them
 * tensors for the step.
 */
export function gradientStep(
  engine: EngineName,
  weights: Float32Array,
  layout: FlatLayout,
  batch: SequenceBatch,
  kind: LossName,
  grads: Float32Array,
  carry: { initial?: CellState; tbptt?: number } = {},
): StepReadout {
  if (engine === 'fused') return fusedFlatStep(weights, layout, batch, kind, grads, carry);
  const p = paramsFromFlat(weights, layout);
  const x = inputTensor(batch);
  const y = targetTensor(batch);
  const mask = maskTensor(batch);
  const kept: tf.TensorContainer[] = mask ? [p, x, y, mask] : [p, x, y];
  const options = { ...carry, mask };
  const { forward, backward, finalState } = engineFor(p);
  let lossOf: () => number;
  let yhat: tf.Tensor;
  // h_T (and c_T), for a stream's next window.
  let last: CellState | undefined;
  try {
    if (engine === 'bptt') {
      const cache = forward(p, x, options);
      last = finalState(cache);
      yhat = cache.yhat;
      kept.push(cache);
      const g = backward(p, x, y, cache, kind, options);
      readFlat(g, layout, grads);
      tf.dispose(g);
      lossOf = () => takeScalar(loss(cache, y, kind, mask));
    } else {
      // Loaded here, not above: tf.grad's gradient registrations cost the other engines' runs ~50 ms of start-up.
      const { autodiffLossAndGrads } = require('../engine/autodiff') as typeof import('../engine/autodiff');
      const { loss: value, grads: g } = autodiffLossAndGrads(p, x, y, kind, options);
      readFlat(g, layout, grads);
      tf.dispose(g);
      const number = takeScalar(value);
      // tf.grad keeps no cache to read ŷ and the last state from: one more forward pass.
      const cache = forward(p, x, options);
      kept.push(cache);
      yhat = cache.yhat;
      last = finalState(cache);
      lossOf = () => number;
    }
  } catch (error) {
    // A failing step frees what it made before the error reaches the loop.
    tf.dispose(kept);
    throw error;
  }
  return {
    yhat: yhat.dataSync() as Float32Array,
    loss: lossOf,
    lastState: () => {
      if (last === undefined) throw new Error(`gradientStep: the ${engine} engine keeps no state to carry`);
      return { h: tf.clone(last.h), ...(last.c && { c: tf.clone(last.c) }) };
    },
    dispose: () => tf.dispose(kept),
  };
}
