// The contract every cell engine keeps (src/engine/elman.ts, lstm.ts, gru.ts): forward keeps what backward
// needs, backward returns a gradient per parameter, lossAndGrads does both and keeps only the results.
import * as tf from '@tensorflow/tfjs-core';
import { loss, LossName, Outputs } from './loss';
import { Grads, Params } from './params';
import { CellState } from './extend';
import { ReadoutGrads, readoutGrads } from './readout';
import { batchMajor, inputGrads } from './time-major';

/** What every cell's forward returns: the readout's logits and ŷ, and the hidden states h_t (s_t for Elman). */
export type CellCache = Outputs & {
  /** h_1 … h_T, one [B, H] tensor per step: what backward walks through. */
  steps: tf.Tensor2D[];
  /** The same states stacked time-major, [N, H] (row t·B + i is h_t of sequence i): what the readout multiplies. */
  hidden: tf.Tensor2D;
};

/** The hidden states of a forward pass as [B, T, H], the model's layout: a new tensor, which the caller disposes. */
export function statesOf(cache: CellCache): tf.Tensor3D {
  return tf.tidy(() => batchMajor(cache.hidden, cache.steps[0].shape[0], cache.steps.length));
}

/** Frees every tensor of a forward pass (a gated cell's gates included). */
export function disposeCache(cache: CellCache): void {
  tf.dispose(cache);
}

export type LossAndGrads = {
  loss: tf.Scalar;
  grads: Grads;
};

/** Beyond one whole sequence from a zero state with a loss at every step: what the long-lag tasks need. */
export interface SequenceOptions {
  /**
   * h_0 (and the LSTM's c_0), [B, H] each: the state the previous window of a stream ended in (zeros when absent,
   * and for an absent c). A constant of this call: no gradient flows into it.
   */
  initial?: CellState;
  /** m_t, [B, T, 1]: the steps that carry a loss (L); every step when absent. */
  mask?: tf.Tensor3D;
  /** K: truncated BPTT, the gradient cut at the edge of every window of K steps (truncation.ts); full BPTT when absent. */
  tbptt?: number;
}

/**
 * The readout's share of ∂L/∂h_t at step t, δo_t·Wyᵀ [B, H] (the first term of (B4)), or undefined where the
 * loss does not read ŷ_t.
 */
export type OutputTerm = (t: number) => tf.Tensor2D | undefined;

/**
 * A product of the recurrent kernel's gradient, leftᵀ·right over the rows of some steps (time-major): the Elman
 * cell's s_{t−1} and δ_t of (B6), the LSTM's h_{t−1} and δz_t (L8), the GRU's two blocks (U8).
 */
export type RecurrentBlock = { left: tf.Tensor2D; right: tf.Tensor2D };

/**
 * The backward pass before its sums over time: what a cell's backward adds up, kept step by step so that the
 * backward view (src/analysis/backward.ts) reads the same tensors the gradient is made of.
 */
export interface BackwardParts {
  /** ∂L/∂h_t, [B, H] for each step t (dS_t of the Elman cell, (B4); (L5), (U5)). */
  dh: tf.Tensor2D[];
  /**
   * ∂L/∂z_t at the pre-activations that x_t·Wx + bs enters, time-major [N, G·H]: δ_t of (B5), the LSTM's δz_t (L7),
   * the GRU's [δa_z, δa_r, δa_h] (U6), (U7).
   */
  dz: tf.Tensor2D;
  /** dWs = Σ over the blocks, side by side, of leftᵀ·right, time-major [N, ·] each. */
  recurrent: RecurrentBlock[];
}

/**
 * The part of the backward pass each cell writes: from the readout's share of ∂L/∂h_t at every step (`outputTerm`),
 * its recursion through time. Call inside a tidy.
 */
export type BackwardPartsOf<C extends CellCache> = (p: Params, cache: C, outputTerm: OutputTerm, options?: SequenceOptions) => BackwardParts;

/** (B6), (L8), (U8): dWs = Σ_t leftᵀ·right for each block, the blocks side by side. Call inside a tidy. */
export function recurrentGrad(blocks: RecurrentBlock[]): tf.Tensor2D {
  const products = blocks.map(({ left, right }) => tf.matMul(tf.transpose(left), right) as tf.Tensor2D);
  return products.length === 1 ? products[0] : tf.concat(products, 1);
}

