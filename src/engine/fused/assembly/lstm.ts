// The LSTM cell's forward and backward pass over a whole batch, as tight loops compiled to WebAssembly SIMD
// (AssemblyScript). The same equations as src/engine/lstm.ts, labelled as in docs/lstm.md: (L1)…(L4) and the
// readout (F2) forward, (B1)…(B3) and (L5)…(L9) backward, and for a layer (src/layers/) the gradient from
// upstream in place of the readout's, with (L10) and (L11), the input's and the initial state's. The host
// (src/engine/fused/lstm-kernel.ts) lays out every array in this module's memory and passes their byte offsets.
//
// Shape letters: B = batch size, T = time steps, I = input width, H = hidden size, a multiple of 4 (one v128 =
// 4 units): the host pads each gate block with zero-weight units, whose z is 0, so c stays 0 and h = σ(0)·tanh(0)
// = 0: they never reach a real unit or the output. Layouts, all float32, row-major:
//   Wx [I, 4H], Ws [H, 4H], bs [4H]: the gate blocks (i, f, c, o) side by side, as tfjs-layers stores them;
//   Wy [H] (the column Wy [H, 1]), by: a number;
//   x [B, T, I], y and mask [B, T] batch-major, as the model's input, target and loss mask;
//   gates [T, B, 4H] time-major: i_t, f_t, g_t, o_t of sequence b at (t·B + b)·4H, so a step is one block of B rows;
//   C, TC, Hs [T, B, H]: c_t, tanh(c_t) and h_t, likewise;
//   h0, c0 [B, H]: the state carried in from a stream's previous window, or offset 0 for h_0 = c_0 = 0;
//   logits and yhat [B, T]: o_t = h_t·Wy + by and ŷ_t = σ(o_t).
// No biases is biases held at 0 by the host. `act` is the activation of g and of h_t's squashing of c_t (tanh,
// tfjs' default; σ allowed), `rec` the gates' (σ in rnn-adder; tfjs' default is the hard sigmoid): assembly/simd.ts'
// codes. The text writes σ and tanh, their defaults.
import { activate4, HARD_SIGMOID, MSE, readoutLogit, rowTimesColumns, SIGMOID, sigmoid4, sigmoidAll, slope4, sum4, TANH, tanh4 } from './simd';

export { arenaStart } from './simd';

/**
 * Step t's share of a weight gradient, 16 columns at a time: M[j…j+15] += Σ_b w_b·δz_b[j…j+15] over the batch,
 * summed in four registers before one store (the same additions in the same order as one sequence at a time). w_b
 * is the float at s + b·stride (h_{t−1} or x_t of sequence b), or 1 when s is 0 (dbs); dz points at δz_0[j].
 */
// @ts-ignore: decorator
@inline function addStepShare(at: usize, s: usize, stride: usize, dz: usize, wide: usize, B: i32): void {
  let a0 = v128.load(at);
  let a1 = v128.load(at, 16);
  let a2 = v128.load(at, 32);
  let a3 = v128.load(at, 48);
  for (let b = 0; b < B; b++) {
    const w = s ? f32x4.splat(load<f32>(s + <usize>b * stride)) : f32x4.splat(1);
    const d = dz + <usize>b * wide;
    a0 = f32x4.add(a0, f32x4.mul(w, v128.load(d)));
    a1 = f32x4.add(a1, f32x4.mul(w, v128.load(d, 16)));
    a2 = f32x4.add(a2, f32x4.mul(w, v128.load(d, 32)));
    a3 = f32x4.add(a3, f32x4.mul(w, v128.load(d, 48)));
  }
  v128.store(at, a0);
  v128.store(at, a1, 16);
  v128.store(at, a2, 32);
  v128.store(at, a3, 48);
}

