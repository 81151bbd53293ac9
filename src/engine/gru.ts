// The GRU cell's hand-derived BPTT (docs/gru.md), tfjs-layers' GRU (reset_after = false): forward keeps each
// step's gates, backward walks them back, every line an equation of docs/gru.md, cited as (U1)…(U9). No tf.grad.
// The readout and its gradients, (F2) and (B1)–(B3), are every cell's: src/engine/readout.ts.
//
// Shape letters: B = batch size, T = time steps, H = hidden size, N = B·T; gates side by side in tfjs-layers'
// order (z, r, h): Wx [I, 3H], Ws [H, 3H] = [Uz | Ur | Uh], bs [3H] on the input side. Layout: time-major.ts.
import * as tf from '@tensorflow/tfjs-core';
import { addTerms, backwardOf, BackwardPartsOf, CellCache, CellEngine, lossAndGradsOf, OutputTerm, SequenceOptions } from './cell';
import { Params } from './params';
import { everyPair, repeatRows } from './extend';
import { readout } from './readout';
import { inputTerms } from './time-major';
import { startsWindow, stopGradient } from './truncation';

/** One step's gates, each [B, H]. */
export type GruStep = {
  /** Update gate z_t and reset gate r_t. */
  z: tf.Tensor2D;
  r: tf.Tensor2D;
  /** r_t ⊙ h_{t−1}, what Uh multiplies. */
  rh: tf.Tensor2D;
  /** The candidate h̃_t. */
  hh: tf.Tensor2D;
};

export type GruCache = CellCache & {
  /** Step t's gates, t = 1 … T. */
  gates: GruStep[];
};

/** [Uz | Ur] [H, 2H] and Uh [H, H], the recurrent kernel's two parts. */
function recurrentParts(Ws: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  const H = Ws.shape[0];
  return [tf.slice(Ws as tf.Tensor2D, [0, 0], [H, 2 * H]), tf.slice(Ws as tf.Tensor2D, [0, 2 * H], [H, H])];
}

/**
 * (U2)–(U4) from [a_z + h_{t−1}·Uz, a_r + h_{t−1}·Ur] [rows, 2H], a_h and h_{t−1}: the gates, the candidate and h_t.
 */
function cellStep(zr: tf.Tensor2D, ah: tf.Tensor2D, hPrev: tf.Tensor2D, Uh: tf.Tensor2D): GruStep & { h: tf.Tensor2D } {
  const [z, r] = tf.split(tf.sigmoid(zr), 2, 1) as tf.Tensor2D[]; // (U2)
  const rh = tf.mul<tf.Tensor2D>(r, hPrev);
  const hh = tf.tanh(tf.add<tf.Tensor2D>(ah, tf.matMul(rh, Uh))); // (U3)
  return { z, r, rh, hh, h: tf.add<tf.Tensor2D>(tf.mul(z, hPrev), tf.mul(tf.sub(1, z), hh)) }; // (U4)
}

/**
 * (U1) x_t·Wx + bs split into (a_z, a_r, a_h);  (U2) z_t = σ(a_z + h_{t−1}·Uz), r_t = σ(a_r + h_{t−1}·Ur);
 * (U3) h̃_t = tanh(a_h + (r_t⊙h_{t−1})·Uh);  (U4) h_t = z_t⊙h_{t−1} + (1 − z_t)⊙h̃_t;  h_0 = 0 or carried in;
 * (F2) ŷ_t = σ(h_t·Wy + by). With `tbptt`, h enters each window as a constant.
 */
export function forward(p: Params, x: tf.Tensor3D, options: SequenceOptions = {}): GruCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const [Uzr, Uh] = recurrentParts(p.Ws);
    const inputTerm = inputTerms(p, x);
    let h: tf.Tensor2D = options.initial?.h ?? tf.zeros([B, H]);
    const steps: tf.Tensor2D[] = [];
    const gates: GruStep[] = [];
    for (let t = 0; t < T; t++) {
      if (startsWindow(t, options.tbptt)) h = stopGradient(h);
      const [azr, ah] = tf.split(inputTerm(t), [2 * H, H], 1) as tf.Tensor2D[]; // (U1)
      const step = cellStep(tf.add(azr, tf.matMul(h, Uzr)), ah, h, Uh);
      h = step.h;
      steps.push(h);
      gates.push(step);
    }
    const S = tf.concat(steps, 0) as tf.Tensor2D;
    return { steps, hidden: S, ...readout(p, S, B, T), gates };
  });
}

/**
 * (U5)–(U7) from t = T down to 1: ∂L/∂h_t, [δa_z, δa_r] and δa_h for every step, h_0 the state carried in (zeros
 * when absent). Inside the caller's tidy.
 */
