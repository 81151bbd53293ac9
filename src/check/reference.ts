// The network and its loss once more, in float64 on plain numbers and without tensors: the yardstick that
// central finite differences are taken on (src/check/gradcheck.ts). Same conventions as src/engine/elman.ts.
import { SequenceBatch } from '../data/sequences';
import { LossName } from '../engine/loss';
import { mapParams, Params } from '../engine/params';

/** Parameters (or gradients) as nested arrays in their shapes: Wx [I][H], Ws [H][H], bs [H], Wy [H][1], by [1]. */
export interface PlainParams {
  Wx: number[][];
  Ws: number[][];
  bs?: number[];
  Wy: number[][];
  by?: number[];
}

/** Reads tensors into nested arrays; float32 values become float64 exactly. */
export function plainParams(p: Params): PlainParams {
  return mapParams(p, (t) => t.arraySync()) as PlainParams;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** ln(1 + e^z) without overflow for large z. */
const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/** (L) for one step, from the logit o: mse ½(y − σ(o))², bce softplus(o) − y·o = −[y ln ŷ + (1−y) ln(1−ŷ)]. */
function stepLoss(y: number, o: number, kind: LossName): number {
  return kind === 'mse' ? 0.5 * (y - sigmoid(o)) ** 2 : softplus(o) - y * o;
}

/**
 * Beyond whole sequences from s_0 = 0: a state carried in, and the truncated objective. With `tbptt` K, the
 * state entering each window of K steps is not recomputed from these weights but taken from a forward pass of
 * `frozen` (the unperturbed weights): each window sees a fixed incoming state, which is what truncated BPTT
 * differentiates, and its finite differences are then well defined.
 */
export interface ReferenceOptions {
  /** s_0 per sequence, [B][H]; zeros when absent. */
  initial?: number[][];
  tbptt?: number;
  frozen?: PlainParams;
}

/** (F1) for every step of every sequence: states[b][t] = s_{t+1} of sequence b. */
function referenceStates(p: PlainParams, data: SequenceBatch, options: ReferenceOptions): number[][][] {
  const { batch: B, steps: T, inputs: I, x } = data;
  const H = p.Ws.length;
  const entering = options.tbptt !== undefined && options.frozen ? referenceStates(options.frozen, data, { initial: options.initial }) : undefined;
  const all: number[][][] = [];
  for (let b = 0; b < B; b++) {
    let s = options.initial?.[b] ?? new Array<number>(H).fill(0);
    const states: number[][] = [];
    for (let t = 0; t < T; t++) {
      if (entering && t > 0 && t % options.tbptt! === 0) s = entering[b][t - 1];
      const i = b * T + t;
      const next = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        // (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs)
        let net = p.bs ? p.bs[j] : 0;
        for (let k = 0; k < I; k++) net += x[I * i + k] * p.Wx[k][j];
        for (let k = 0; k < H; k++) net += s[k] * p.Ws[k][j];
        next[j] = sigmoid(net);
      }
      states.push(next);
      s = next;
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
      // (F2) ŷ_t = σ(o_t), o_t = s_t·Wy + by
      let o = p.by ? p.by[0] : 0;
      states[b][t].forEach((s, j) => (o += s * p.Wy[j][0]));
      total += m * stepLoss(y[i], o, kind);
      counted += m;
    }
  }
  return total / Math.max(counted, 1);
}
