// The Elman cell's forward and backward pass over a whole batch, as tight loops compiled to WebAssembly SIMD
// (AssemblyScript). The same equations as src/engine/elman.ts, labelled as in docs/bptt.md: (F1) (F2) forward,
// (B1)…(B8) backward. The host (src/engine/fused/kernel.ts) lays out every array in this module's memory and
// passes their byte offsets.
//
// Shape letters: B = batch size, T = time steps, H = hidden size, a multiple of 4 (one v128 = 4 units): the host
// pads the network with zero-weight units, whose states never reach a real unit or the output.
// Layouts, all float32, row-major:
//   Wx [2, H], Ws [H, H], bs [H], Wy [H] (the column Wy [H, 1]), by: a number;
//   x [B, T, 2] and y [B, T] batch-major, as the model's input and target;
//   S [T, B, H] time-major: s_t of sequence b at (t·B + b)·H, so a step is one block of B rows;
//   logits and yhat [B, T]: o_t and ŷ_t = σ(o_t).
// No biases is biases held at 0 by the host.

import { rowTimesColumns, sigmoid4, sum4 } from './simd';

export { arenaStart } from './simd';

const MSE: i32 = 0;

/** Fills S, logits and yhat from the weights and x. */
export function forward(
  B: i32, T: i32, H: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, S: usize, logits: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const xt = x + ((<usize>(b * T + t)) << 3);
      const xa = f32x4.splat(load<f32>(xt));
      const xb = f32x4.splat(load<f32>(xt, 4));
      const s = S + <usize>(t * B + b) * row;
      const sPrev = s - <usize>B * row;
      // (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0 (so the first step has no s_{t−1}·Ws)
      for (let j: usize = 0; j < row; j += 16) {
        const net = f32x4.add(v128.load(bs + j), f32x4.add(f32x4.mul(xa, v128.load(Wx + j)), f32x4.mul(xb, v128.load(Wx + row + j))));
        v128.store(s + j, sigmoid4(t > 0 ? rowTimesColumns(net, sPrev, row, Ws, row, j) : net));
      }
      // (F2) ŷ_t = σ(o_t), o_t = s_t·Wy + by
      let o = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(s + j), v128.load(Wy + j)));
      store<f32>(logits + (<usize>(b * T + t) << 2), sum4(o) + by);
    }
  }
  // (F2)'s σ once over all the logits, four at a time
  const N = <usize>(B * T) << 2;
  let i: usize = 0;
  for (; i + 16 <= N; i += 16) v128.store(yhat + i, sigmoid4(v128.load(logits + i)));
  for (; i < N; i += 4) store<f32>(yhat + i, f32x4.extract_lane(sigmoid4(f32x4.splat(load<f32>(logits + i))), 0));
}

/**
 * Adds up the gradient of the batch-mean loss (L) into dWx [2, H], dWs [H, H], dbs [H], dWy [H] and dby [1],
 * from forward's S and yhat. lossKind 0 is mse, 1 is bce. Scratch: WsT [H, H], and δ_t and δ_{t+1} [B, H] each.
 */
