// The Elman cell's forward and backward pass over a whole batch, as tight loops compiled to WebAssembly SIMD
// (AssemblyScript). The same equations as src/engine/elman.ts, labelled as in docs/bptt.md: (F1) (F2) forward,
// (B1)…(B8) backward, and for a layer (src/layers/) the gradient from upstream in place of the readout's, with
// (B9) and (B10), the input's and the initial state's. The host (src/engine/fused/elman-kernel.ts) lays out every
// array in this module's memory and passes their byte offsets.
//
// Shape letters: B = batch size, T = time steps, I = input width, H = hidden size, a multiple of 4 (one v128 = 4
// units): the host pads the network with zero-weight units, whose states never reach a real unit or the output.
// Layouts, all float32, row-major:
//   Wx [I, H], Ws [H, H], bs [H], Wy [H] (the column Wy [H, 1]), by: a number;
//   x [B, T, I] and y [B, T] batch-major, as the model's input and target;
//   S [T, B, H] time-major: s_t of sequence b at (t·B + b)·H, so a step is one block of B rows; h0 [B, H];
//   logits and yhat [B, T]: o_t and ŷ_t = σ(o_t).
// No biases is biases held at 0 by the host. `act` is the activation f of (F1): σ in rnn-adder, tanh in tfjs'
// SimpleRNN (assembly/simd.ts' codes).

import { activate4, MSE, rowTimesColumns, SIGMOID, sigmoid4, sigmoidAll, slope4, sum4, TANH } from './simd';

export { arenaStart } from './simd';

/** Fills S from the weights, x and h0 (offset 0: s_0 = 0), and logits and yhat unless logits is 0 (a layer's call). */
export function forward(
  B: i32, T: i32, H: i32, I: i32, act: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, S: usize, logits: usize, yhat: usize,
): void {
  // One copy of the loops per activation: the optimizer folds each call's constant into its loops.
  if (act == TANH) forwardWith(TANH, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, S, logits, yhat);
  else forwardWith(SIGMOID, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, S, logits, yhat);
}

// @ts-ignore: decorator
@inline function forwardWith(
  act: i32, B: i32, T: i32, H: i32, I: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, S: usize, logits: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const xt = x + (<usize>(b * T + t) * <usize>I << 2);
      const s = S + <usize>(t * B + b) * row;
      const sPrev: usize = t > 0 ? s - <usize>B * row : h0 ? h0 + <usize>b * row : 0;
      // (F1) s_t = f(x_t·Wx + s_{t−1}·Ws + bs), s_0 = 0 or carried in (so a zero s_0 adds no s_{t−1}·Ws):
      // x_t·Wx first, into s_t's row, each x_t[k] splatted once
      for (let k = 0; k < I; k++) {
        const xk = f32x4.splat(load<f32>(xt + (<usize>k << 2)));
        const w = Wx + <usize>k * row;
        if (k == 0) for (let j: usize = 0; j < row; j += 16) v128.store(s + j, f32x4.mul(xk, v128.load(w + j)));
        else for (let j: usize = 0; j < row; j += 16) v128.store(s + j, f32x4.add(v128.load(s + j), f32x4.mul(xk, v128.load(w + j))));
      }
      for (let j: usize = 0; j < row; j += 16) {
        const net = f32x4.add(v128.load(bs + j), v128.load(s + j));
        v128.store(s + j, activate4(act, sPrev ? rowTimesColumns(net, sPrev, row, Ws, row, j) : net));
      }
      if (!logits) continue;
      // (F2) ŷ_t = σ(o_t), o_t = s_t·Wy + by
      let o = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(s + j), v128.load(Wy + j)));
      store<f32>(logits + (<usize>(b * T + t) << 2), sum4(o) + by);
    }
  }
  if (!logits) return;
  sigmoidAll(logits, yhat, <usize>(B * T) << 2);
}

/**
 * Adds up the gradient into dWx [I, H], dWs [H, H] and dbs [H] from forward's S, and, where their offsets are not
 * 0, ∂L/∂x into dx [B, T, I] and ∂L/∂s_0 into dh0 [B, H]. The loss's share of ∂L/∂s_t is the readout's (B1)–(B4)
 * for the batch-mean loss (L) of y, which also fills dWy [H] and dby [1] (lossKind 0 is mse, 1 is bce), or, when
 * `up` is not 0, the upstream gradient up [T, B, H] (time-major, as S). Scratch: WsT [H, H], δ_t and δ_{t+1} [B, H].
 */
export function backward(
  B: i32, T: i32, H: i32, I: i32, act: i32, lossKind: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, up: usize, h0: usize, S: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize,
  WsT: usize, delta: usize, deltaNext: usize,
): void {
  // One copy of the loops per activation and source of ∂L/∂s_t (the readout's loss, or upstream): the optimizer
  // folds each call's constants into its loops.
  if (up) {
    if (act == TANH) backwardWith(TANH, true, B, T, H, I, lossKind, Wx, Ws, Wy, x, y, up, h0, S, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, delta, deltaNext);
    else backwardWith(SIGMOID, true, B, T, H, I, lossKind, Wx, Ws, Wy, x, y, up, h0, S, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, delta, deltaNext);
  } else {
    if (act == TANH) backwardWith(TANH, false, B, T, H, I, lossKind, Wx, Ws, Wy, x, y, up, h0, S, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, delta, deltaNext);
    else backwardWith(SIGMOID, false, B, T, H, I, lossKind, Wx, Ws, Wy, x, y, up, h0, S, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, delta, deltaNext);
  }
}

