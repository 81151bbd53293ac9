// The hand-derived BPTT engine: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1), H = hidden size, N = B·T.
// Time is axis 1 everywhere, as in the model's input [B, T, 2].
import * as tf from '@tensorflow/tfjs';
import { Grads, Params } from '../params';

export const LOSSES = ['mse', 'bce'] as const;
export type LossName = (typeof LOSSES)[number];

/** What backward needs from forward: s_t for every step, and the output logits o_t and ŷ_t = σ(o_t). */
export type ForwardCache = {
  /** s_1 … s_T, [B, T, H]. */
  states: tf.Tensor3D;
  /** o_t = s_t·Wy + by, [B, T, 1]. */
  logits: tf.Tensor3D;
  /** ŷ_t = σ(o_t), [B, T, 1]. */
  yhat: tf.Tensor3D;
};

/** (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0;  (F2) ŷ_t = σ(s_t·Wy + by). */
export function forward(p: Params, x: tf.Tensor3D): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    // x_t·Wx + bs for every step in one matMul: it does not depend on the recurrence.
    let xw = tf.matMul(x.reshape([B * T, 2]), p.Wx as tf.Tensor2D);
    if (p.bs) xw = tf.add(xw, p.bs);
    const inputs = tf.unstack(xw.reshape([B, T, H]), 1) as tf.Tensor2D[];
    const states: tf.Tensor[] = [tf.sigmoid(inputs[0])]; // s_0 = 0, so s_0·Ws vanishes
    for (let t = 1; t < T; t++) {
      states.push(tf.sigmoid(tf.add(inputs[t], tf.matMul(states[t - 1] as tf.Tensor2D, p.Ws as tf.Tensor2D))));
    }
    const S = tf.stack(states, 1) as tf.Tensor3D;
    let o = tf.matMul(S.reshape([B * T, H]), p.Wy as tf.Tensor2D);
    if (p.by) o = tf.add(o, p.by);
    const logits = o.reshape([B, T, 1]) as tf.Tensor3D;
    return { states: S, logits, yhat: tf.sigmoid(logits) as tf.Tensor3D };
  });
}

/**
 * (L) The loss, mean over batch and time steps:
 *   mse: ½(y − ŷ)²;  bce: −[y·ln ŷ + (1−y)·ln(1−ŷ)], computed from the logit as softplus(o) − y·o,
 *   which is the same number without ln(0) when ŷ saturates.
 */
export function loss(cache: ForwardCache, y: tf.Tensor3D, kind: LossName): tf.Scalar {
  return tf.tidy(() =>
    kind === 'mse'
      ? tf.mul(0.5, tf.mean(tf.square(tf.sub(y, cache.yhat))))
      : tf.mean(tf.sub(tf.softplus(cache.logits), tf.mul(y, cache.logits))),
  );
}

/** The gradient of `loss` with respect to every parameter, by backpropagation through time. */
export function backward(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, cache: ForwardCache, kind: LossName): Grads {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const N = B * T;
    const { states: S, yhat } = cache;

    // (B1) δo_t = ∂L/∂o_t: mse (ŷ−y)·ŷ(1−ŷ)/N, bce (ŷ−y)/N (the sigmoid's slope cancels).
    const err = tf.sub(yhat, y);
    const dyhatdo = kind === 'mse' ? tf.mul(yhat, tf.sub(1, yhat)) : tf.onesLike(yhat);
    const dO = tf.div(tf.mul(err, dyhatdo), N).reshape([N, 1]) as tf.Tensor2D;

    const S2 = S.reshape([N, H]) as tf.Tensor2D;
    const dWy = tf.matMul(S2, dO, true, false); // (B2) dWy = Σ_t s_tᵀ·δo_t
    const dby = tf.sum(dO, 0); //                  (B3) dby = Σ_t δo_t

    // (B4) ∂L/∂s_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ: the first term through ŷ_t, here for every t at once.
    const dSout = tf.unstack(tf.matMul(dO, p.Wy as tf.Tensor2D, false, true).reshape([B, T, H]), 1);
    // (B5) δ_t = ∂L/∂s_t ⊙ σ'(net_t), σ'(net_t) = s_t(1 − s_t).
    const slope = tf.unstack(tf.mul(S, tf.sub(1, S)), 1);
    const deltas: tf.Tensor[] = new Array(T);
    deltas[T - 1] = tf.mul(dSout[T - 1], slope[T - 1]); // δ_{T+1} = 0: nothing after the last step
    for (let t = T - 2; t >= 0; t--) {
      const ds = tf.add(dSout[t], tf.matMul(deltas[t + 1] as tf.Tensor2D, p.Ws as tf.Tensor2D, false, true)); // (B4)
      deltas[t] = tf.mul(ds, slope[t]); // (B5)
    }
    const delta = tf.stack(deltas, 1).reshape([N, H]) as tf.Tensor2D;

    // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t, with s_0 = 0: pair each δ_t with the state before it.
    const before = tf.concat([tf.zeros([B, 1, H]), S.slice([0, 0, 0], [B, T - 1, H])], 1).reshape([N, H]);
    const dWs = tf.matMul(before as tf.Tensor2D, delta, true, false);
    const dWx = tf.matMul(x.reshape([N, 2]) as tf.Tensor2D, delta, true, false); // (B7) dWx = Σ_t x_tᵀ·δ_t
    const grads: Grads = { Wx: dWx, Ws: dWs, Wy: dWy };
    if (p.bs) grads.bs = tf.sum(delta, 0); // (B8) dbs = Σ_t δ_t
    if (p.by) grads.by = dby;
    return grads;
  });
}

export type LossAndGrads = {
  loss: tf.Scalar;
  grads: Grads;
};

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export function lossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): LossAndGrads {
  return tf.tidy(() => {
    const cache = forward(p, x);
    return { loss: loss(cache, y, kind), grads: backward(p, x, y, cache, kind) };
  });
}