export function backward(
  B: i32, T: i32, H: i32, lossKind: i32,
  Ws: usize, Wy: usize, x: usize, y: usize, S: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize,
  WsT: usize, delta: usize, deltaNext: usize,
): void {
  const row = <usize>H << 2;
  memory.fill(dWx, 0, 2 * row);
  memory.fill(dWs, 0, <usize>H * row);
  memory.fill(dbs, 0, row);
  memory.fill(dWy, 0, row);
  for (let k = 0; k < H; k++) {
    for (let j = 0; j < H; j++) store<f32>(WsT + <usize>(j * H + k) * 4, load<f32>(Ws + <usize>(k * H + j) * 4));
  }
  const invN: f32 = 1 / <f32>(B * T);
  let dbyTotal: f32 = 0;
  const one = f32x4.splat(1);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const at = <usize>(b * T + t) << 2;
      const s = S + <usize>(t * B + b) * row;
      const d = delta + <usize>b * row;
      const dNext = deltaNext + <usize>b * row;
      // (B1) δo_t = (ŷ_t − y_t)·ŷ_t(1 − ŷ_t)/N for mse, (ŷ_t − y_t)/N for bce
      const yh = load<f32>(yhat + at);
      const err = yh - load<f32>(y + at);
      const dO = (lossKind == MSE ? err * yh * (1 - yh) : err) * invN;
      const dOv = f32x4.splat(dO);
      // (B3) dby = Σ_t δo_t
      dbyTotal += dO;
      for (let j: usize = 0; j < row; j += 16) {
        const sj = v128.load(s + j);
        // (B2) dWy = Σ_t s_tᵀ·δo_t
        v128.store(dWy + j, f32x4.add(v128.load(dWy + j), f32x4.mul(sj, dOv)));
        // (B4) ∂L/∂s_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ, δ_{T+1} = 0
        let ds = f32x4.mul(dOv, v128.load(Wy + j));
        if (t < T - 1 && !isDefined(MUTANT_DROP_RECURRENT_TERM)) ds = rowTimesColumns(ds, dNext, row, WsT, row, j);
        // (B5) δ_t = ∂L/∂s_t ⊙ s_t(1 − s_t)
        v128.store(d + j, f32x4.mul(ds, f32x4.mul(sj, f32x4.sub(one, sj))));
      }
      // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t, s_0 = 0
      if (t > 0) {
        const sPrev = s - <usize>B * row;
        for (let k: usize = 0; k < row; k += 4) {
          const sk = f32x4.splat(load<f32>(sPrev + k));
          const dWsRow = dWs + k * <usize>H;
          for (let j: usize = 0; j < row; j += 16) {
            v128.store(dWsRow + j, f32x4.add(v128.load(dWsRow + j), f32x4.mul(sk, v128.load(d + j))));
          }
        }
      }
      // (B7) dWx = Σ_t x_tᵀ·δ_t;  (B8) dbs = Σ_t δ_t
      const xt = x + ((<usize>(b * T + t)) << 3);
      const xa = f32x4.splat(load<f32>(xt));
      const xb = f32x4.splat(load<f32>(xt, 4));
      for (let j: usize = 0; j < row; j += 16) {
        const dj = v128.load(d + j);
        v128.store(dWx + j, f32x4.add(v128.load(dWx + j), f32x4.mul(xa, dj)));
        v128.store(dWx + row + j, f32x4.add(v128.load(dWx + row + j), f32x4.mul(xb, dj)));
        v128.store(dbs + j, f32x4.add(v128.load(dbs + j), dj));
      }
    }
    const swap = delta;
    delta = deltaNext;
    deltaNext = swap;
  }
  store<f32>(dby, dbyTotal);
}

/**
 * One level of the exhaustive check (src/eval/exhaustive.ts): each of the n prefix states in `prev` [n, H]
 * extended by each of the first `inputs` input codes, into next [n·inputs, H] (row q·inputs + c) and their
 * outputs yhat [n·inputs]. inputTerms [4, H] holds x·Wx + bs for the four inputs, in code order.
 */
export function extendPrefixes(
  n: i32, inputs: i32, H: i32,
  Ws: usize, inputTerms: usize, Wy: usize, by: f32,
  prev: usize, next: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  for (let q = 0; q < n; q++) {
    const s = prev + <usize>q * row;
    const children = next + <usize>(q * inputs) * row;
    // (F1) s_t = σ(x_t·Wx + s_{t−1}·Ws + bs): s_{t−1}·Ws once, shared by the children
    for (let j: usize = 0; j < row; j += 16) {
      const recurrent = rowTimesColumns(f32x4.splat(0), s, row, Ws, row, j);
      for (let c = 0; c < inputs; c++) {
        const at = <usize>c * row + j;
        v128.store(children + at, sigmoid4(f32x4.add(recurrent, v128.load(inputTerms + at))));
      }
    }
    // (F2) ŷ_t = σ(s_t·Wy + by)
    for (let c = 0; c < inputs; c++) {
      const child = children + <usize>c * row;
      let o = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(child + j), v128.load(Wy + j)));
      store<f32>(yhat + (<usize>(q * inputs + c) << 2), f32x4.extract_lane(sigmoid4(f32x4.splat(sum4(o) + by)), 0));
    }
  }
}
