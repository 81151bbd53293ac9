// A recurrent layer's forward written twice more, as the fused kernels' layer path is checked against it: on tfjs
// tensors (for tf.grad) and on float64 numbers (for finite differences). The loss is L = Σ_{b,t,j} R[b,t,j]·h_t[j]
// for a fixed random R [B, T, H], so that ∂L/∂h_t = R: the upstream gradient a layer receives (zero rows but the
// last for a loss on the last step only). The equations are docs/bptt.md's (F1) with f, docs/lstm.md's (L1)–(L4)
// and docs/gru.md's (U1)–(U4) with the layer's activations.
import * as tf from '@tensorflow/tfjs-core';
import { relativeError } from '../../src/check/gradcheck';
import { seededRng } from '../../src/data/sample';
import { ActivationName } from '../../src/engine/fused/capabilities';
import { CellWeights, LayerOptions } from '../../src/engine/fused/contract';

export type LayerCell = 'elman' | 'lstm' | 'gru';
export const LAYER_GATES: Record<LayerCell, number> = { elman: 1, lstm: 4, gru: 3 };

/** One random layer problem: weights, input, initial state, upstream gradient, and what the layer is set to. */
export interface LayerProblem {
  cell: LayerCell;
  B: number;
  T: number;
  I: number;
  H: number;
  w: CellWeights;
  x: Float32Array;
  /** ∂L/∂h_t, [B, T, H]. */
  R: Float32Array;
  options: LayerOptions;
}

export interface LayerShape {
  cell: LayerCell;
  B: number;
  T: number;
  I: number;
  H: number;
  bias: boolean;
  activation: ActivationName;
  recurrentActivation?: ActivationName;
  /** h_0 (and c_0) given, or zeros. */
  initial: boolean;
  /** R on every step, or on the last only (returnSequences false). */
  lastOnly: boolean;
  seed: number;
  /** The weights' range: uniform(−scale, scale). */
  scale?: number;
}

export function layerProblem(s: LayerShape): LayerProblem {
  const rng = seededRng(s.seed);
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
  const G = LAYER_GATES[s.cell];
  const scale = s.scale ?? 1 / Math.sqrt(s.H);
  const w: CellWeights = { Wx: uniform(s.I * G * s.H, scale), Ws: uniform(s.H * G * s.H, scale) };
  if (s.bias) w.bs = uniform(G * s.H, scale);
  const R = uniform(s.B * s.T * s.H, 1);
  if (s.lastOnly) {
    for (let b = 0; b < s.B; b++) R.fill(0, b * s.T * s.H, (b * s.T + s.T - 1) * s.H);
  }
  const options: LayerOptions = { activation: s.activation, recurrentActivation: s.recurrentActivation };
  if (s.initial) {
    options.initial = { h: uniform(s.B * s.H, 0.5) };
    if (s.cell === 'lstm') options.initial.c = uniform(s.B * s.H, 0.5);
  }
  return { cell: s.cell, B: s.B, T: s.T, I: s.I, H: s.H, w, x: uniform(s.B * s.T * s.I, 1), R, options };
}

function activate(kind: ActivationName, z: tf.Tensor2D): tf.Tensor2D {
  if (kind === 'tanh') return tf.tanh(z);
  if (kind === 'hardSigmoid') return tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1) as tf.Tensor2D;
  return tf.sigmoid(z);
}

/** The tensors tf.grad differentiates: the weights, x and the initial state, by name. */
export type LayerInputs = Record<string, tf.Tensor>;

export function layerInputs(p: LayerProblem): LayerInputs {
  const G = LAYER_GATES[p.cell];
  const inputs: LayerInputs = {
    Wx: tf.tensor2d(p.w.Wx, [p.I, G * p.H]),
    Ws: tf.tensor2d(p.w.Ws, [p.H, G * p.H]),
    x: tf.tensor3d(p.x, [p.B, p.T, p.I]),
  };
  if (p.w.bs) inputs.bs = tf.tensor1d(p.w.bs);
  if (p.options.initial) {
    inputs.h0 = tf.tensor2d(p.options.initial.h, [p.B, p.H]);
    if (p.options.initial.c) inputs.c0 = tf.tensor2d(p.options.initial.c, [p.B, p.H]);
  }
  return inputs;
}

/** h_t of every step on tensors, [B, T, H]. */
export function tensorStates(p: LayerProblem, v: LayerInputs): tf.Tensor3D {
  const { B, T, H } = p;
  const { activation, recurrentActivation = 'sigmoid' } = p.options;
  let h: tf.Tensor2D = (v.h0 as tf.Tensor2D) ?? tf.zeros([B, H]);
  let c: tf.Tensor2D = (v.c0 as tf.Tensor2D) ?? tf.zeros([B, H]);
  const states: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    const xt = tf.reshape(tf.slice(v.x, [0, t, 0], [B, 1, p.I]), [B, p.I]) as tf.Tensor2D;
    let a = tf.matMul(xt, v.Wx as tf.Tensor2D);
    if (v.bs) a = tf.add(a, v.bs);
    if (p.cell === 'gru') {
      // (U1)–(U4): the reset gate multiplies h_{t−1} before Uh
      const [Uzr, Uh] = tf.split(v.Ws as tf.Tensor2D, [2 * H, H], 1) as tf.Tensor2D[];
      const [azr, ah] = tf.split(a, [2 * H, H], 1) as tf.Tensor2D[];
      const [z, r] = tf.split(activate(recurrentActivation, tf.add(azr, tf.matMul(h, Uzr))), 2, 1) as tf.Tensor2D[];
      const candidate = activate(activation, tf.add(ah, tf.matMul(tf.mul(r, h), Uh)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate));
      states.push(h);
      continue;
    }
    const z = tf.add(a, tf.matMul(h, v.Ws as tf.Tensor2D)) as tf.Tensor2D;
    if (p.cell === 'elman') {
      h = activate(activation, z);
    } else {
      const [zi, zf, zc, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
      c = tf.add(tf.mul(activate(recurrentActivation, zf), c), tf.mul(activate(recurrentActivation, zi), activate(activation, zc)));
      h = tf.mul(activate(recurrentActivation, zo), activate(activation, c));
    }
    states.push(h);
  }
  return tf.stack(states, 1) as tf.Tensor3D;
}

