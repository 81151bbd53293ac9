// The network and its loss once more, in float64 on plain numbers and without tensors: the yardstick that
// central finite differences are taken on (src/check/gradcheck.ts). Same conventions as src/engine/elman.ts.
import { EncodedBatch } from '../data/bits';
import { LossName } from '../engine/loss';
import { convertParams, Params, PlainParams } from '../engine/params';

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

/** The loss of a batch in the model's layout (x [B,T,2], y [B,T,1]), mean over N = B·T. */
export function referenceLoss(p: PlainParams, data: EncodedBatch, kind: LossName): number {
  const { batch: B, steps: T, x, y } = data;
  const H = p.Ws.length;
  let total = 0;
  for (let b = 0; b < B; b++) {
    let s = new Array<number>(H).fill(0); // s_0 = 0
    for (let t = 0; t < T; t++) {
      const i = b * T + t;
      const next = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        // (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs)
        let net = x[2 * i] * p.Wx[0][j] + x[2 * i + 1] * p.Wx[1][j] + (p.bs ? p.bs[j] : 0);
        for (let k = 0; k < H; k++) net += s[k] * p.Ws[k][j];
        next[j] = sigmoid(net);
      }
      s = next;
      // (F2) ŷ_t = σ(o_t), o_t = s_t·Wy + by
      let o = p.by ? p.by[0] : 0;
      for (let j = 0; j < H; j++) o += s[j] * p.Wy[j][0];
      total += stepLoss(y[i], o, kind);
    }
  }
  return total / (B * T);
}
