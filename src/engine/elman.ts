// The Elman cell's hand-derived BPTT: forward keeps what backward needs, backward returns a gradient per
// parameter. No tf.grad here: every line of `backward` is an equation of docs/bptt.md, cited as (B1)…(B8).
//
// Shape letters: B = batch size, T = time steps (bits + 1 for addition), H = hidden size, N = B·T. Layout:
// time-major.ts. A loss mask, a state carried in and truncation: SequenceOptions (cell.ts), docs/long-lags.md.
import * as tf from '@tensorflow/tfjs-core';
import { CellCache, CellEngine, gradsOf, lossAndGradsOf, SequenceOptions } from './cell';
import { LossName } from './loss';
import { Grads, Params } from './params';
import { readout, readoutGrads } from './readout';
import { batchMajor, inputGrads, inputTerms } from './time-major';
import { startsWindow, stopGradient } from './truncation';

/** What backward needs from forward: s_t for every step (the cell's h_t), and the readout's o_t and ŷ_t. */
export type ForwardCache = CellCache;

/** (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0 or the state carried in;  (F2) ŷ_t = σ(s_t·Wy + by). */
export function forward(p: Params, x: tf.Tensor3D, options: SequenceOptions = {}): ForwardCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const Ws = p.Ws as tf.Tensor2D;
    const inputTerm = inputTerms(p, x);
    const { initial, tbptt } = options;
    // s_0 = 0 makes s_0·Ws vanish.
    const first = initial ? tf.add<tf.Tensor2D>(inputTerm(0), tf.matMul(initial, Ws)) : inputTerm(0);
    const states: tf.Tensor2D[] = [tf.sigmoid(first)];
    for (let t = 1; t < T; t++) {
      const previous = startsWindow(t, tbptt) ? stopGradient(states[t - 1]) : states[t - 1];
      states.push(tf.sigmoid(tf.add<tf.Tensor2D>(inputTerm(t), tf.matMul(previous, Ws))));
    }
    const S = tf.concat(states, 0) as tf.Tensor2D;
    return { states: batchMajor(S, B, T), ...readout(p, S, B, T), steps: states };
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
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const { initial, mask, tbptt } = options;
    const S = tf.concat(cache.steps, 0) as tf.Tensor2D; // time-major [N, H]
    const ST = tf.transpose(S) as tf.Tensor2D;
    const out = readoutGrads(p, S, cache.yhat, y, kind, mask, ST); // (B1)–(B3)

    // (B5) δ_t = ∂L/∂s_t ⊙ σ'(net_t), σ'(net_t) = s_t(1 − s_t).
    const one = tf.scalar(1);
    const slope = (t: number) => tf.mul(cache.steps[t], tf.sub(one, cache.steps[t]));
    const WsT = tf.transpose(p.Ws);
    const deltas: tf.Tensor2D[] = new Array(T);
    deltas[T - 1] = tf.mul(out.outputTerm(T - 1), slope(T - 1)); // δ_{T+1} = 0: nothing after the last step
    for (let t = T - 2; t >= 0; t--) {
      // (B4) ∂L/∂s_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ; truncated BPTT drops the second term where s_t enters the next
      // window as a constant.
      const ds = startsWindow(t + 1, tbptt) ? out.outputTerm(t) : tf.add(out.outputTerm(t), tf.matMul(deltas[t + 1], WsT));
      deltas[t] = tf.mul(ds, slope(t)); // (B5)
    }

    // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t = Σ_t s_tᵀ·δ_{t+1} (δ_{T+1} = 0): S against δ one step later, plus s_0ᵀ·δ_1
    // when a state is carried in (s_0 = 0 otherwise).
    const deltaNext = tf.concat([...deltas.slice(1), tf.zeros([B, H])], 0) as tf.Tensor2D;
    const fromSteps = tf.matMul(ST, deltaNext);
    const dWs = initial ? tf.add(fromSteps, tf.matMul(tf.transpose(initial), deltas[0])) : fromSteps;
    // (B7) dWx = Σ_t x_tᵀ·δ_t, (B8) dbs = Σ_t δ_t.
    return gradsOf(inputGrads(x, tf.concat(deltas, 0) as tf.Tensor2D, p.bs !== undefined), dWs, out);
  });
}

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export const lossAndGrads = lossAndGradsOf(forward, backward);

export const elman: CellEngine<ForwardCache> = { forward, backward, lossAndGrads };