/**
 * Step t's share of the cell's gradient, ∂L/∂Ws, ∂L/∂Wx and ∂L/∂bs: the rows of step t in the sums of (B6)–(B8)
 * (L8, L9; U8, U9). Summed over t they are the cell's gradient. Call inside a tidy.
 */
export function stepShare(parts: BackwardParts, x: tf.Tensor3D, t: number, bias: boolean): Pick<Grads, 'Wx' | 'Ws' | 'bs'> {
  const B = x.shape[0];
  const rows = (v: tf.Tensor2D) => tf.slice(v, [t * B, 0], [B, -1]);
  const Ws = recurrentGrad(parts.recurrent.map(({ left, right }) => ({ left: rows(left), right: rows(right) })));
  return { Ws, ...inputGrads(tf.slice(x, [0, t, 0], [B, 1, -1]), rows(parts.dz), bias) };
}

/** One cell's hand-derived BPTT on tfjs tensors, no tf.grad. x [B, T, I], y [B, T, 1]. */
export interface CellEngine<C extends CellCache = CellCache> {
  forward(p: Params, x: tf.Tensor3D, options?: SequenceOptions): C;
  backward(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, cache: C, kind: LossName, options?: SequenceOptions): Grads;
  lossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options?: SequenceOptions): LossAndGrads;
  /**
   * backward before its sums over time: ∂L/∂h_t, δz_t and the products of dWs, for the loss whose readout share
   * at each step is `outputTerm`. Call inside a tidy.
   */
  backwardParts(p: Params, cache: C, outputTerm: OutputTerm, options?: SequenceOptions): BackwardParts;
  /**
   * ∂L/∂h_t for every step t = 1 … T, [B, H] each: backward's recursion through time (full BPTT), for a loss
   * whose readout share at each step is `outputTerm` (gradient flow reads it for the last step's loss alone).
   * Call inside a tidy.
   */
  stateGradients(p: Params, cache: C, outputTerm: OutputTerm): tf.Tensor2D[];
  /**
   * One forward step of every state in `prev` (n rows) by every input term in `a` = x·Wx + bs (k rows): the
   * k·n next states, row q·k + c for state q and input c (the shared-prefix evaluation). Call inside a tidy.
   */
  extend(p: Params, prev: CellState, a: tf.Tensor2D): CellState;
  /** The state before the first step, h_0 (= c_0) = 0, for n sequences. */
  initialState(p: Params, n: number): CellState;
  /** h_T (and the LSTM's c_T), the state a stream's next window starts from: the cache's own tensors, not copies. */
  finalState(cache: C): CellState;
}

/** a + b, either of which may be absent (a zero term); `zero()` when both are. */
export function addTerms(a: tf.Tensor2D | undefined, b: tf.Tensor2D | undefined, zero: () => tf.Tensor2D): tf.Tensor2D {
  if (a && b) return tf.add(a, b);
  return a ?? b ?? zero();
}

/**
 * A cell's backward from its recursion through time: (B1)–(B3) on the readout, then the sums over time of the
 * cell's parts, (B6)–(B8) (L8, L9; U8, U9).
 */
export function backwardOf<C extends CellCache>(parts: BackwardPartsOf<C>): CellEngine<C>['backward'] {
  return (p, x, y, cache, kind, options = {}) =>
    tf.tidy(() => {
      const out = readoutGrads(p, cache.hidden, cache.yhat, y, kind, options.mask); // (B1)–(B3)
      const { dz, recurrent } = parts(p, cache, out.outputTerm, options);
      return gradsOf(inputGrads(x, dz, p.bs !== undefined), recurrentGrad(recurrent), out); // (B6)–(B8)
    });
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
export function gradsOf(input: Pick<Grads, 'Wx' | 'bs'>, Ws: tf.Tensor2D, out: ReadoutGrads): Grads {
  const grads: Grads = { Wx: input.Wx, Ws, Wy: out.Wy };
  if (input.bs) grads.bs = input.bs;
  if (out.by) grads.by = out.by;
  return grads;
}
