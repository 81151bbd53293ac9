// The LSTM cell's hand-derived BPTT (docs/lstm.md): forward keeps each step's gates and cell state, backward
// walks them back, every line an equation of docs/lstm.md, cited as (L1)…(L9). No tf.grad here.
// The readout and its gradients, (F2) and (B1)–(B3), are every cell's: src/engine/readout.ts.
//
// Shape letters: B = batch size, T = time steps, H = hidden size, N = B·T; gates side by side in tfjs-layers'
// order (i, f, c, o): Wx [I, 4H], Ws [H, 4H], bs [4H]. Layout: time-major.ts.
import * as tf from '@tensorflow/tfjs-core';
import { addTerms, backwardOf, BackwardPartsOf, CellCache, CellEngine, lossAndGradsOf, OutputTerm, SequenceOptions } from './cell';
import { Params } from './params';
import { everyPair, repeatRows } from './extend';
import { readout } from './readout';
import { inputTerms } from './time-major';
import { startsWindow, stopGradient } from './truncation';

/** One step's gates and cell state, each [B, H]. */
export type LstmStep = {
  /** Input gate i_t, forget gate f_t, candidate g_t = tanh(z_c), output gate o_t. */
  i: tf.Tensor2D;
  f: tf.Tensor2D;
  g: tf.Tensor2D;
  o: tf.Tensor2D;
  /** c_t and tanh(c_t). */
  c: tf.Tensor2D;
  tanhC: tf.Tensor2D;
};

export type LstmCache = CellCache & {
  /** Step t's gates and cell state, t = 1 … T. */
  gates: LstmStep[];
};

/** (L2)–(L4) from the pre-activations z_t [rows, 4H] and c_{t−1}: the gates, c_t, tanh(c_t) and h_t. */
function cellStep(z: tf.Tensor2D, cPrev: tf.Tensor2D): LstmStep & { h: tf.Tensor2D } {
  const [zi, zf, zc, zo] = tf.split(z, 4, 1);
  const [i, f, g, o] = [tf.sigmoid(zi), tf.sigmoid(zf), tf.tanh(zc), tf.sigmoid(zo)] as tf.Tensor2D[]; // (L2)
  const c = tf.add<tf.Tensor2D>(tf.mul(f, cPrev), tf.mul(i, g)); // (L3)
  const tanhC = tf.tanh(c);
  return { i, f, g, o, c, tanhC, h: tf.mul<tf.Tensor2D>(o, tanhC) }; // (L4)
}

/**
 * (L1) z_t = x_t·Wx + h_{t−1}·Ws + bs, split into (z_i, z_f, z_c, z_o);
 * (L2) i, f, o = σ(z_i, z_f, z_o), g = tanh(z_c);  (L3) c_t = f⊙c_{t−1} + i⊙g;  (L4) h_t = o⊙tanh(c_t);
 * h_0 = c_0 = 0 or the state carried in;  (F2) ŷ_t = σ(h_t·Wy + by). With `tbptt`, h and c enter each window
 * as constants.
 */
export function forward(p: Params, x: tf.Tensor3D, options: SequenceOptions = {}): LstmCache {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const Ws = p.Ws;
    const inputTerm = inputTerms(p, x);
    let h: tf.Tensor2D = options.initial?.h ?? tf.zeros([B, H]);
    let c: tf.Tensor2D = options.initial?.c ?? tf.zeros([B, H]);
    const steps: tf.Tensor2D[] = [];
    const gates: LstmStep[] = [];
    for (let t = 0; t < T; t++) {
      if (startsWindow(t, options.tbptt)) [h, c] = [stopGradient(h), stopGradient(c)];
      const step = cellStep(tf.add(inputTerm(t), tf.matMul(h, Ws)), c); // (L1)
      ({ h, c } = step);
      steps.push(h);
      gates.push(step);
    }
    const S = tf.concat(steps, 0) as tf.Tensor2D;
    return { steps, hidden: S, ...readout(p, S, B, T), gates };
  });
}

/** σ'(z) from σ(z): a(1 − a). */
const sigmoidSlope = (a: tf.Tensor2D): tf.Tensor2D => tf.mul(a, tf.sub(1, a));
/** tanh'(z) from tanh(z): 1 − a². */
const tanhSlope = (a: tf.Tensor2D): tf.Tensor2D => tf.sub(1, tf.square(a));

/**
 * (L5)–(L7) from t = T down to 1: ∂L/∂h_t and δz_t for every step, c_0 the cell state carried in (zeros when
 * absent). Inside the caller's tidy.
 */
