// The hand-derived BPTT engine: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1 for addition), I = input width, H = hidden size, N = B·T.
// Time is axis 1 in what comes in and goes out, as in the model's input [B, T, I]. Inside, rows are
// time-major (row t·B + i is step t of sequence i), so a step is one contiguous block of B rows.
// Speed (wasm, docs/benchmarks.md): an op costs microseconds whatever its size, a slice copies its whole
// input, and a matMul with a transposed operand is slower than a transpose then a plain matMul. Hence the
// per-step slices of the narrow x and δo rather than of [N, H] tensors, and the explicit transposes.
import * as tf from '@tensorflow/tfjs-core';
import { loss, LossName, outputDelta } from './loss';
import { Grads, Params } from './params';
import { startsWindow, stopGradient } from './truncation';

/** Beyond one whole sequence from s_0 = 0 with a loss at every step: what the long-lag tasks need. */
export interface SequenceOptions {
  /**
   * s_0, [B, H]: the state the previous window of a stream ended in (zeros when absent). A constant of this
   * call: no gradient flows into it.
   */
  initial?: tf.Tensor2D;
  /** m_t, [B, T, 1]: the steps that carry a loss (L); every step when absent. */
  mask?: tf.Tensor3D;
  /** K: truncated BPTT, the gradient cut at the edge of every window of K steps; full BPTT when absent. */
  tbptt?: number;
}

/** What backward needs from forward: s_t for every step, and the output logits o_t and ŷ_t = σ(o_t). */
export type ForwardCache = {
  /** s_1 … s_T, [B, T, H]. */
  states: tf.Tensor3D;
  /** o_t = s_t·Wy + by, [B, T, 1]. */
  logits: tf.Tensor3D;
  /** ŷ_t = σ(o_t), [B, T, 1]. */
  yhat: tf.Tensor3D;
  /** s_1 … s_T again, one [B, H] tensor per step: what backward walks through. */
  steps: tf.Tensor2D[];
};

/** [B, T, C] → [N, C] time-major. */
function timeMajor(v: tf.Tensor3D): tf.Tensor2D {
  const [B, T, C] = v.shape;
  return tf.reshape(tf.transpose(v, [1, 0, 2]), [T * B, C]);
}

/** [N, C] time-major → [B, T, C]. */
function batchMajor(v: tf.Tensor2D, B: number, T: number): tf.Tensor3D {
  return tf.transpose(tf.reshape(v, [T, B, v.shape[1]]), [1, 0, 2]) as tf.Tensor3D;
}

/** (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0 or the state carried in;  (F2) ŷ_t = σ(s_t·Wy + by). */
export function forward(p: Params, x: tf.Tensor3D, options: SequenceOptions = {}): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const Ws = p.Ws as tf.Tensor2D;
    // x_t·Wx + bs as one matMul per step: [x_t, 1]·[Wx; bs] with a bias, x_t·Wx without.
    const xRows = p.bs ? tf.pad(timeMajor(x), [[0, 0], [0, 1]], 1) : timeMajor(x);
    const Win = p.bs ? tf.concat([p.Wx, tf.reshape(p.bs, [1, H])], 0) : p.Wx;
    const xs = tf.split(xRows, T, 0);
    const inputTerm = (t: number) => tf.matMul(xs[t], Win);
    const { initial, tbptt } = options;
    // s_0 = 0 makes s_0·Ws vanish.
    const states: tf.Tensor[] = [tf.sigmoid(initial ? tf.add(inputTerm(0), tf.matMul(initial, Ws)) : inputTerm(0))];
    for (let t = 1; t < T; t++) {
      const previous = startsWindow(t, tbptt) ? stopGradient(states[t - 1]) : states[t - 1];
      states.push(tf.sigmoid(tf.add(inputTerm(t), tf.matMul(previous, Ws))));
    }
    const S = tf.concat(states, 0) as tf.Tensor2D;
    let o = tf.matMul(S, p.Wy as tf.Tensor2D);
    if (p.by) o = tf.add(o, p.by);
    const logits = batchMajor(o as tf.Tensor2D, B, T);
    return { states: batchMajor(S, B, T), logits, yhat: tf.sigmoid(logits) as tf.Tensor3D, steps: states as tf.Tensor2D[] };
  });
}

/** The gradient of `loss` with respect to every parameter, by backpropagation through time. */
export function backward(
  p: Params,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  cache: ForwardCache,
  kind: LossName,
  options: SequenceOptions = {},
): Grads {
  return tf.tidy(() => {
    const [B, T, I] = x.shape;
    const H = p.Ws.shape[0];
    const N = B * T;
    const { yhat } = cache;
    const { initial, mask, tbptt } = options;

    const dO = timeMajor(outputDelta(yhat, y, kind, mask)); // (B1)

    const S = tf.concat(cache.steps, 0) as tf.Tensor2D; // time-major [N, H]
    const ST = tf.transpose(S);
    const dWy = tf.matMul(ST, dO); // (B2) dWy = Σ_t s_tᵀ·δo_t
    const dby = tf.sum(dO, 0); //     (B3) dby = Σ_t δo_t

    // (B4) ∂L/∂s_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ: the first term through ŷ_t is an outer product (δo_t scales
    // the row Wyᵀ).
    const dOs = tf.split(dO, T, 0);
    const WyRow = tf.reshape(p.Wy, [1, H]);
    const dSout = (t: number) => tf.mul(dOs[t], WyRow);
    // (B5) δ_t = ∂L/∂s_t ⊙ σ'(net_t), σ'(net_t) = s_t(1 − s_t).
    const one = tf.scalar(1);
    const slope = (t: number) => tf.mul(cache.steps[t], tf.sub(one, cache.steps[t]));
    const WsT = tf.transpose(p.Ws);
    const deltas: tf.Tensor[] = new Array(T);
    deltas[T - 1] = tf.mul(dSout(T - 1), slope(T - 1)); // δ_{T+1} = 0: nothing after the last step
    for (let t = T - 2; t >= 0; t--) {
      // (B4), the recurrent term dropped where s_t enters the next window as a constant (truncated BPTT).
      const ds = startsWindow(t + 1, tbptt) ? dSout(t) : tf.add(dSout(t), tf.matMul(deltas[t + 1] as tf.Tensor2D, WsT));
      deltas[t] = tf.mul(ds, slope(t)); // (B5)
    }
    const delta = tf.concat(deltas, 0) as tf.Tensor2D;

    // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t = Σ_t s_tᵀ·δ_{t+1} (δ_{T+1} = 0): S against δ one step later, plus s_0ᵀ·δ_1
    // when a state is carried in (s_0 = 0 otherwise).
    const deltaNext = tf.concat([...deltas.slice(1), tf.zeros([B, H])], 0) as tf.Tensor2D;
    const fromSteps = tf.matMul(ST, deltaNext);
    const dWs = initial ? tf.add(fromSteps, tf.matMul(tf.transpose(initial), deltas[0] as tf.Tensor2D)) : fromSteps;
    // (B7) dWx = Σ_t x_tᵀ·δ_t, with xᵀ time-major [I, N] in one transpose.
    const dWx = tf.matMul(tf.reshape(tf.transpose(x, [2, 1, 0]), [I, N]) as tf.Tensor2D, delta);
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
export function lossAndGrads(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options: SequenceOptions = {}): LossAndGrads {
  return tf.tidy(() => {
    const cache = forward(p, x, options);
    return { loss: loss(cache, y, kind, options.mask), grads: backward(p, x, y, cache, kind, options) };
  });
}