function throughTime(
  p: Params,
  cache: GruCache,
  outputTerm: OutputTerm,
  tbptt?: number,
  h0?: tf.Tensor2D,
): { dh: tf.Tensor2D[]; dzr: tf.Tensor2D[]; dah: tf.Tensor2D[] } {
  const T = cache.steps.length;
  const [Uzr, Uh] = recurrentParts(p.Ws);
  const [UzrT, UhT] = [tf.transpose(Uzr), tf.transpose(Uh)];
  const zeros = tf.zerosLike(cache.steps[0]);
  const dh: tf.Tensor2D[] = new Array(T);
  const dzr: tf.Tensor2D[] = new Array(T);
  const dah: tf.Tensor2D[] = new Array(T);
  let carried: tf.Tensor2D | undefined; // ∂L/∂h_t through step t+1, the last three terms of (U5)
  for (let t = T - 1; t >= 0; t--) {
    const { z, r, hh } = cache.gates[t];
    const hPrev = t > 0 ? cache.steps[t - 1] : (h0 ?? zeros);
    // (U5) ∂L/∂h_t = δo_t·Wyᵀ + [the terms of step t+1 below].
    dh[t] = addTerms(outputTerm(t), carried, () => zeros);
    // (U6) through (U4): δa_z = ∂L/∂h_t ⊙ (h_{t−1} − h̃_t) ⊙ σ'(a_z),  δa_h = ∂L/∂h_t ⊙ (1 − z_t) ⊙ tanh'(a_h).
    const daz = tf.mul(tf.mul(dh[t], tf.sub(hPrev, hh)), tf.mul(z, tf.sub(1, z)));
    dah[t] = tf.mul(tf.mul(dh[t], tf.sub(1, z)), tf.sub(1, tf.square(hh)));
    // (U7) through (U3): ∂L/∂(r_t⊙h_{t−1}) = δa_h·Uhᵀ, so δa_r = δa_h·Uhᵀ ⊙ h_{t−1} ⊙ σ'(a_r).
    const drh = tf.matMul(dah[t], UhT);
    const dar = tf.mul(tf.mul(drh, hPrev), tf.mul(r, tf.sub(1, r)));
    dzr[t] = tf.concat([daz, dar], 1) as tf.Tensor2D;
    // (U5) for step t: ∂L/∂h_{t−1} gets z_t⊙∂L/∂h_t (the update gate's interpolation), [δa_z, δa_r]·[Uz | Ur]ᵀ
    // (through both gates) and δa_h·Uhᵀ ⊙ r_t (through the reset gate into the candidate).
    // Truncated BPTT: where step t starts a window, h_{t−1} is a constant and nothing is carried.
    carried =
      t > 0 && !startsWindow(t, tbptt)
        ? tf.add<tf.Tensor2D>(tf.add(tf.mul(z, dh[t]), tf.matMul(dzr[t], UzrT)), tf.mul(drh, r))
        : undefined;
  }
  return { dh, dzr, dah };
}

/**
 * (U5)–(U7) and the products of (U8): ∂L/∂h_t, δa_t = [δa_z, δa_r, δa_h] and what Ws's two blocks multiply
 * (h_0 = 0 or carried in), from the readout's share `outputTerm` of each ∂L/∂h_t. (U9) dWx = Σ_t x_tᵀ·δa_t,
 * dbs = Σ_t δa_t. Call inside a tidy.
 */
export const backwardParts: BackwardPartsOf<GruCache> = (p, cache, outputTerm, options = {}) => {
  const h0 = options.initial?.h;
  const { dh, dzr, dah } = throughTime(p, cache, outputTerm, options.tbptt, h0);
  const T = dah.length;
  const previous = tf.concat([h0 ?? tf.zerosLike(cache.steps[0]), ...cache.steps.slice(0, T - 1)], 0);
  const rh = tf.concat(cache.gates.map((step) => step.rh), 0);
  const dAzr = tf.concat(dzr, 0) as tf.Tensor2D;
  const dAh = tf.concat(dah, 0) as tf.Tensor2D;
  // (U8) dWs = [Σ_t h_{t−1}ᵀ·[δa_z, δa_r] | Σ_t (r_t⊙h_{t−1})ᵀ·δa_h].
  const recurrent = [{ left: previous, right: dAzr }, { left: rh, right: dAh }];
  return { dh, dz: tf.concat([dAzr, dAh], 1) as tf.Tensor2D, recurrent };
};

/** The gradient of `loss` with respect to every parameter, by backpropagation through time. */
export const backward: CellEngine<GruCache>['backward'] = backwardOf(backwardParts);

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export const lossAndGrads = lossAndGradsOf(forward, backward);

export const gru: CellEngine<GruCache> = {
  forward,
  backward,
  lossAndGrads,
  backwardParts,
  stateGradients: (p, cache, outputTerm) => throughTime(p, cache, outputTerm).dh,
  // (U2) with h_{t−1}·[Uz | Ur] once per state, then added to each input's a_z, a_r; h_{t−1} and a_h repeated to match.
  extend: (p, prev, a) => {
    const H = p.Ws.shape[0];
    const k = a.shape[0];
    const [Uzr, Uh] = recurrentParts(p.Ws);
    const [azr, ah] = tf.split(a, [2 * H, H], 1) as tf.Tensor2D[];
    const zr = everyPair(tf.matMul(prev.h, Uzr), azr);
    return { h: cellStep(zr, tf.tile(ah, [prev.h.shape[0], 1]), repeatRows(prev.h, k), Uh).h };
  },
  initialState: (p, n) => ({ h: tf.zeros([n, p.Ws.shape[0]]) }),
  finalState: (cache) => ({ h: cache.steps[cache.steps.length - 1] }),
};
