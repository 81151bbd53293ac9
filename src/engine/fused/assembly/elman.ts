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

import { MSE, rowTimesColumns, sigmoid4, sum4 } from './simd';

export { arenaStart } from './simd';

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

// Evaluation: four sequences (or prefixes) at once, one in each lane. A state block holds H v128, unit k of the
// four in row k, so (F1)'s product is a plain matrix product with the weights splatted once: no shuffles, and four
// columns at a time into four independent sums. The weights are splatted into `splats` by splatWeights first.

/** Where splatWeights puts each weight, in v128 from `splats`: Ws [H, H], Wx [2, H], bs [H], Wy [H]. */
// @ts-ignore: decorator
@inline function wsAt(splats: usize, H: usize, k: usize, j: usize): usize { return splats + ((k * H + j) << 4); }
// @ts-ignore: decorator
@inline function wxAt(splats: usize, H: usize, i: usize, j: usize): usize { return splats + ((H * H + i * H + j) << 4); }
// @ts-ignore: decorator
@inline function bsAt(splats: usize, H: usize, j: usize): usize { return splats + ((H * H + 2 * H + j) << 4); }
// @ts-ignore: decorator
@inline function wyAt(splats: usize, H: usize, j: usize): usize { return splats + ((H * H + 3 * H + j) << 4); }

/** Every weight splatted into a v128 of its own (H·H + 4·H of them): the layout of wsAt … wyAt. */
export function splatWeights(H: i32, Wx: usize, Ws: usize, bs: usize, Wy: usize, splats: usize): void {
  const h = <usize>H;
  for (let k: usize = 0; k < h; k++) {
    for (let j: usize = 0; j < h; j++) v128.store(wsAt(splats, h, k, j), f32x4.splat(load<f32>(Ws + ((k * h + j) << 2))));
  }
  for (let j: usize = 0; j < h; j++) {
    v128.store(wxAt(splats, h, 0, j), f32x4.splat(load<f32>(Wx + (j << 2))));
    v128.store(wxAt(splats, h, 1, j), f32x4.splat(load<f32>(Wx + ((h + j) << 2))));
    v128.store(bsAt(splats, h, j), f32x4.splat(load<f32>(bs + (j << 2))));
    v128.store(wyAt(splats, h, j), f32x4.splat(load<f32>(Wy + (j << 2))));
  }
}

/** s_{t−1}·Ws for a block of four states, into out [H] (a v128 per unit): four columns a round, four sums. */
// @ts-ignore: decorator
@inline function recurrentBlock(s: usize, splats: usize, H: usize, out: usize): void {
  for (let j: usize = 0; j < H; j += 4) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let k: usize = 0; k < H; k++) {
      const sk = v128.load(s + (k << 4));
      const w = wsAt(splats, H, k, j);
      a0 = f32x4.add(a0, f32x4.mul(sk, v128.load(w)));
      a1 = f32x4.add(a1, f32x4.mul(sk, v128.load(w, 16)));
      a2 = f32x4.add(a2, f32x4.mul(sk, v128.load(w, 32)));
      a3 = f32x4.add(a3, f32x4.mul(sk, v128.load(w, 48)));
    }
    v128.store(out + (j << 4), a0);
    v128.store(out + (j << 4), a1, 16);
    v128.store(out + (j << 4), a2, 32);
    v128.store(out + (j << 4), a3, 48);
  }
}

/** x_t·Wx + bs for the four lanes' inputs [a, b], unit j. The prefix levels take the same sum, so they agree to the bit. */
// @ts-ignore: decorator
@inline function inputTerm(a: v128, b: v128, splats: usize, H: usize, j: usize): v128 {
  return f32x4.add(f32x4.add(f32x4.mul(a, v128.load(wxAt(splats, H, 0, j))), f32x4.mul(b, v128.load(wxAt(splats, H, 1, j)))), v128.load(bsAt(splats, H, j)));
}

/** (F2) ŷ = σ(s·Wy + by) of a block's four states. */
// @ts-ignore: decorator
@inline function readoutBlock(s: usize, splats: usize, H: usize, by: f32): v128 {
  let o = f32x4.splat(by);
  let other = f32x4.splat(0);
  for (let j: usize = 0; j < H; j += 2) {
    o = f32x4.add(o, f32x4.mul(v128.load(s + (j << 4)), v128.load(wyAt(splats, H, j))));
    other = f32x4.add(other, f32x4.mul(v128.load(s + (j << 4), 16), v128.load(wyAt(splats, H, j), 16)));
  }
  return sigmoid4(f32x4.add(o, other));
}

/** Four lanes' values to yhat + 4·(i + l·stride) for lane l. */
// @ts-ignore: decorator
@inline function scatter4(v: v128, yhat: usize, i: usize, stride: usize): void {
  store<f32>(yhat + (i << 2), f32x4.extract_lane(v, 0));
  store<f32>(yhat + ((i + stride) << 2), f32x4.extract_lane(v, 1));
  store<f32>(yhat + ((i + 2 * stride) << 2), f32x4.extract_lane(v, 2));
  store<f32>(yhat + ((i + 3 * stride) << 2), f32x4.extract_lane(v, 3));
}

/**
 * ŷ [B·T] of the forward pass for x [B, T, 2], B a multiple of 4 (the host pads the batch), from splatWeights'
 * splats: the evaluation's forward, which keeps no states. Scratch: two blocks of H v128 and one for the products.
 */
