// The Elman cell's hand-derived BPTT: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1 for addition), H = hidden size, N = B·T. Layout:
// time-major.ts. Gradients are named after what they differentiate: dS_t = ∂L/∂s_t, dNet_t = δ_t = ∂L/∂net_t,
// dWs = ∂L/∂Ws, … A loss mask, a state carried in and truncation: SequenceOptions (cell.ts), docs/long-lags.md.
import * as tf from '@tensorflow/tfjs-core';
import { backwardOf, BackwardPartsOf, CellCache, CellEngine, lossAndGradsOf, SequenceOptions } from './cell';
import { Params } from './params';
import { everyPair } from './extend';
import { readout } from './readout';
import { inputTerms } from './time-major';
import { startsWindow, stopGradient } from './truncation';

/** What backward needs from forward: s_t for every step (the cell's h_t), and the readout's o_t and ŷ_t. */
export type ForwardCache = CellCache;

/**
 * (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0 or the state carried in;  (F2) ŷ_t = σ(s_t·Wy + by).
 * x is [B, T, I]. With `tbptt` K, s_{t−1} enters step t as a constant at every window edge (truncation.ts).
 * @example
 *   const cache = forward(p, inputTensor(encodePairs([200], [55], 9)));
 *   cache.yhat; // [1, 9, 1]: where ŷ_t > 0.5 are the bits of 255, least significant first
 *   disposeCache(cache);
 */
export function forward(p: Params, x: tf.Tensor3D, options: SequenceOptions = {}): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const inputTerm = inputTerms(p, x);
    const { initial, tbptt } = options;
    // s_0 = 0 makes s_0·Ws vanish.
    const first = initial ? tf.add<tf.Tensor2D>(inputTerm(0), tf.matMul(initial.h, p.Ws)) : inputTerm(0);
    const steps = [tf.sigmoid(first)];
    for (let t = 1; t < T; t++) {
      const previous = startsWindow(t, tbptt) ? stopGradient(steps[t - 1]) : steps[t - 1];
      steps.push(tf.sigmoid(tf.add<tf.Tensor2D>(inputTerm(t), tf.matMul(previous, p.Ws))));
    }
    const hidden = tf.concat(steps, 0);
    return { steps, hidden, ...readout(p, hidden, B, T) };
  });
}

/**
 * (B4) and (B5) from the last step back to the first: dS_t = dSout_t + δ_{t+1}·Wsᵀ, δ_t = dS_t ⊙ s_t(1 − s_t),
 * δ_{T+1} = 0. dSout(t) is the gradient that reaches s_t through its own step's output, δo_t·Wyᵀ, [B, H]
 * (undefined where the loss has no term at step t). With `tbptt` K the recurrent term is dropped where s_t
 * enters the next window as a constant. Returns dS_t and δ_t (dNet_t) for every step, [B, H] each.
 * Call inside the caller's tidy.
 */
export function backThroughTime(
  p: Params,
  cache: ForwardCache,
  dSout: (t: number) => tf.Tensor2D | undefined,
  tbptt?: number,
): { dS: tf.Tensor2D[]; dNet: tf.Tensor2D[] } {
  const T = cache.steps.length;
  const WsT = tf.transpose(p.Ws);
  const dS: tf.Tensor2D[] = new Array(T);
  const dNet: tf.Tensor2D[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    const s = cache.steps[t];
    const direct = dSout(t);
    const carries = t < T - 1 && !startsWindow(t + 1, tbptt);
    const recurrent = carries ? tf.matMul<tf.Tensor2D>(dNet[t + 1], WsT) : undefined;
    dS[t] = direct && recurrent ? tf.add(direct, recurrent) : (direct ?? recurrent ?? tf.zerosLike(s)); // (B4)
    dNet[t] = tf.mul(dS[t], tf.mul(s, tf.sub(1, s))); // (B5) σ'(net_t) = s_t(1 − s_t)
  }
  return { dS, dNet };
}

/**
 * (B4), (B5) and the products of (B6): dS_t, δ_t and the states one step behind δ_t (s_0 = 0, or the state
 * carried in), from the readout's share `outputTerm` of each dS_t. Call inside a tidy.
 */
export const backwardParts: BackwardPartsOf<ForwardCache> = (p, cache, outputTerm, options = {}) => {
  const T = cache.steps.length;
  const { dS, dNet } = backThroughTime(p, cache, outputTerm, options.tbptt); // (B4), (B5)
  const dz = tf.concat(dNet, 0); // δ_t, time-major [N, H]
  const sPrev = tf.concat<tf.Tensor2D>([options.initial?.h ?? tf.zerosLike(cache.steps[0]), ...cache.steps.slice(0, T - 1)], 0);
  return { dh: dS, dz, recurrent: [{ left: sPrev, right: dz }] }; // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t
};

/**
 * The gradient of `loss` with respect to every parameter, by backpropagation through time: (B1)…(B8), on the
 * steps `options.mask` marks, from the state carried in, truncated at `options.tbptt`.
 * @example
 *   const cache = forward(p, x);
 *   const grads = backward(p, x, y, cache, 'mse'); // grads.Ws = ∂L/∂Ws, [H, H]
 */
export const backward: CellEngine<ForwardCache>['backward'] = backwardOf(backwardParts);

/**
 * Forward, loss and backward in one call; only the loss and the gradients outlive it.
 * @example
 *   const { loss, grads } = lossAndGrads(p, inputTensor(batch), targetTensor(batch), 'mse');
 */
export const lossAndGrads = lossAndGradsOf(forward, backward);

export const elman: CellEngine<ForwardCache> = {
  forward,
  backward,
  lossAndGrads,
  backwardParts,
  stateGradients: (p, cache, outputTerm) => backThroughTime(p, cache, outputTerm).dS,
  // (F1) with s_{t−1}·Ws once per state, then added to each input's term.
  extend: (p, prev, a) => ({ h: tf.sigmoid(everyPair(tf.matMul(prev.h, p.Ws as tf.Tensor2D), a)) }),
  initialState: (p, n) => ({ h: tf.zeros([n, p.Ws.shape[0]]) }),
  finalState: (cache) => ({ h: cache.steps[cache.steps.length - 1] }),
};
