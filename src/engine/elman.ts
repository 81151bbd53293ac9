// The hand-derived BPTT engine: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1), H = hidden size, N = B·T. Gradients are named
// after what they differentiate: dS_t = ∂L/∂s_t, dNet_t = δ_t = ∂L/∂net_t, dO = δo, dWs = ∂L/∂Ws, …
// Time is axis 1 in what comes in and goes out, as in the model's input [B, T, 2]. Inside, rows are
// time-major (row t·B + i is step t of sequence i), so a step is one contiguous block of B rows.
// Speed (wasm, docs/benchmarks.md): an op costs microseconds whatever its size, so work is done on all N rows
// at once wherever the recursion allows it; a slice copies its whole input, hence per-step lists rather than
// slices of [N, H] tensors; a matMul with a transposed operand is slower than a transpose then a plain matMul.
import * as tf from '@tensorflow/tfjs-core';
import { loss, LossName, outputDelta } from './loss';
import { Grads, Params } from './params';

/** What backward needs from forward: the states, and the output logits o_t and ŷ_t = σ(o_t). */
export type ForwardCache = {
  /** s_1 … s_T, one [B, H] tensor per step: what backward walks through. */
  s: tf.Tensor2D[];
  /** The same states stacked time-major, [N, H]: what the readout and the weight gradients multiply. */
  S: tf.Tensor2D;
  /** o_t = s_t·Wy + by, [B, T, 1]. */
  logits: tf.Tensor3D;
  /** ŷ_t = σ(o_t), [B, T, 1]. */
  yhat: tf.Tensor3D;
};

/** [B, T, C] → [N, C] time-major. */
function timeMajor(v: tf.Tensor3D): tf.Tensor2D {
  const [B, T, C] = v.shape;
  return tf.reshape(tf.transpose(v, [1, 0, 2]), [T * B, C]);
}

/** [N, C] time-major → [B, T, C]. */
function batchMajor(v: tf.Tensor2D, B: number, T: number): tf.Tensor3D {
  return tf.transpose(tf.reshape(v, [T, B, v.shape[1]]), [1, 0, 2]);
}

/** (F2)'s logit o = s·Wy + by for rows of states [n, H]: [n, 1]. */
export function readout(p: Params, S: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => (p.by ? tf.add(tf.matMul(S, p.Wy), p.by) : tf.matMul(S, p.Wy)));
}

/**
 * (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0;  (F2) ŷ_t = σ(s_t·Wy + by). x is [B, T, 2].
 * @example
 *   const cache = forward(p, inputTensor(encodePairs([200], [55], 9)));
 *   cache.yhat; // [1, 9, 1]: ŷ_t > 0.5 are the bits of 255, least significant first
 *   disposeCache(cache);
 */
export function forward(p: Params, x: tf.Tensor3D): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    // x_t·Wx + bs as one matMul per step: [x_t, 1]·[Wx; bs] with a bias, x_t·Wx without.
    const xRows = p.bs ? tf.pad(timeMajor(x), [[0, 0], [0, 1]], 1) : timeMajor(x);
    const Win = p.bs ? tf.concat([p.Wx, tf.reshape(p.bs, [1, H])], 0) : p.Wx;
    const xs = tf.split(xRows, T, 0);
    const inputTerm = (t: number): tf.Tensor2D => tf.matMul(xs[t], Win);
    const s = [tf.sigmoid(inputTerm(0))]; // s_0 = 0, so s_0·Ws vanishes
    for (let t = 1; t < T; t++) s.push(tf.sigmoid(tf.add<tf.Tensor2D>(inputTerm(t), tf.matMul(s[t - 1], p.Ws))));
    const S = tf.concat(s, 0);
    const logits = batchMajor(readout(p, S), B, T);
    return { s, S, logits, yhat: tf.sigmoid(logits) };
  });
}

/** The states s_1 … s_T of a forward pass as [B, T, H], the model's layout: a new tensor the caller disposes. */
export function statesOf(cache: ForwardCache): tf.Tensor3D {
  return tf.tidy(() => batchMajor(cache.S, cache.s[0].shape[0], cache.s.length));
}

/** Frees every tensor of a forward pass. */
export function disposeCache(cache: ForwardCache): void {
  tf.dispose([...cache.s, cache.S, cache.logits, cache.yhat]);
}

