// The host side of the fused GRU kernel (assembly/gru.ts): instantiates the WebAssembly module from its bytes,
// lays the network and the batch out in the module's memory (arena.ts), pads each gate block to a multiple of 4
// units and back, and calls forward and backward. Plain Float32Arrays in and out; src/engine/fused/gru.ts wraps
// this in tfjs tensors, src/train/gradient-step.ts trains on it directly.
import { LossName } from '../loss';
import { GATES } from '../params';
import { Arena, padded } from './arena';
import { GRU_WASM } from './gru-kernel-wasm';
import { FlatParams, KernelOutputs } from './kernel';

/** The module's exports (assembly/gru.ts): byte offsets into `memory` for every array. */
interface GruExports {
  memory: WebAssembly.Memory;
  arenaStart(): number;
  forward(
    B: number, T: number, H: number, I: number,
    Wx: number, Ws: number, bs: number, Wy: number, by: number,
    x: number, h0: number, gates: number, RH: number, Hs: number, logits: number, yhat: number,
  ): void;
  backward(
    B: number, T: number, H: number, I: number, lossKind: number, tbptt: number,
    Ws: number, Wy: number, x: number, y: number, mask: number, h0: number,
    gates: number, RH: number, Hs: number, yhat: number,
    dWx: number, dWs: number, dbs: number, dWy: number, dby: number,
    WsT: number, dz: number, dzNext: number, dh: number, drh: number,
  ): void;
  extendPrefixes(
    n: number, inputs: number, H: number,
    Ws: number, inputTerms: number, Wy: number, by: number,
    hPrev: number, hNext: number, yhat: number, zs: number, rhs: number,
  ): void;
}

/** A GRU state: h [B, H]. */
export interface GruState {
  h: Float32Array;
}

/** Beyond whole sequences from a zero state with a loss at every step: what the GRU's tensor engine also takes (SequenceOptions). */
export interface GruKernelOptions {
  /** h_0: the state a stream's previous window ended in; zeros when absent. */
  initial?: GruState;
  /** m_t, [B, T]: the steps that carry a loss; every step when absent. */
  mask?: Float32Array;
  /** K: truncated BPTT, the gradient cut at the edge of every window of K steps; full BPTT when absent. */
  tbptt?: number;
}

const LOSS_CODES: Record<LossName, number> = { mse: 0, bce: 1 };
const G = GATES.gru;

/**
 * (U1)'s x·Wx + bs for the adder's four inputs [a, b] in code order 2a + b, [4, cols], from Wx [2, cols] and bs
 * [cols]: the input side of every prefix's next step in the exhaustive check.
 */
function inputCodeTerms(p: FlatParams, cols: number): Float32Array {
  const terms = new Float32Array(4 * cols);
  for (let c = 0; c < 4; c++) {
    for (let j = 0; j < cols; j++) terms[c * cols + j] = (c >> 1) * p.Wx[j] + (c & 1) * p.Wx[cols + j] + (p.bs?.[j] ?? 0);
  }
  return terms;
}

