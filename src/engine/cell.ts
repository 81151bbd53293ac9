// The contract every cell engine keeps (src/engine/elman.ts, lstm.ts, gru.ts): forward keeps what backward
// needs, backward returns a gradient per parameter, lossAndGrads does both and keeps only the results.
import * as tf from '@tensorflow/tfjs-core';
import { loss, LossName, Outputs } from './loss';
import { Grads, Params } from './params';
import { ReadoutGrads } from './readout';

/** What every cell's forward returns: the readout's logits and ŷ, and the hidden states h_t. */
export type CellCache = Outputs & {
  /** h_1 … h_T, [B, T, H]: the states the readout reads (s_t for Elman). */
  states: tf.Tensor3D;
  /** h_1 … h_T again, one [B, H] tensor per step: what backward walks through. */
  steps: tf.Tensor2D[];
};

export type LossAndGrads = {
  loss: tf.Scalar;
  grads: Grads;
};

/** Beyond one whole sequence from a zero state with a loss at every step: what the long-lag tasks need. */
export interface SequenceOptions {
  /**
   * s_0, [B, H]: the state the previous window of a stream ended in (zeros when absent). A constant of this
   * call: no gradient flows into it. The Elman cell's only: a gated cell's state is two tensors.
   */
  initial?: tf.Tensor2D;
  /** m_t, [B, T, 1]: the steps that carry a loss (L); every step when absent. */
  mask?: tf.Tensor3D;
  /** K: truncated BPTT, the gradient cut at the edge of every window of K steps (truncation.ts); full BPTT when absent. */
  tbptt?: number;
}

/** One cell's hand-derived BPTT on tfjs tensors, no tf.grad. x [B, T, I], y [B, T, 1]. */
export interface CellEngine<C extends CellCache = CellCache> {
  forward(p: Params, x: tf.Tensor3D, options?: SequenceOptions): C;
  backward(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, cache: C, kind: LossName, options?: SequenceOptions): Grads;
  lossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options?: SequenceOptions): LossAndGrads;
}

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export function lossAndGradsOf<C extends CellCache>(
  forward: CellEngine<C>['forward'],
  backward: CellEngine<C>['backward'],
): CellEngine<C>['lossAndGrads'] {
  return (p, x, y, kind, options = {}) =>
    tf.tidy(() => {
      const cache = forward(p, x, options);
      return { loss: loss(cache, y, kind, options.mask), grads: backward(p, x, y, cache, kind, options) };
    });
}

/** A cell's gradient: its kernel's and bias's (`input`), its recurrent kernel's, and the readout's. */
export function gradsOf(input: Pick<Grads, 'Wx' | 'bs'>, Ws: tf.Tensor, out: ReadoutGrads): Grads {
  const grads: Grads = { Wx: input.Wx, Ws, Wy: out.Wy };
  if (input.bs) grads.bs = input.bs;
  if (out.by) grads.by = out.by;
  return grads;
}
