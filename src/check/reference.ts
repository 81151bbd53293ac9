// Each cell and the loss once more, in float64 on plain numbers and without tensors: the yardstick that central
// finite differences are taken on (src/check/gradcheck.ts). Same equations as src/engine/elman.ts, lstm.ts, gru.ts,
// written out independently of them.
import { SequenceBatch } from '../data/sequences';
import { LossName } from '../engine/loss';
import { CellName, cellWithGates, convertParams, Params, PlainParams } from '../engine/params';

/** Reads tensors into nested arrays; float32 values become float64 exactly. */
export function plainParams(p: Params): PlainParams {
  return convertParams(
    p,
    (m) => m.arraySync(),
    (v) => v.arraySync(),
  );
}

/** σ(z) = 1/(1 + e^(−z)) in float64. */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** ln(1 + e^z) without overflow for large z. */
const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/** (L) for one step, from the logit o: mse ½(y − σ(o))², bce softplus(o) − y·o = −[y ln ŷ + (1−y) ln(1−ŷ)]. */
function stepLoss(y: number, o: number, kind: LossName): number {
  return kind === 'mse' ? 0.5 * (y - sigmoid(o)) ** 2 : softplus(o) - y * o;
}

type Vector = number[];

/** v·M for a row vector v [K] and M [K][C], columns from `from` to `from + count`. */
function rowTimes(v: Vector, M: number[][], from: number, count: number): Vector {
  const out = new Array<number>(count).fill(0);
  for (let k = 0; k < v.length; k++) for (let j = 0; j < count; j++) out[j] += v[k] * M[k][from + j];
  return out;
}

/** x_t·Wx + bs, [G·H], for the I inputs at x[at …]. */
function inputTerm(p: PlainParams, x: ArrayLike<number>, at: number): Vector {
  const GH = p.Wx[0].length;
  const out = p.bs ? [...p.bs] : new Array<number>(GH).fill(0);
  p.Wx.forEach((row, k) => row.forEach((w, j) => (out[j] += x[at + k] * w)));
  return out;
}

/** A cell's state: h_t, and c_t for the LSTM. */
interface State {
  h: Vector;
  c: Vector;
}

/** A state carried into a batch, per sequence: h_0 [B][H], and the LSTM's c_0 [B][H] (zeros when absent). */
export interface PlainState {
  h: number[][];
  c?: number[][];
}

/** One step of each cell: the state after input term a = x_t·Wx + bs. */
const STEPS: Record<CellName, (p: PlainParams, a: Vector, prev: State) => State> = {
  // (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs)
  elman: (p, a, prev) => {
    const r = rowTimes(prev.h, p.Ws, 0, a.length);
    return { h: a.map((v, j) => sigmoid(v + r[j])), c: prev.c };
  },
  // (L1)–(L4) in tfjs-layers' gate order (i, f, c, o)
  lstm: (p, a, prev) => {
    const H = prev.h.length;
    const z = rowTimes(prev.h, p.Ws, 0, 4 * H).map((v, j) => v + a[j]);
    const c = prev.c.map((cp, j) => sigmoid(z[H + j]) * cp + sigmoid(z[j]) * Math.tanh(z[2 * H + j]));
    return { h: c.map((v, j) => sigmoid(z[3 * H + j]) * Math.tanh(v)), c };
  },
  // (G1)–(G4) in tfjs-layers' gate order (z, r, h), reset before the recurrent product (reset_after = false)
  gru: (p, a, prev) => {
    const H = prev.h.length;
    const u = rowTimes(prev.h, p.Ws, 0, 2 * H);
    const z = u.slice(0, H).map((v, j) => sigmoid(v + a[j]));
    const r = u.slice(H).map((v, j) => sigmoid(v + a[H + j]));
    const uh = rowTimes(prev.h.map((v, j) => r[j] * v), p.Ws, 2 * H, H);
    const hh = uh.map((v, j) => Math.tanh(v + a[2 * H + j]));
    return { h: hh.map((v, j) => z[j] * prev.h[j] + (1 - z[j]) * v), c: prev.c };
  },
};

/** The cell of a parameter set: Ws [H][G·H]. */
export function plainCell(p: PlainParams): CellName {
  const cell = cellWithGates(p.Ws[0].length / p.Ws.length);
  if (cell === undefined) throw new Error(`no cell has a recurrent kernel of ${p.Ws.length} × ${p.Ws[0].length}`);
  return cell;
}

/**
 * Beyond whole sequences from a zero state: a state carried in, and the truncated objective. With `tbptt` K, the
 * state entering each window of K steps is not recomputed from these weights but taken from a forward pass of
 * `frozen` (the unperturbed weights): each window sees a fixed incoming state, which is what truncated BPTT
 * differentiates, and its finite differences are then well defined.
 */
export interface ReferenceOptions {
  /** h_0 (the Elman cell's s_0) and the LSTM's c_0 per sequence, [B][H] each; zeros when absent. */
  initial?: PlainState;
  tbptt?: number;
  frozen?: PlainParams;
}

/** Every step's state of every sequence: states[b][t] is the state after step t (0-based) of sequence b. */
function referenceStates(p: PlainParams, data: SequenceBatch, options: ReferenceOptions): State[][] {
  const { batch: B, steps: T, x } = data;
  const H = p.Ws.length;
  const I = p.Wx.length;
  const step = STEPS[plainCell(p)];
  const { tbptt, frozen, initial } = options;
  const entering = tbptt !== undefined && frozen ? referenceStates(frozen, data, { initial }) : undefined;
  const all: State[][] = [];
  for (let b = 0; b < B; b++) {
    const zeros = new Array<number>(H).fill(0);
    let state: State = { h: initial?.h[b] ?? zeros, c: initial?.c?.[b] ?? zeros };
    const states: State[] = [];
    for (let t = 0; t < T; t++) {
      if (entering && t > 0 && t % tbptt! === 0) state = entering[b][t - 1];
      state = step(p, inputTerm(p, x, I * (b * T + t)), state);
      states.push(state);
    }
    all.push(states);
  }
  return all;
}

/** The loss of a batch in the model's layout (x [B,T,I], y [B,T,1]), mean over the steps that carry one (L). */
export function referenceLoss(p: PlainParams, data: SequenceBatch, kind: LossName, options: ReferenceOptions = {}): number {
  const { batch: B, steps: T, y, mask } = data;
  const states = referenceStates(p, data, options);
  let total = 0;
  let counted = 0;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      const m = mask ? mask[i] : 1;
      if (m === 0) continue;
      // (F2) ŷ_t = σ(o_t), o_t = h_t·Wy + by
      let o = p.by ? p.by[0] : 0;
      states[b][t].h.forEach((h, j) => (o += h * p.Wy[j][0]));
      total += m * stepLoss(y[i], o, kind);
      counted += m;
    }
  }
  return total / Math.max(counted, 1);
}