// @ts-ignore: decorator
@inline function backwardWith(
  act: i32, upstream: bool, B: i32, T: i32, H: i32, I: i32, lossKind: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, up: usize, h0: usize, S: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize,
  WsT: usize, delta: usize, deltaNext: usize,
): void {
  const row = <usize>H << 2;
  memory.fill(dWx, 0, <usize>I * row);
  memory.fill(dWs, 0, <usize>H * row);
  memory.fill(dbs, 0, row);
  if (!upstream) memory.fill(dWy, 0, row);
  for (let k = 0; k < H; k++) {
    for (let j = 0; j < H; j++) store<f32>(WsT + <usize>(j * H + k) * 4, load<f32>(Ws + <usize>(k * H + j) * 4));
  }
  const invN: f32 = 1 / <f32>(B * T);
  let dbyTotal: f32 = 0;
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const at = <usize>(b * T + t) << 2;
      const s = S + <usize>(t * B + b) * row;
      const d = delta + <usize>b * row;
      const dNext = deltaNext + <usize>b * row;
      // (B1) δo_t = (ŷ_t − y_t)·ŷ_t(1 − ŷ_t)/N for mse, (ŷ_t − y_t)/N for bce; from upstream, no readout
      let dO: f32 = 0;
      if (!upstream) {
        const yh = load<f32>(yhat + at);
        const err = yh - load<f32>(y + at);
        dO = (lossKind == MSE ? err * yh * (1 - yh) : err) * invN;
        // (B3) dby = Σ_t δo_t
        dbyTotal += dO;
      }
      const dOv = f32x4.splat(dO);
      for (let j: usize = 0; j < row; j += 16) {
        const sj = v128.load(s + j);
        let ds: v128;
        if (upstream) {
          ds = v128.load(up + <usize>(t * B + b) * row + j);
        } else {
          // (B2) dWy = Σ_t s_tᵀ·δo_t
          v128.store(dWy + j, f32x4.add(v128.load(dWy + j), f32x4.mul(sj, dOv)));
          ds = f32x4.mul(dOv, v128.load(Wy + j));
        }
        // (B4) ∂L/∂s_t = δo_t·Wyᵀ (or upstream's) + δ_{t+1}·Wsᵀ, δ_{T+1} = 0
        if (t < T - 1 && !isDefined(MUTANT_DROP_RECURRENT_TERM)) ds = rowTimesColumns(ds, dNext, row, WsT, row, j);
        // (B5) δ_t = ∂L/∂s_t ⊙ f'(net_t), f' from s_t: s_t(1 − s_t) for σ
        v128.store(d + j, f32x4.mul(ds, slope4(act, sj)));
      }
      // (B6) dWs = Σ_t s_{t−1}ᵀ·δ_t, s_0 = 0 or carried in
      const sPrev: usize = t > 0 ? s - <usize>B * row : h0 ? h0 + <usize>b * row : 0;
      if (sPrev) {
        for (let k: usize = 0; k < row; k += 4) {
          const sk = f32x4.splat(load<f32>(sPrev + k));
          const dWsRow = dWs + k * <usize>H;
          for (let j: usize = 0; j < row; j += 16) {
            v128.store(dWsRow + j, f32x4.add(v128.load(dWsRow + j), f32x4.mul(sk, v128.load(d + j))));
          }
        }
      }
      // (B7) dWx = Σ_t x_tᵀ·δ_t, each x_t[k] splatted once;  (B8) dbs = Σ_t δ_t
      const xt = x + (<usize>(b * T + t) * <usize>I << 2);
      for (let k = 0; k < I; k++) {
        const xk = f32x4.splat(load<f32>(xt + (<usize>k << 2)));
        const w = dWx + <usize>k * row;
        for (let j: usize = 0; j < row; j += 16) v128.store(w + j, f32x4.add(v128.load(w + j), f32x4.mul(xk, v128.load(d + j))));
      }
      for (let j: usize = 0; j < row; j += 16) v128.store(dbs + j, f32x4.add(v128.load(dbs + j), v128.load(d + j)));
      // (B9) ∂L/∂x_t = δ_t·Wxᵀ
      if (dx) {
        for (let k = 0; k < I; k++) {
          let acc = f32x4.splat(0);
          for (let j: usize = 0; j < row; j += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(d + j), v128.load(Wx + <usize>k * row + j)));
          store<f32>(dx + (<usize>(b * T + t) * <usize>I << 2) + (<usize>k << 2), sum4(acc));
        }
      }
    }
    const swap = delta;
    delta = deltaNext;
    deltaNext = swap;
  }
  if (!upstream) store<f32>(dby, dbyTotal);
  // (B10) ∂L/∂s_0 = δ_1·Wsᵀ: δ_1 is in deltaNext after the last swap
  if (dh0) {
    for (let b = 0; b < B; b++) {
      for (let j: usize = 0; j < row; j += 16) {
        v128.store(dh0 + <usize>b * row + j, rowTimesColumns(f32x4.splat(0), deltaNext + <usize>b * row, row, WsT, row, j));
      }
    }
  }
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