/** Fills gates, C, TC, Hs from the weights, x and the state carried in, and logits and yhat unless logits is 0. */
export function forward(
  B: i32, T: i32, H: i32, I: i32, act: i32, rec: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, c0: usize, gates: usize, C: usize, TC: usize, Hs: usize, logits: usize, yhat: usize,
): void {
  // Copies of the loops for rnn-adder's activations and tfjs' defaults, the optimizer folding each call's constants
  // into its loops; any other pair branches in them.
  if (act == TANH && rec == SIGMOID) forwardWith(TANH, SIGMOID, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, c0, gates, C, TC, Hs, logits, yhat);
  else if (act == TANH && rec == HARD_SIGMOID) forwardWith(TANH, HARD_SIGMOID, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, c0, gates, C, TC, Hs, logits, yhat);
  else forwardWith(act, rec, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, c0, gates, C, TC, Hs, logits, yhat);
}

// @ts-ignore: decorator
@inline function forwardWith(
  act: i32, rec: i32, B: i32, T: i32, H: i32, I: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, c0: usize, gates: usize, C: usize, TC: usize, Hs: usize, logits: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  const wide = row << 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const xt = x + (<usize>(b * T + t) * <usize>I << 2);
      const at = <usize>(t * B + b);
      const gt = gates + at * wide;
      const c = C + at * row;
      const tc = TC + at * row;
      const h = Hs + at * row;
      // h_{t−1} and c_{t−1}: the previous step's, at the first step the state carried in (0: none)
      const hPrev: usize = t > 0 ? h - <usize>B * row : h0 ? h0 + <usize>b * row : 0;
      const cPrev: usize = t > 0 ? c - <usize>B * row : c0 ? c0 + <usize>b * row : 0;
      for (let j: usize = 0; j < row; j += 16) {
        // (L1) z_t = x_t·Wx + h_{t−1}·Ws + bs for units j…j+3 of the four gates: each lane of x_t and h_{t−1}
        // splatted once for all four
        let zi = v128.load(bs + j);
        let zf = v128.load(bs + row + j);
        let zc = v128.load(bs + 2 * row + j);
        let zo = v128.load(bs + 3 * row + j);
        for (let k = 0; k < I; k++) {
          const xk = f32x4.splat(load<f32>(xt + (<usize>k << 2)));
          const w = Wx + <usize>k * wide + j;
          zi = f32x4.add(zi, f32x4.mul(xk, v128.load(w)));
          zf = f32x4.add(zf, f32x4.mul(xk, v128.load(w + row)));
          zc = f32x4.add(zc, f32x4.mul(xk, v128.load(w + 2 * row)));
          zo = f32x4.add(zo, f32x4.mul(xk, v128.load(w + 3 * row)));
        }
        if (hPrev) {
          for (let k: usize = 0; k < row; k += 4) {
            const hk = f32x4.splat(load<f32>(hPrev + k));
            const w = Ws + (k << 2) * <usize>H + j;
            zi = f32x4.add(zi, f32x4.mul(hk, v128.load(w)));
            zf = f32x4.add(zf, f32x4.mul(hk, v128.load(w + row)));
            zc = f32x4.add(zc, f32x4.mul(hk, v128.load(w + 2 * row)));
            zo = f32x4.add(zo, f32x4.mul(hk, v128.load(w + 3 * row)));
          }
        }
        // (L2) i, f, o = σ(z_i, z_f, z_o), g = tanh(z_c)
        const i = activate4(rec, zi);
        const f = activate4(rec, zf);
        const g = activate4(act, zc);
        const o = activate4(rec, zo);
        v128.store(gt + j, i);
        v128.store(gt + row + j, f);
        v128.store(gt + 2 * row + j, g);
        v128.store(gt + 3 * row + j, o);
        // (L3) c_t = f_t⊙c_{t−1} + i_t⊙g_t
        const ig = f32x4.mul(i, g);
        const ct = cPrev ? f32x4.add(f32x4.mul(f, v128.load(cPrev + j)), ig) : ig;
        // (L4) h_t = o_t⊙tanh(c_t)
        const tct = activate4(act, ct);
        v128.store(c + j, ct);
        v128.store(tc + j, tct);
        v128.store(h + j, f32x4.mul(o, tct));
      }
      if (!logits) continue;
      // (F2) ŷ_t = σ(o_t), o_t = h_t·Wy + by
      store<f32>(logits + (<usize>(b * T + t) << 2), readoutLogit(h, Wy, row, by));
    }
  }
  if (!logits) return;
  sigmoidAll(logits, yhat, <usize>(B * T) << 2);
}