function throughTime(
  p: Params,
  cache: LstmCache,
  outputTerm: OutputTerm,
  tbptt?: number,
  c0?: tf.Tensor2D,
): { dh: tf.Tensor2D[]; dz: tf.Tensor2D[] } {
  const T = cache.steps.length;
  const WsT = tf.transpose(p.Ws) as tf.Tensor2D;
  const zeros = tf.zerosLike(cache.steps[0]);
  const dh: tf.Tensor2D[] = new Array(T);
  const dz: tf.Tensor2D[] = new Array(T);
  let dc: tf.Tensor2D = zeros;
  for (let t = T - 1; t >= 0; t--) {
    const { i, f, g, o, tanhC } = cache.gates[t];
    const cPrev = t > 0 ? cache.gates[t - 1].c : (c0 ?? zeros);
    // Nothing reaches back from step t+1 past the last step, or (truncated BPTT) where t+1 starts a window.
    const fromNext = t < T - 1 && !startsWindow(t + 1, tbptt);
    // (L5) ∂L/∂h_t = δo_t·Wyᵀ + δz_{t+1}·Wsᵀ: through ŷ_t, and through the gates of step t+1.
    dh[t] = addTerms(outputTerm(t), fromNext ? tf.matMul<tf.Tensor2D>(dz[t + 1], WsT) : undefined, () => zeros);
    // (L6) ∂L/∂c_t = ∂L/∂h_t ⊙ o_t ⊙ tanh'(c_t) + ∂L/∂c_{t+1} ⊙ f_{t+1}: the second term is the cell
    // state's own path, on which nothing but the forget gate scales the gradient.
    const dcHere = tf.mul<tf.Tensor2D>(dh[t], tf.mul(o, tanhSlope(tanhC)));
    dc = fromNext ? tf.add<tf.Tensor2D>(dcHere, tf.mul(dc, cache.gates[t + 1].f)) : dcHere;
    // (L7) the gates' pre-activations, in (i, f, c, o) order:
    //   δz_i = ∂L/∂c_t ⊙ g_t ⊙ σ'(z_i),  δz_f = ∂L/∂c_t ⊙ c_{t−1} ⊙ σ'(z_f),
    //   δz_c = ∂L/∂c_t ⊙ i_t ⊙ tanh'(z_c),  δz_o = ∂L/∂h_t ⊙ tanh(c_t) ⊙ σ'(z_o).
    dz[t] = tf.concat(
      [
        tf.mul(tf.mul(dc, g), sigmoidSlope(i)),
        tf.mul(tf.mul(dc, cPrev), sigmoidSlope(f)),
        tf.mul(tf.mul(dc, i), tanhSlope(g)),
        tf.mul(tf.mul(dh[t], tanhC), sigmoidSlope(o)),
      ],
      1,
    ) as tf.Tensor2D;
  }
  return { dh, dz };
}

/**
 * (L5)–(L7) and the products of (L8): ∂L/∂h_t, δz_t and the states one step behind δz_t (h_0 = 0 or carried in),
 * from the readout's share `outputTerm` of each ∂L/∂h_t. (L9) dWx = Σ_t x_tᵀ·δz_t, dbs = Σ_t δz_t. Call inside a tidy.
 */
export const backwardParts: BackwardPartsOf<LstmCache> = (p, cache, outputTerm, options = {}) => {
  const { initial, tbptt } = options;
  const { dh, dz } = throughTime(p, cache, outputTerm, tbptt, initial?.c);
  const T = dz.length;
  const previous = tf.concat([initial?.h ?? tf.zerosLike(cache.steps[0]), ...cache.steps.slice(0, T - 1)], 0);
  const dZ = tf.concat(dz, 0) as tf.Tensor2D;
  return { dh, dz: dZ, recurrent: [{ left: previous, right: dZ }] }; // (L8) dWs = Σ_t h_{t−1}ᵀ·δz_t
};

/** The gradient of `loss` with respect to every parameter, by backpropagation through time. */
export const backward: CellEngine<LstmCache>['backward'] = backwardOf(backwardParts);

/** Forward, loss and backward in one call; only the loss and the gradients outlive it. */
export const lossAndGrads = lossAndGradsOf(forward, backward);

export const lstm: CellEngine<LstmCache> = {
  forward,
  backward,
  lossAndGrads,
  backwardParts,
  stateGradients: (p, cache, outputTerm) => throughTime(p, cache, outputTerm).dh,
  // (L1) with h_{t−1}·Ws once per state, then added to each input's term; c_{t−1} repeated to match.
  extend: (p, prev, a) => {
    const { h, c } = cellStep(everyPair(tf.matMul(prev.h, p.Ws as tf.Tensor2D), a), repeatRows(prev.c!, a.shape[0]));
    return { h, c };
  },
  initialState: (p, n) => ({ h: tf.zeros([n, p.Ws.shape[0]]), c: tf.zeros([n, p.Ws.shape[0]]) }),
  finalState: (cache) => ({ h: cache.steps[cache.steps.length - 1], c: cache.gates[cache.gates.length - 1].c }),
};