/**
 * (B4) and (B5) from the last step back to the first: dS_t = dSout_t + δ_{t+1}·Wsᵀ and δ_t = dS_t ⊙ s_t(1 − s_t),
 * with δ_{T+1} = 0. dSout(t) is the gradient that reaches s_t through its own step's output, δo_t·Wyᵀ, [B, H]
 * (undefined where the loss has no term at step t). Returns dS_t and δ_t (dNet_t) for every step, [B, H] each.
 */
export function backThroughTime(
  p: Params,
  cache: ForwardCache,
  dSout: (t: number) => tf.Tensor2D | undefined,
): { dS: tf.Tensor2D[]; dNet: tf.Tensor2D[] } {
  const T = cache.s.length;
  const WsT = tf.transpose(p.Ws);
  const dS: tf.Tensor2D[] = new Array(T);
  const dNet: tf.Tensor2D[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    const direct = dSout(t);
    const recurrent = t === T - 1 ? undefined : tf.matMul<tf.Tensor2D>(dNet[t + 1], WsT);
    dS[t] = direct && recurrent ? tf.add(direct, recurrent) : (direct ?? recurrent ?? tf.zerosLike(cache.s[t])); // (B4)
    dNet[t] = tf.mul(dS[t], tf.mul(cache.s[t], tf.sub(1, cache.s[t]))); //                  (B5) σ'(net_t) = s_t(1 − s_t)
  }
  return { dS, dNet };
}

/**
 * The gradient of `loss` with respect to every parameter, by backpropagation through time: (B1)…(B8).
 * @example
 *   const cache = forward(p, x);
 *   const grads = backward(p, x, y, cache, 'mse'); // grads.Ws: ∂L/∂Ws, [H, H]
 */
export function backward(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, cache: ForwardCache, kind: LossName): Grads {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const { s, S } = cache;

    const dO = timeMajor(outputDelta(cache.yhat, y, kind)); //   (B1) δo_t, [N, 1]
    const ST = tf.transpose(S);
    const dWy: tf.Tensor2D = tf.matMul(ST, dO); //              (B2) dWy = Σ_t s_tᵀ·δo_t
    const dby: tf.Tensor1D = tf.sum(dO, 0); //                  (B3) dby = Σ_t δo_t

    // (B4)'s first term, through each step's own output, is an outer product: δo_t scales the row Wyᵀ. A
    // broadcast multiply, not a matMul: on wasm (tfjs 4.22) a matMul by a reshape of Wy, which shares Wy's data,
    // reuses the operator cached for Wy [H, 1] and computes garbage.
    const dOs = tf.split<tf.Tensor2D>(dO, T, 0);
    const WyRow = tf.reshape(p.Wy, [1, H]);
    const dNet = tf.concat(backThroughTime(p, cache, (t) => tf.mul<tf.Tensor2D>(dOs[t], WyRow)).dNet, 0); // (B4), (B5) δ_t, [N, H]

    const Sprev = tf.concat([tf.zeros([B, H]), ...s.slice(0, T - 1)], 0); // s_0 = 0, s_1 … s_{T−1}
    const dWs: tf.Tensor2D = tf.matMul(tf.transpose(Sprev), dNet); //     (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t
    const xT = tf.reshape(tf.transpose(x, [2, 1, 0]), [2, B * T]); //      x_tᵀ, time-major [2, N]
    const dWx: tf.Tensor2D = tf.matMul(xT, dNet); //                      (B7) dWx = Σ_t x_tᵀ·δ_t
    const grads: Grads = { Wx: dWx, Ws: dWs, Wy: dWy };
    if (p.bs) grads.bs = tf.sum<tf.Tensor1D>(dNet, 0); //                 (B8) dbs = Σ_t δ_t
    if (p.by) grads.by = dby;
    return grads;
  });
}

export type LossAndGrads = {
  loss: tf.Scalar;
  grads: Grads;
};

/**
 * Forward, loss and backward in one call; only the loss and the gradients outlive it.
 * @example
 *   const { loss, grads } = lossAndGrads(p, inputTensor(batch), targetTensor(batch), 'mse');
 */
export function lossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): LossAndGrads {
  return tf.tidy(() => {
    const cache = forward(p, x);
    return { loss: loss(cache, y, kind), grads: backward(p, x, y, cache, kind) };
  });
}