/** The fused GRU kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class GruKernel {
  private readonly exports: GruExports;
  private readonly arena: Arena;

  constructor(bytes: Uint8Array<ArrayBuffer> = GRU_WASM) {
    // Its own module, not one with the other kernels: a process instantiates only the cell it uses.
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as GruExports;
    this.arena = new Arena(this.exports.memory, this.exports.arenaStart());
  }

  /** (U1)–(U4) and (F2) over the whole batch: x is [B, T, I] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { at } = this.prepare(p, x, B, T, {});
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T) };
  }

  /**
   * Forward, then (B1)–(B3) and (U5)–(U9): the gradient of the loss (L) for y [B, T], in p's shapes; and h_T,
   * where a stream's next window starts.
   */
  lossAndGrads(
    p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName, options: GruKernelOptions = {},
  ): KernelOutputs & { grads: FlatParams; final: GruState } {
    const { at, H, hidden, I, h0 } = this.prepare(p, x, B, T, options);
    const { arena } = this;
    arena.write(at.y, y);
    if (options.mask) arena.write(at.mask, options.mask);
    this.exports.backward(
      B, T, H, I, LOSS_CODES[kind], options.tbptt ?? 0,
      at.Ws, at.Wy, at.x, at.y, options.mask ? at.mask : 0, h0,
      at.gates, at.RH, at.Hs, at.yhat,
      at.dWx, at.dWs, at.dbs, at.dWy, at.dby,
      at.WsT, at.dz, at.dzNext, at.dh, at.drh,
    );
    const grads: FlatParams = {
      Wx: arena.unpad(at.dWx, I, hidden, H, G),
      Ws: arena.unpad(at.dWs, hidden, hidden, H, G),
      Wy: arena.unpad(at.dWy, 1, hidden, H),
    };
    if (p.bs) grads.bs = arena.unpad(at.dbs, 1, hidden, H, G);
    if (p.by) grads.by = arena.read(at.dby, 1);
    const final = { h: arena.unpad(at.Hs + (T - 1) * B * H * 4, B, hidden, H) }; // step T's rows
    return { logits: arena.read(at.logits, B * T), yhat: arena.read(at.yhat, B * T), grads, final };
  }

  /**
   * ŷ of every prefix of every pair of bits-wide operands, in ElmanKernel.prefixOutputs' order (src/eval/exhaustive.ts
   * documents it): [t] holds the 4^(t+1) outputs of step t for t < bits, [bits] the 4^bits of the last step.
   */
  prefixOutputs(p: FlatParams, bits: number): Float32Array[] {
    const hidden = p.Wy.length;
    const H = padded(hidden);
    const most = 4 ** bits;
    const { arena } = this;
    const at = arena.place({
      Ws: H * G * H, inputTerms: 4 * G * H, Wy: H, hEven: most * H, hOdd: most * H, yhat: most, zs: 4 * H, rhs: 4 * H,
    });
    arena.pad(at.Ws, p.Ws, hidden, H, hidden, H, G);
    arena.pad(at.Wy, p.Wy, 1, 1, hidden, H);
    arena.pad(at.inputTerms, inputCodeTerms(p, G * hidden), 4, 4, hidden, H, G);
    arena.heap.fill(0, at.hEven >> 2, (at.hEven >> 2) + H); // h_0 = 0: the empty prefix
    const outputs: Float32Array[] = [];
    let [prev, next] = [at.hEven, at.hOdd];
    for (let t = 0, n = 1; t <= bits; t++) {
      const inputs = t < bits ? 4 : 1;
      this.exports.extendPrefixes(n, inputs, H, at.Ws, at.inputTerms, at.Wy, p.by?.[0] ?? 0, prev, next, at.yhat, at.zs, at.rhs);
      n *= inputs;
      outputs.push(arena.read(at.yhat, n));
      [prev, next] = [next, prev];
    }
    return outputs;
  }

  /**
   * Lays out a step for (B, T, I, H padded), writes the padded weights (zero biases when there are none), x and the
   * state carried in, runs forward. `h0` is the offset of h_0, 0 for a zero state.
   */
  private prepare(p: FlatParams, x: Float32Array, B: number, T: number, { initial }: GruKernelOptions) {
    const hidden = p.Wy.length;
    const H = padded(hidden);
    const I = p.Wx.length / (G * hidden);
    const { arena } = this;
    const at = arena.place({
      Wx: I * G * H, Ws: H * G * H, bs: G * H, Wy: H,
      x: B * T * I, y: B * T, mask: B * T, h0: B * H,
      gates: T * B * G * H, RH: T * B * H, Hs: T * B * H, logits: B * T, yhat: B * T,
      dWx: I * G * H, dWs: H * G * H, dbs: G * H, dWy: H, dby: 1,
      WsT: G * H * H, dz: B * G * H, dzNext: B * G * H, dh: B * H, drh: B * H,
    });
    arena.pad(at.Wx, p.Wx, I, I, hidden, H, G);
    arena.pad(at.Ws, p.Ws, hidden, H, hidden, H, G);
    arena.pad(at.bs, p.bs ?? new Float32Array(G * hidden), 1, 1, hidden, H, G);
    arena.pad(at.Wy, p.Wy, 1, 1, hidden, H);
    arena.write(at.x, x);
    if (initial) arena.pad(at.h0, initial.h, B, B, hidden, H);
    const h0 = initial ? at.h0 : 0;
    this.exports.forward(B, T, H, I, at.Wx, at.Ws, at.bs, at.Wy, p.by?.[0] ?? 0, at.x, h0, at.gates, at.RH, at.Hs, at.logits, at.yhat);
    return { at, H, hidden, I, h0 };
  }
}

let shipped: GruKernel | undefined;

/** The shipped kernel, instantiated on first use. */
export function gruKernel(): GruKernel {
  shipped ??= new GruKernel();
  return shipped;
}
