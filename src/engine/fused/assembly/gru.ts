// The GRU cell's forward and backward pass over a whole batch, as tight loops compiled to WebAssembly SIMD
// (AssemblyScript). The same equations as src/engine/gru.ts, labelled as in docs/gru.md: (U1)…(U4) and the readout
// (F2) forward, (B1)…(B3) and (U5)…(U9) backward, and for a layer (src/layers/) the gradient from upstream in place
// of the readout's, with (U10) and (U11), the input's and the initial state's. The host
// (src/engine/fused/gru-kernel.ts) lays out every array in this module's memory and passes their byte offsets.
//
// Shape letters: B = batch size, T = time steps, I = input width, H = hidden size, a multiple of 4 (one v128 =
// 4 units): the host pads each gate block with zero-weight units, whose z = r = σ(0) = ½ and h̃ = tanh(0) = 0, so
// h = ½·h_{t−1} stays 0 from h_0 = 0 (with a σ candidate it is not 0, but their rows of Ws and Wy are): they never
// reach a real unit or the output. Layouts, all float32, row-major:
//   Wx [I, 3H], Ws [H, 3H] = [Uz | Ur | Uh], bs [3H]: the gate blocks (z, r, h) side by side, as tfjs-layers
//   stores them (reset_after = false: the reset gate multiplies h_{t−1} before Uh);
//   Wy [H] (the column Wy [H, 1]), by: a number;
//   x [B, T, I], y and mask [B, T] batch-major, as the model's input, target and loss mask;
//   gates [T, B, 3H] time-major: z_t, r_t, h̃_t of sequence b at (t·B + b)·3H, so a step is one block of B rows;
//   RH, Hs [T, B, H]: r_t⊙h_{t−1} (what Uh multiplies) and h_t, likewise;
//   h0 [B, H]: the state carried in from a stream's previous window, or offset 0 for h_0 = 0;
//   logits and yhat [B, T]: o_t = h_t·Wy + by and ŷ_t = σ(o_t).
// No biases is biases held at 0 by the host. `act` is h̃_t's activation (tanh, tfjs' default; σ allowed), `rec` the
// gates' (σ in rnn-adder; tfjs' default is the hard sigmoid): assembly/simd.ts' codes. The text writes σ and tanh,
// their defaults.
import { activate4, HARD_SIGMOID, MSE, readoutLogit, rowTimesColumns, SIGMOID, sigmoid4, sigmoidAll, slope4, sum4, TANH, tanh4 } from './simd';

export { arenaStart } from './simd';

/**
 * Step t's share of n columns of a weight gradient (n a multiple of 4): M[j] += Σ_b w_b·δa_b[j] over the batch.
 * Sixteen columns a tile, summed in four registers across the batch before one store (w_b splatted once for the
 * four), then the last n mod 16 four at a time. w_b is the float at s + b·stride (h_{t−1}, r_t⊙h_{t−1} or x_t
 * of sequence b), or 1 when s is 0 (dbs); dz points at δa_0[0], the rows `wide` bytes apart.
 */
function addStepShare(at: usize, s: usize, stride: usize, dz: usize, wide: usize, n: usize, B: i32): void {
  const bytes = n << 2;
  let j: usize = 0;
  for (; j + 64 <= bytes; j += 64) {
    let a0 = v128.load(at + j);
    let a1 = v128.load(at + j, 16);
    let a2 = v128.load(at + j, 32);
    let a3 = v128.load(at + j, 48);
    for (let b = 0; b < B; b++) {
      const w = s ? f32x4.splat(load<f32>(s + <usize>b * stride)) : f32x4.splat(1);
      const d = dz + <usize>b * wide + j;
      a0 = f32x4.add(a0, f32x4.mul(w, v128.load(d)));
      a1 = f32x4.add(a1, f32x4.mul(w, v128.load(d, 16)));
      a2 = f32x4.add(a2, f32x4.mul(w, v128.load(d, 32)));
      a3 = f32x4.add(a3, f32x4.mul(w, v128.load(d, 48)));
    }
    v128.store(at + j, a0);
    v128.store(at + j, a1, 16);
    v128.store(at + j, a2, 32);
    v128.store(at + j, a3, 48);
  }
  for (; j < bytes; j += 16) {
    let a = v128.load(at + j);
    for (let b = 0; b < B; b++) {
      const w = s ? f32x4.splat(load<f32>(s + <usize>b * stride)) : f32x4.splat(1);
      a = f32x4.add(a, f32x4.mul(w, v128.load(dz + <usize>b * wide + j)));
    }
    v128.store(at + j, a);
  }
}

