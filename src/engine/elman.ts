// The Elman cell's hand-derived BPTT: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1), H = hidden size, N = B·T. Layout: time-major.ts.
import * as tf from '@tensorflow/tfjs-core';
import { CellCache, CellEngine, gradsOf, lossAndGradsOf } from './cell';
import { LossName } from './loss';
import { Grads, Params } from './params';
import { readout, readoutGrads } from './readout';
import { batchMajor, inputGrads, inputTerms } from './time-major';

/** What backward needs from forward: s_t for every step (the cell's h_t), and the readout's o_t and ŷ_t. */
export type ForwardCache = CellCache;

/** (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0;  (F2) ŷ_t = σ(s_t·Wy + by). */
export function forward(p: Params, x: tf.Tensor3D): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const Ws = p.Ws as tf.Tensor2D;
    const inputTerm = inputTerms(p, x);
    const states: tf.Tensor2D[] = [tf.sigmoid(inputTerm(0))]; // s_0 = 0, so s_0·Ws vanishes
    for (let t = 1; t < T; t++) {
      states.push(tf.sigmoid(tf.add<tf.Tensor2D>(inputTerm(t), tf.matMul(states[t - 1], Ws))));
    }
    const S = tf.concat(states, 0) as tf.Tensor2D;
    return { states: batchMajor(S, B, T), ...readout(p, S, B, T), steps: states };
  });
}

/** The gradient of `loss` with respect to every parameter, by backpropagation through time. */
export function backward(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, cache: ForwardCache, kind: LossName): Grads {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const S = tf.concat(cache.steps, 0) as tf.Tensor2D; // time-major [N, H]
    const ST = tf.transpose(S) as tf.Tensor2D;
    const out = readoutGrads(p, S, cache.yhat, y, kind, ST); // (B1)–(B3)

    // (B5) δ_t = ∂L/∂s_t ⊙ σ'(net_t), σ'(net_t) = s_t(1 − s_t).
    const one = tf.scalar(1);
    const slope = (t: number) => tf.mul(cache.steps[t], tf.sub(one, cache.steps[t]));
    const WsT = tf.transpose(p.Ws);
    const deltas: tf.Tensor2D[] = new Array(T);
    deltas[T - 1] = tf.mul(out.outputTerm(T - 1), slope(T - 1)); // δ_{T+1} = 0: nothing after the last step
    for (let t = T - 2; t >= 0; t--) {
      const ds = tf.add(out.outputTerm(t), tf.matMul(deltas[t + 1], WsT)); // (B4) ∂L/∂s_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ
      deltas[t] = tf.mul(ds, slope(t)); // (B5)
    }

    // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t = Σ_t s_tᵀ·δ_{t+1} (s_0 = 0, δ_{T+1} = 0): S against δ one step later.
    const deltaNext = tf.concat([...deltas.slice(1), tf.zeros([B, H])], 0) as tf.Tensor2D;
    const dWs = tf.matMul(ST, deltaNext);
    // (B7) dWx = Σ_t x_tᵀ·δ_t, (B8) dbs = Σ_t δ_t.
    return gradsOf(inputGrads(x, tf.concat(deltas, 0) as tf.Tensor2D, p.bs !== undefined), dWs, out);
  });
}

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export const lossAndGrads = lossAndGradsOf(forward, backward);

export const elman: CellEngine<ForwardCache> = { forward, backward, lossAndGrads };