export function predict(B: i32, T: i32, H: i32, by: f32, splats: usize, x: usize, yhat: usize, scratch: usize): void {
  const h = <usize>H;
  const row = h << 4;
  for (let b: usize = 0; b < <usize>B; b += 4) {
    let s = scratch;
    let sNext = scratch + row;
    const products = scratch + 2 * row;
    for (let t: usize = 0; t < <usize>T; t++) {
      const at = x + ((b * <usize>T + t) << 3);
      const stride = <usize>T << 3;
      let xa = f32x4.splat(load<f32>(at));
      xa = f32x4.replace_lane(xa, 1, load<f32>(at + stride));
      xa = f32x4.replace_lane(xa, 2, load<f32>(at + 2 * stride));
      xa = f32x4.replace_lane(xa, 3, load<f32>(at + 3 * stride));
      let xb = f32x4.splat(load<f32>(at, 4));
      xb = f32x4.replace_lane(xb, 1, load<f32>(at + stride, 4));
      xb = f32x4.replace_lane(xb, 2, load<f32>(at + 2 * stride, 4));
      xb = f32x4.replace_lane(xb, 3, load<f32>(at + 3 * stride, 4));
      // (F1) s_t = σ(s_{t−1}·Ws + x_t·Wx + bs), s_0 = 0
      if (t > 0) recurrentBlock(s, splats, h, products);
      else memory.fill(products, 0, row);
      for (let j: usize = 0; j < h; j++) {
        v128.store(sNext + (j << 4), sigmoid4(f32x4.add(v128.load(products + (j << 4)), inputTerm(xa, xb, splats, h, j))));
      }
      scatter4(readoutBlock(sNext, splats, h, by), yhat, b * <usize>T + t, <usize>T);
      const swap = s;
      s = sNext;
      sNext = swap;
    }
  }
}

/**
 * The exhaustive check's prefix levels (src/eval/exhaustive.ts), from splatWeights' splats: ŷ of every prefix of
 * every pair of bits-wide operands, into yhat level after level (4 outputs of step 0, 16 of step 1, …, 4^bits of
 * step bits−1, then 4^bits of the last step, whose input is [0, 0]), each level in the natural order: prefix q
 * extends q >> 2 by the input code q & 3 = 2a + b. A state block holds the four prefixes that differ in their first
 * input only (lane = its code): the block of rest r extended by code c is block 4r + c, in the same lanes, so the
 * levels need no transposes, and lane l of block r is prefix l·4^(t−1) + r of level t. Scratch: states of
 * 4^(bits−1) blocks twice, and six blocks: the products, the last step's state, and the four codes' x·Wx + bs.
 */
export function prefixLevels(bits: i32, H: i32, by: f32, splats: usize, yhat: usize, even: usize, odd: usize, scratch: usize): void {
  const h = <usize>H;
  const row = h << 4;
  const products = scratch;
  const last = scratch + row;
  const terms = scratch + 2 * row;
  // x·Wx + bs of code c, unit j, splatted, at terms + (c·H + j)·16; and of the four codes in the lanes for step 0.
  for (let c: usize = 0; c < 4; c++) {
    const a = f32x4.splat(<f32>(c >> 1));
    const b = f32x4.splat(<f32>(c & 1));
    for (let j: usize = 0; j < h; j++) v128.store(terms + ((c * h + j) << 4), inputTerm(a, b, splats, h, j));
  }
  // Step 0: the empty prefix (s_0 = 0) extended by code l in lane l.
  for (let j: usize = 0; j < h; j++) {
    let net = v128.load(terms + (j << 4));
    net = f32x4.replace_lane(net, 1, f32x4.extract_lane(v128.load(terms + ((h + j) << 4)), 0));
    net = f32x4.replace_lane(net, 2, f32x4.extract_lane(v128.load(terms + ((2 * h + j) << 4)), 0));
    net = f32x4.replace_lane(net, 3, f32x4.extract_lane(v128.load(terms + ((3 * h + j) << 4)), 0));
    v128.store(even + (j << 4), sigmoid4(net));
  }
  scatter4(readoutBlock(even, splats, h, by), yhat, 0, 1);
  let out = yhat + 16;
  let prev = even;
  let next = odd;
  let blocks: usize = 1;
  // Steps 1 … bits−1 extend every block by the four codes; the last step extends it by [0, 0] alone, and its states
  // are read out at once, not kept.
  for (let t = 1; t <= bits; t++) {
    const codes: usize = t < bits ? 4 : 1;
    const stride = blocks * codes; // a level's prefixes per lane
    for (let r: usize = 0; r < blocks; r++) {
      // (F1) s_t = σ(s_{t−1}·Ws + x_t·Wx + bs): s_{t−1}·Ws once for the block's children
      recurrentBlock(prev + r * row, splats, h, products);
      for (let c: usize = 0; c < codes; c++) {
        const child = t < bits ? next + (r * codes + c) * row : last;
        const term = terms + ((c * h) << 4);
        for (let j: usize = 0; j < h; j++) {
          v128.store(child + (j << 4), sigmoid4(f32x4.add(v128.load(products + (j << 4)), v128.load(term + (j << 4)))));
        }
        // (F2) ŷ_t = σ(s_t·Wy + by)
        scatter4(readoutBlock(child, splats, h, by), out, r * codes + c, stride);
      }
    }
    out += (stride * 4) << 2;
    blocks = stride;
    const swap = prev;
    prev = next;
    next = swap;
  }
}