/** Fills gates, RH, Hs from the weights, x and the state carried in, and logits and yhat unless logits is 0. */
export function forward(
  B: i32, T: i32, H: i32, I: i32, act: i32, rec: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, gates: usize, RH: usize, Hs: usize, logits: usize, yhat: usize,
): void {
  // Copies of the loops for rnn-adder's activations and tfjs' defaults, the optimizer folding each call's constants
  // into its loops; any other pair branches in them.
  if (act == TANH && rec == SIGMOID) forwardWith(TANH, SIGMOID, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, gates, RH, Hs, logits, yhat);
  else if (act == TANH && rec == HARD_SIGMOID) forwardWith(TANH, HARD_SIGMOID, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, gates, RH, Hs, logits, yhat);
  else forwardWith(act, rec, B, T, H, I, Wx, Ws, bs, Wy, by, x, h0, gates, RH, Hs, logits, yhat);
}

// @ts-ignore: decorator
@inline function forwardWith(
  act: i32, rec: i32, B: i32, T: i32, H: i32, I: i32,
  Wx: usize, Ws: usize, bs: usize, Wy: usize, by: f32,
  x: usize, h0: usize, gates: usize, RH: usize, Hs: usize, logits: usize, yhat: usize,
): void {
  const row = <usize>H << 2;
  const wide = row * 3;
  const one = f32x4.splat(1);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const xt = x + (<usize>(b * T + t) * <usize>I << 2);
      const at = <usize>(t * B + b);
      const gt = gates + at * wide;
      const rh = RH + at * row;
      const h = Hs + at * row;
      // h_{t−1}: the previous step's, at the first step the state carried in (0: none)
      const hPrev: usize = t > 0 ? h - <usize>B * row : h0 ? h0 + <usize>b * row : 0;
      for (let j: usize = 0; j < row; j += 16) {
        // (U1) (U2) a_z + h_{t−1}·Uz and a_r + h_{t−1}·Ur for units j…j+3: each lane of x_t and h_{t−1} splatted
        // once for both gates
        let az = v128.load(bs + j);
        let ar = v128.load(bs + row + j);
        for (let k = 0; k < I; k++) {
          const xk = f32x4.splat(load<f32>(xt + (<usize>k << 2)));
          const w = Wx + <usize>k * wide + j;
          az = f32x4.add(az, f32x4.mul(xk, v128.load(w)));
          ar = f32x4.add(ar, f32x4.mul(xk, v128.load(w + row)));
        }
        if (hPrev) {
          for (let k: usize = 0; k < row; k += 4) {
            const hk = f32x4.splat(load<f32>(hPrev + k));
            const w = Ws + (k >> 2) * wide + j;
            az = f32x4.add(az, f32x4.mul(hk, v128.load(w)));
            ar = f32x4.add(ar, f32x4.mul(hk, v128.load(w + row)));
          }
        }
        // (U2) z_t = σ(·), r_t = σ(·); r_t⊙h_{t−1}, which the candidate's product needs for every unit first
        const r = activate4(rec, ar);
        v128.store(gt + j, activate4(rec, az));
        v128.store(gt + row + j, r);
        v128.store(rh + j, hPrev ? f32x4.mul(r, v128.load(hPrev + j)) : f32x4.splat(0));
      }
      for (let j: usize = 0; j < row; j += 16) {
        // (U1) (U3) h̃_t = tanh(a_h + (r_t⊙h_{t−1})·Uh)
        let ah = v128.load(bs + 2 * row + j);
        for (let k = 0; k < I; k++) {
          ah = f32x4.add(ah, f32x4.mul(f32x4.splat(load<f32>(xt + (<usize>k << 2))), v128.load(Wx + <usize>k * wide + 2 * row + j)));
        }
        if (hPrev) ah = rowTimesColumns(ah, rh, row, Ws, wide, 2 * row + j);
        const hh = activate4(act, ah);
        v128.store(gt + 2 * row + j, hh);
        // (U4) h_t = z_t⊙h_{t−1} + (1 − z_t)⊙h̃_t
        const z = v128.load(gt + j);
        const ht = f32x4.mul(f32x4.sub(one, z), hh);
        v128.store(h + j, hPrev ? f32x4.add(f32x4.mul(z, v128.load(hPrev + j)), ht) : ht);
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
 * (U5)'s recurrent terms, what step t+1 hands back to h_t for units j…j+3: ∂L/∂h_{t+1}⊙z_{t+1} +
 * [δa_z | δa_r]_{t+1}·[Uz | Ur]ᵀ + (δa_{h,t+1}·Uhᵀ)⊙r_{t+1}, added to acc. dhNext and drhNext hold step t+1's
 * ∂L/∂h and δa_h·Uhᵀ, dNext its δa, gNext its gates. The same terms are (U11)'s ∂L/∂h_0.
 */
// @ts-ignore: decorator
@inline function fromNextStep(acc: v128, dhNext: usize, drhNext: usize, dNext: usize, gNext: usize, WsT: usize, row: usize, j: usize): v128 {
  let dht = f32x4.add(acc, f32x4.mul(v128.load(dhNext + j), v128.load(gNext + j)));
  dht = rowTimesColumns(dht, dNext, 2 * row, WsT, row, j);
  if (!isDefined(MUTANT_DROP_RESET_PATH)) dht = f32x4.add(dht, f32x4.mul(v128.load(drhNext + j), v128.load(gNext + row + j)));
  return dht;
}

/**
 * Adds up the gradient into dWx [I, 3H], dWs [H, 3H] and dbs [3H] from forward's arrays and its h0, and, where
 * their offsets are not 0, ∂L/∂x into dx [B, T, I] and ∂L/∂h_0 into dh0 [B, H] (a stream's carried state is a
 * constant: the training step passes 0). The loss's share of ∂L/∂h_t is the readout's (B1)–(B3), (U5) for the loss
 * (L), the mean over the steps the mask marks (every step when mask is 0), which also fills dWy [H] and dby [1]
 * (lossKind 0 is mse, 1 is bce), or, when `up` is not 0, the upstream gradient up [T, B, H] (time-major, as Hs).
 * tbptt K > 0 cuts the recurrence at every window of K steps (src/engine/truncation.ts); 0 is full BPTT.
 * Scratch: WsT [3H, H], δa_t and δa_{t+1} [B, 3H] each, ∂L/∂h_t and δa_h·Uhᵀ [B, H] each (step t+1's, then t's).
 */
export function backward(
  B: i32, T: i32, H: i32, I: i32, act: i32, rec: i32, lossKind: i32, tbptt: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, mask: usize, up: usize, h0: usize,
  gates: usize, RH: usize, Hs: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize,
  WsT: usize, dz: usize, dzNext: usize, dh: usize, drh: usize,
): void {
  // Copies of the loops for rnn-adder's step and for a layer of its activations or tfjs' defaults, as forward's.
  if (act == TANH && rec == SIGMOID && !up) backwardWith(TANH, SIGMOID, false, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, gates, RH, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, dz, dzNext, dh, drh);
  else if (act == TANH && rec == SIGMOID) backwardWith(TANH, SIGMOID, true, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, gates, RH, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, dz, dzNext, dh, drh);
  else if (act == TANH && rec == HARD_SIGMOID && up) backwardWith(TANH, HARD_SIGMOID, true, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, gates, RH, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, dz, dzNext, dh, drh);
  else backwardWith(act, rec, up != 0, B, T, H, I, lossKind, tbptt, Wx, Ws, Wy, x, y, mask, up, h0, gates, RH, Hs, yhat, dWx, dWs, dbs, dWy, dby, dx, dh0, WsT, dz, dzNext, dh, drh);
}

// @ts-ignore: decorator
@inline function backwardWith(
  act: i32, rec: i32, upstream: bool, B: i32, T: i32, H: i32, I: i32, lossKind: i32, tbptt: i32,
  Wx: usize, Ws: usize, Wy: usize, x: usize, y: usize, mask: usize, up: usize, h0: usize,
  gates: usize, RH: usize, Hs: usize, yhat: usize,
  dWx: usize, dWs: usize, dbs: usize, dWy: usize, dby: usize, dx: usize, dh0: usize,
  WsT: usize, dz: usize, dzNext: usize, dh: usize, drh: usize,
): void {
  const row = <usize>H << 2;
  const wide = row * 3;
  memory.fill(dWx, 0, <usize>I * wide);
  memory.fill(dWs, 0, <usize>H * wide);
  memory.fill(dbs, 0, wide);
  if (!upstream) memory.fill(dWy, 0, row);
  const G = H * 3;
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
  const one = f32x4.splat(1);
  for (let t = T - 1; t >= 0; t--) {
    // Nothing reaches back from step t+1 past the last step, or where t+1 starts a window of truncated BPTT.
    const fromNext = t < T - 1 && !(tbptt > 0 && (t + 1) % tbptt == 0);
    for (let b = 0; b < B; b++) {
      const out = <usize>(b * T + t) << 2;
      const at = <usize>(t * B + b);
      const gt = gates + at * wide;
      const h = Hs + at * row;
      const d = dz + <usize>b * wide;
      const dNext = dzNext + <usize>b * wide;
      const dhb = dh + <usize>b * row;
      const drhb = drh + <usize>b * row;
      const gNext = gt + <usize>B * wide;
      const hPrev: usize = t > 0 ? h - <usize>B * row : h0 ? h0 + <usize>b * row : 0;
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
        let dht: v128;
        if (upstream) {
          dht = v128.load(up + at * row + j);
        } else {
          // (B2) dWy = Σ_t h_tᵀ·δo_t
          v128.store(dWy + j, f32x4.add(v128.load(dWy + j), f32x4.mul(v128.load(h + j), dOv)));
          dht = f32x4.mul(dOv, v128.load(Wy + j));
        }
        // (U5) ∂L/∂h_t = δo_t·Wyᵀ (or upstream's) + what step t+1 hands back
        if (fromNext) dht = fromNextStep(dht, dhb, drhb, dNext, gNext, WsT, row, j);
        v128.store(dhb + j, dht);
        // (U6) δa_z = ∂L/∂h_t ⊙ (h_{t−1} − h̃_t) ⊙ z_t(1 − z_t),  δa_h = ∂L/∂h_t ⊙ (1 − z_t) ⊙ (1 − h̃_t²)
        const z = v128.load(gt + j);
        const hh = v128.load(gt + 2 * row + j);
        const gap = hPrev ? f32x4.sub(v128.load(hPrev + j), hh) : f32x4.neg(hh);
        v128.store(d + j, f32x4.mul(f32x4.mul(dht, gap), slope4(rec, z)));
        v128.store(d + 2 * row + j, f32x4.mul(f32x4.mul(dht, f32x4.sub(one, z)), slope4(act, hh)));
      }
      for (let j: usize = 0; j < row; j += 16) {
        // (U7) ∂L/∂(r_t⊙h_{t−1}) = δa_h·Uhᵀ,  δa_r = (δa_h·Uhᵀ) ⊙ h_{t−1} ⊙ r_t(1 − r_t); δa_h·Uhᵀ kept for (U5)
        const drhj = rowTimesColumns(f32x4.splat(0), d + 2 * row, row, WsT + 2 * <usize>H * row, row, j);
        v128.store(drhb + j, drhj);
        const r = v128.load(gt + row + j);
        const dar = hPrev ? f32x4.mul(f32x4.mul(drhj, v128.load(hPrev + j)), slope4(rec, r)) : f32x4.splat(0);
        v128.store(d + row + j, dar);
      }
      // (U10) ∂L/∂x_t = δa_t·Wxᵀ
      if (dx) {
        for (let k = 0; k < I; k++) {
          let acc = f32x4.splat(0);
          for (let j: usize = 0; j < wide; j += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(d + j), v128.load(Wx + <usize>k * wide + j)));
          store<f32>(dx + (<usize>(b * T + t) * <usize>I << 2) + (<usize>k << 2), sum4(acc));
        }
      }
    }
    // (U8) dWs = [Σ_t h_{t−1}ᵀ·[δa_z | δa_r] | Σ_t (r_t⊙h_{t−1})ᵀ·δa_h] (h_0 = 0 or carried in);
    // (U9) dWx = Σ_t x_tᵀ·δa_t, dbs = Σ_t δa_t
    const hBase: usize = t > 0 ? Hs + <usize>((t - 1) * B) * row : h0;
    const rhBase = RH + <usize>(t * B) * row;
    const xBase = x + (<usize>(t * I) << 2);
    if (hBase) {
      for (let k: usize = 0; k < row; k += 4) {
        const dWsRow = dWs + (k >> 2) * wide;
        addStepShare(dWsRow, hBase + k, row, dz, wide, 2 * <usize>H, B);
        addStepShare(dWsRow + 2 * row, rhBase + k, row, dz + 2 * row, wide, <usize>H, B);
      }
    }
    for (let k = 0; k < I; k++) addStepShare(dWx + <usize>k * wide, xBase + (<usize>k << 2), <usize>(T * I) << 2, dz, wide, <usize>G, B);
    addStepShare(dbs, 0, 0, dz, wide, <usize>G, B);
    const swap = dz;
    dz = dzNext;
    dzNext = swap;
  }
  if (!upstream) store<f32>(dby, dbyTotal);
  // (U11) ∂L/∂h_0 = (U5)'s recurrent terms from step 1: ∂L/∂h_1 in dh, δa_h·Uhᵀ in drh, δa_1 in dzNext after the
  // last swap, z_1 and r_1 in the first block of gates
  if (dh0) {
    for (let b = 0; b < B; b++) {
      for (let j: usize = 0; j < row; j += 16) {
        const first = fromNextStep(f32x4.splat(0), dh + <usize>b * row, drh + <usize>b * row, dzNext + <usize>b * wide, gates + <usize>b * wide, WsT, row, j);
        v128.store(dh0 + <usize>b * row + j, first);
      }
    }
  }
}