/** tf.grad of L = Σ R⊙h through tensorStates, for every input by name. */
export function autodiffLayerGrads(p: LayerProblem): Record<string, Float32Array> {
  return tf.tidy(() => {
    const v = layerInputs(p);
    const names = Object.keys(v);
    const R = tf.tensor3d(p.R, [p.B, p.T, p.H]);
    const grads = tf.grads((...xs: tf.Tensor[]) => {
      const byName = Object.fromEntries(names.map((name, i) => [name, xs[i]]));
      return tf.sum(tf.mul(tensorStates(p, byName), R));
    })(names.map((name) => v[name]));
    return Object.fromEntries(names.map((name, i) => [name, grads[i].dataSync() as Float32Array]));
  });
}

const act64 = (kind: ActivationName, z: number): number => {
  if (kind === 'tanh') return Math.tanh(z);
  if (kind === 'hardSigmoid') return Math.min(1, Math.max(0, 0.2 * z + 0.5));
  return 1 / (1 + Math.exp(-z));
};

/** L = Σ R⊙h in float64, for the values by name (the same names as layerInputs). */
function loss64(p: LayerProblem, v: Record<string, Float64Array>): number {
  const { B, T, I, H } = p;
  const G = LAYER_GATES[p.cell];
  const { activation, recurrentActivation = 'sigmoid' } = p.options;
  let L = 0;
  for (let b = 0; b < B; b++) {
    let h = v.h0 ? Array.from(v.h0.subarray(b * H, (b + 1) * H)) : new Array<number>(H).fill(0);
    let c = v.c0 ? Array.from(v.c0.subarray(b * H, (b + 1) * H)) : new Array<number>(H).fill(0);
    for (let t = 0; t < T; t++) {
      const z = new Array<number>(G * H).fill(0);
      // The GRU's candidate block multiplies r_t⊙h_{t−1}, not h_{t−1}: added below, once r_t is known.
      const recurrent = p.cell === 'gru' ? 2 * H : G * H;
      for (let j = 0; j < G * H; j++) {
        let sum = v.bs ? v.bs[j] : 0;
        for (let k = 0; k < I; k++) sum += v.x[(b * T + t) * I + k] * v.Wx[k * G * H + j];
        if (j < recurrent) for (let k = 0; k < H; k++) sum += h[k] * v.Ws[k * G * H + j];
        z[j] = sum;
      }
      if (p.cell === 'gru') {
        const rh = h.map((hk, k) => act64(recurrentActivation, z[H + k]) * hk);
        const prev = h;
        h = prev.map((hj, j) => {
          let ah = z[2 * H + j];
          for (let k = 0; k < H; k++) ah += rh[k] * v.Ws[k * G * H + 2 * H + j];
          const u = act64(recurrentActivation, z[j]);
          return u * hj + (1 - u) * act64(activation, ah);
        });
      } else if (p.cell === 'elman') {
        h = z.map((zj) => act64(activation, zj));
      } else {
        const gate = (q: number, j: number, kind: ActivationName) => act64(kind, z[q * H + j]);
        c = c.map((cj, j) => gate(1, j, recurrentActivation) * cj + gate(0, j, recurrentActivation) * gate(2, j, activation));
        h = c.map((cj, j) => gate(3, j, recurrentActivation) * act64(activation, cj));
      }
      for (let j = 0; j < H; j++) L += p.R[(b * T + t) * H + j] * h[j];
    }
  }
  return L;
}

/** Central finite differences of loss64 in float64 (step `step`), for every input by name. */
export function finiteDifferenceLayerGrads(p: LayerProblem, step = 1e-6): Record<string, Float64Array> {
  const v: Record<string, Float64Array> = {
    Wx: Float64Array.from(p.w.Wx),
    Ws: Float64Array.from(p.w.Ws),
    x: Float64Array.from(p.x),
  };
  if (p.w.bs) v.bs = Float64Array.from(p.w.bs);
  if (p.options.initial) {
    v.h0 = Float64Array.from(p.options.initial.h);
    if (p.options.initial.c) v.c0 = Float64Array.from(p.options.initial.c);
  }
  const grads: Record<string, Float64Array> = {};
  for (const name of Object.keys(v)) {
    const values = v[name];
    grads[name] = values.map((value, i) => {
      values[i] = value + step;
      const up = loss64(p, v);
      values[i] = value - step;
      const down = loss64(p, v);
      values[i] = value;
      return (up - down) / (2 * step);
    });
  }
  return grads;
}

/** The worst entry of `got` against `want` by gradcheck's relative error, where it is, and its values. */
export function worstEntry(want: ArrayLike<number>, got: ArrayLike<number>): { error: number; at: number; want: number; got: number } {
  if (want.length !== got.length) throw new Error(`lengths differ: ${want.length} expected, ${got.length} computed`);
  let worst = { error: 0, at: -1, want: NaN, got: NaN };
  for (let i = 0; i < want.length; i++) {
    const error = relativeError(want[i], got[i]);
    if (error > worst.error) worst = { error, at: i, want: want[i], got: got[i] };
  }
  return worst;
}