/**
 * Adds up the gradient into dWx [I, 4H], dWs [H, 4H] and dbs [4H] from forward's arrays and its h0, c0, and, where
 * their offsets are not 0, ∂L/∂x into dx [B, T, I] and ∂L/∂h_0, ∂L/∂c_0 into dh0, dc0 [B, H] each (a stream's
 * carried state is a constant: the training step passes 0). The loss's share of ∂L/∂h_t is the readout's (B1)–(B3),
 * (L5) for the loss (L), the mean over the steps the mask marks (every step when mask is 0), which also fills dWy
 * [H] and dby [1] (lossKind 0 is mse, 1 is bce), or, when `up` is not 0, the upstream gradient up [T, B, H]
 * (time-major, as Hs). tbptt K > 0 cuts the recurrence at every window of K steps (src/engine/truncation.ts); 0 is
 * full BPTT. Scratch: WsT [4H, H], δz_t and δz_{t+1} [B, 4H] each, ∂L/∂c [B, H].
 */
export function backward(
  B: i32, T: i32, H: i32, I: i32, act: i32, rec: i32, lossKind: i32, tbptt: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, mask: usize, up: usize, h0: usize, c0: usize,
  gates: usize, C: usize, TC: usize, Hs: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize, dc0: usize,
  WsT: usize, dz: usize, dzNext: usize, dc: usize,
): void {
  // Copies of the loops for rnn-adder's step and for a layer of its activations or tfjs' defaults, as forward's.
  if (act == TANH && rec == SIGMOID && !up) backwardWith(TANH, SIGMOID, false, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, c0, gates, C, TC, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, dc0, WsT, dz, dzNext, dc);
  else if (act == TANH && rec == SIGMOID) backwardWith(TANH, SIGMOID, true, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, c0, gates, C, TC, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, dc0, WsT, dz, dzNext, dc);
  else if (act == TANH && rec == HARD_SIGMOID && up) backwardWith(TANH, HARD_SIGMOID, true, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, c0, gates, C, TC, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, dc0, WsT, dz, dzNext, dc);
  else backwardWith(act, rec, up != 0, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, c0, gates, C, TC, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, dc0, WsT, dz, dzNext, dc);
}