/**
 * One level of the exhaustive check (src/eval/exhaustive.ts): each of the n prefix states h in hPrev [n, H]
 * extended by each of the first `inputs` input codes, into hNext [n·inputs, H] (row q·inputs + k) and their
 * outputs yhat [n·inputs]. inputTerms [4, 3H] holds x·Wx + bs for the four inputs, in code order. Scratch: z_t
 * and r_t⊙h_{t−1} of each child, [4, H] each.
 */
export function extendPrefixes(
  n: i32, inputs: i32, H: i32,
  Ws: usize, inputTerms: usize, Wy: usize, by: f32,
  hPrev: usize, hNext: usize, yhat: usize, zs: usize, rhs: usize,
): void {
  const row = <usize>H << 2;
  const wide = row * 3;
  const one = f32x4.splat(1);
  for (let q = 0; q < n; q++) {
    const h = hPrev + <usize>q * row;
    const first = <usize>(q * inputs);
    for (let j: usize = 0; j < row; j += 16) {
      // (U2) z_t = σ(a_z + h_{t−1}·Uz), r_t = σ(a_r + h_{t−1}·Ur): h_{t−1}·Uz and h_{t−1}·Ur once, shared by the
      // children
      const rz = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, j);
      const rr = rowTimesColumns(f32x4.splat(0), h, row, Ws, wide, row + j);
      const hq = v128.load(h + j);
      for (let k = 0; k < inputs; k++) {
        const terms = inputTerms + <usize>k * wide + j;
        v128.store(zs + <usize>k * row + j, sigmoid4(f32x4.add(rz, v128.load(terms))));
        v128.store(rhs + <usize>k * row + j, f32x4.mul(sigmoid4(f32x4.add(rr, v128.load(terms + row))), hq));
      }
    }
    for (let k = 0; k < inputs; k++) {
      const child = hNext + (first + <usize>k) * row;
      for (let j: usize = 0; j < row; j += 16) {
        // (U3) h̃_t = tanh(a_h + (r_t⊙h_{t−1})·Uh);  (U4) h_t = z_t⊙h_{t−1} + (1 − z_t)⊙h̃_t
        const hh = tanh4(rowTimesColumns(v128.load(inputTerms + <usize>k * wide + 2 * row + j), rhs + <usize>k * row, row, Ws, wide, 2 * row + j));
        const z = v128.load(zs + <usize>k * row + j);
        v128.store(child + j, f32x4.add(f32x4.mul(z, v128.load(h + j)), f32x4.mul(f32x4.sub(one, z), hh)));
      }
      // (F2) ŷ_t = σ(h_t·Wy + by)
      let o = f32x4.splat(0);
      for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(child + j), v128.load(Wy + j)));
      store<f32>(yhat + ((first + <usize>k) << 2), f32x4.extract_lane(sigmoid4(f32x4.splat(sum4(o) + by)), 0));
    }
  }
}