// @ts-ignore: decorator
@inline function backwardWith(
  act: i32, rec: i32, upstream: bool, B: i32, T: i32, H: i32, I: i32, lossKind: i32, tbptt: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, mask: usize, up: usize, h0: usize, c0: usize,
  gates: usize, C: usize, TC: usize, Hs: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize, dc0: usize,
  WsT: usize, dz: usize, dzNext: usize, dc: usize,
): void {
  const row = <usize>H << 2;
  const wide = row << 2;
  memory.fill(dWx, 0, <usize>I * wide);
  memory.fill(dWs, 0, <usize>H * wide);
  memory.fill(dbs, 0, wide);
  if (!upstream) memory.fill(dWy, 0, row);
  const G = H << 2;
  for (let k = 0; k < H; k++) {
    for (let j = 0; j < G; j++) store<f32>(WsT + <usize>(j * H + k) * 4, load<f32>(Ws + <usize>(k * G + j) * 4));
  }
  // M, the steps that carry a loss: Σ m_t (at least 1) with a mask, B·T without (src/engine/loss.ts).
  let M: f32 = <f32>(B * T);
  if (mask) {
    M = 0;
    for (let n = 0; n < B * T; n++) M += load<f32>(mask + (<usize>n << 2));
    M = max(M, 1);
  }
  const invM: f32 = 1 / M;
  let dbyTotal: f32 = 0;
  for (let t = T - 1; t >= 0; t--) {
    // Nothing reaches back from step t+1 past the last step, or where t+1 starts a window of truncated BPTT.
    const fromNext = t < T - 1 && !(tbptt > 0 && (t + 1) % tbptt == 0);
    for (let b = 0; b < B; b++) {
      const out = <usize>(b * T + t) << 2;
      const at = <usize>(t * B + b);
      const gt = gates + at * wide;
      const h = Hs + at * row;
      const tc = TC + at * row;
      const d = dz + <usize>b * wide;
      const dNext = dzNext + <usize>b * wide;
      const dcb = dc + <usize>b * row;
      const fNext = gt + <usize>B * wide + row;
      const cPrev: usize = t > 0 ? C + at * row - <usize>B * row : c0 ? c0 + <usize>b * row : 0;
      // (B1) δo_t = (ŷ_t − y_t)·ŷ_t(1 − ŷ_t)·m_t/M for mse, (ŷ_t − y_t)·m_t/M for bce; from upstream, no readout
      let dO: f32 = 0;
      if (!upstream) {
        const yh = load<f32>(yhat + out);
        const err = yh - load<f32>(y + out);
        dO = (lossKind == MSE ? err * yh * (1 - yh) : err) * (mask ? load<f32>(mask + out) : 1) * invM;
        // (B3) dby = Σ_t δo_t
        dbyTotal += dO;
      }
      const dOv = f32x4.splat(dO);
      for (let j: usize = 0; j < row; j += 16) {
        const i = v128.load(gt + j);
        const f = v128.load(gt + row + j);
        const g = v128.load(gt + 2 * row + j);
        const o = v128.load(gt + 3 * row + j);
        const tcj = v128.load(tc + j);
        let dh: v128;
        if (upstream) {
          dh = v128.load(up + at * row + j);
        } else {
          // (B2) dWy = Σ_t h_tᵀ·δo_t
          v128.store(dWy + j, f32x4.add(v128.load(dWy + j), f32x4.mul(v128.load(h + j), dOv)));
          dh = f32x4.mul(dOv, v128.load(Wy + j));
        }
        // (L5) ∂L/∂h_t = δo_t·Wyᵀ (or upstream's) + δz_{t+1}·Wsᵀ
        if (fromNext) dh = rowTimesColumns(dh, dNext, wide, WsT, row, j);
        // (L6) ∂L/∂c_t = ∂L/∂h_t ⊙ o_t ⊙ (1 − tanh²(c_t)) + ∂L/∂c_{t+1} ⊙ f_{t+1}
        let dct = f32x4.mul(dh, f32x4.mul(o, slope4(act, tcj)));
        if (fromNext && !isDefined(MUTANT_DROP_CELL_PATH)) dct = f32x4.add(dct, f32x4.mul(v128.load(dcb + j), v128.load(fNext + j)));
        v128.store(dcb + j, dct);
        // (L7) δz_i = ∂L/∂c_t ⊙ g_t ⊙ i_t(1 − i_t),  δz_f = ∂L/∂c_t ⊙ c_{t−1} ⊙ f_t(1 − f_t),
        //      δz_c = ∂L/∂c_t ⊙ i_t ⊙ (1 − g_t²),  δz_o = ∂L/∂h_t ⊙ tanh(c_t) ⊙ o_t(1 − o_t)
        v128.store(d + j, f32x4.mul(f32x4.mul(dct, g), slope4(rec, i)));
        const dzf = cPrev ? f32x4.mul(f32x4.mul(dct, v128.load(cPrev + j)), slope4(rec, f)) : f32x4.splat(0);
        v128.store(d + row + j, dzf);
        v128.store(d + 2 * row + j, f32x4.mul(f32x4.mul(dct, i), slope4(act, g)));
        v128.store(d + 3 * row + j, f32x4.mul(f32x4.mul(dh, tcj), slope4(rec, o)));
      }
      // (L10) ∂L/∂x_t = δz_t·Wxᵀ
      if (dx) {
        for (let k = 0; k < I; k++) {
          let acc = f32x4.splat(0);
          for (let j: usize = 0; j < wide; j += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(d + j), v128.load(Wx + <usize>k * wide + j)));
          store<f32>(dx + (<usize>(b * T + t) * <usize>I << 2) + (<usize>k << 2), sum4(acc));
        }
      }
    }
    // (L8) dWs = Σ_t h_{t−1}ᵀ·δz_t (h_0 = 0 or carried in);  (L9) dWx = Σ_t x_tᵀ·δz_t, dbs = Σ_t δz_t
    const hBase: usize = t > 0 ? Hs + <usize>((t - 1) * B) * row : h0;
    const xBase = x + (<usize>(t * I) << 2);
    for (let j: usize = 0; j < wide; j += 64) {
      if (hBase) for (let k: usize = 0; k < row; k += 4) addStepShare(dWs + k * <usize>G + j, hBase + k, row, dz + j, wide, B);
      for (let k = 0; k < I; k++) addStepShare(dWx + <usize>k * wide + j, xBase + (<usize>k << 2), <usize>(T * I) << 2, dz + j, wide, B);
      addStepShare(dbs + j, 0, 0, dz + j, wide, B);
    }
    const swap = dz;
    dz = dzNext;
    dzNext = swap;
  }
  if (!upstream) store<f32>(dby, dbyTotal);
  // (L11) ∂L/∂h_0 = δz_1·Wsᵀ, ∂L/∂c_0 = ∂L/∂c_1 ⊙ f_1: δz_1 is in dzNext after the last swap, ∂L/∂c_1 in dc
  if (dh0) {
    for (let b = 0; b < B; b++) {
      const fFirst = gates + <usize>b * wide + row;
      for (let j: usize = 0; j < row; j += 16) {
        v128.store(dh0 + <usize>b * row + j, rowTimesColumns(f32x4.splat(0), dzNext + <usize>b * wide, wide, WsT, row, j));
        v128.store(dc0 + <usize>b * row + j, f32x4.mul(v128.load(dc + <usize>b * row + j), v128.load(fFirst + j)));
      }
    }
  }
}

/**
 * One level of the exhaustive check (src/eval/exhaustive.ts): each of the n prefix states (h, c) in hPrev, cPrev
 * [n, H] extended by each of the first `inputs` input codes, into hNext, cNext [n·inputs, H] (row q·inputs + k)
 * and their outputs yhat [n·inputs]. inputTerms [4, 4H] holds x·Wx + bs for the four inputs, in code order.
 */
export function extendPrefixes(
  n: i32, inputs: i32, H: i32,
  Ws: usize, inputTerms: usize, Wy: usize, by: f32,
  hPrev: usize, cPrev: usize, hNext: usize, cNext: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  const wide = row << 2;
  for (let q = 0; q < n; q++) {
    const h = hPrev + <usize>q * row;
    const c = cPrev + <usize>q * row;
    const first = <usize>(q * inputs);
    for (let j: usize = 0; j < row; j += 16) {
      // (L1) z_t = x_t·Wx + h_{t−1}·Ws + bs: h_{t−1}·Ws once per gate, shared by the children
      const ri = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, j);
      const rf = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, row + j);
      const rc = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, 2 * row + j);
      const ro = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, 3 * row + j);
      const cq = v128.load(c + j);
      for (let k = 0; k < inputs; k++) {
        const terms = inputTerms + <usize>k * wide + j;
        // (L2) i, f, o = σ(z_i, z_f, z_o), g = tanh(z_c);  (L3) c_t = f⊙c_{t−1} + i⊙g;  (L4) h_t = o⊙tanh(c_t)
        const i = sigmoid4(f32x4.add(ri, v128.load(terms)));
        const f = sigmoid4(f32x4.add(rf, v128.load(terms + row)));
        const g = tanh4(f32x4.add(rc, v128.load(terms + 2 * row)));
        const o = sigmoid4(f32x4.add(ro, v128.load(terms + 3 * row)));
        const ct = f32x4.add(f32x4.mul(f, cq), f32x4.mul(i, g));
        const at = (first + <usize>k) * row + j;
        v128.store(cNext + at, ct);
        v128.store(hNext + at, f32x4.mul(o, tanh4(ct)));
      }
    }
    // (F2) ŷ_t = σ(h_t·Wy + by)
    for (let k = 0; k < inputs; k++) {
      const child = hNext + (first + <usize>k) * row;
      let o = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(child + j), v128.load(Wy + j)));
      store<f32>(yhat + ((first + <usize>k) << 2), f32x4.extract_lane(sigmoid4(f32x4.splat(sum4(o) + by)), 0));
    }
  }
}
