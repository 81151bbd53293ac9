// The host side of the fused kernel (assembly/elman.ts): instantiates the WebAssembly module from its bytes,
// lays the network and the batch out in the module's memory (arena.ts), pads H to a multiple of 4 and back, and
// calls forward and backward. Plain Float32Arrays in and out; src/engine/fused/elman.ts wraps this in tfjs tensors.
import { LossName } from '../loss';
import { ParamSet } from '../params';
import { Arena, padded } from './arena';
import { ELMAN_WASM } from './kernel-wasm';

/** The module's exports (assembly/elman.ts): byte offsets into `memory` for every array. */
interface KernelExports {
  memory: WebAssembly.Memory;
  arenaStart(): number;
  forward(
    B: number, T: number, H: number,
    Wx: number, Ws: number, bs: number, Wy: number, by: number,
    x: number, S: number, logits: number, yhat: number,
  ): void;
  backward(
    B: number, T: number, H: number, lossKind: number,
    Ws: number, Wy: number, x: number, y: number, S: number, yhat: number,
    dWx: number, dWs: number, dbs: number, dWy: number, dby: number,
    WsT: number, delta: number, deltaNext: number,
  ): void;
  splatWeights(H: number, Wx: number, Ws: number, bs: number, Wy: number, splats: number): void;
  predict(B: number, T: number, H: number, by: number, splats: number, x: number, yhat: number, scratch: number): void;
  prefixLevels(bits: number, H: number, by: number, splats: number, yhat: number, even: number, odd: number, scratch: number): void;
}

/** The weights as flat arrays in the shapes of src/engine/params.ts; bs and by absent without biases. */
export type FlatParams = ParamSet<Float32Array, Float32Array>;

export interface KernelOutputs {
  /** o_t = s_t·Wy + by and ŷ_t = σ(o_t), [B, T] batch-major. */
  logits: Float32Array;
  yhat: Float32Array;
}

const LOSS_CODES: Record<LossName, number> = { mse: 0, bce: 1 };
/** The fused Elman kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class ElmanKernel {
  private readonly exports: KernelExports;
  private readonly arena: Arena;

  constructor(bytes: Uint8Array<ArrayBuffer> = ELMAN_WASM) {
    // Synchronous: the module is ~8 kB, which Chromium compiles on the page's main thread too (its gradient check).
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as KernelExports;
    this.arena = new Arena(this.exports.memory, this.exports.arenaStart());
  }

  /** (F1) (F2) over the whole batch: x is [B, T, 2] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { at, H } = this.prepare(p, x, B, T);
    this.runForward(at, p, B, T, H);
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T) };
  }

  /** Forward, then (B1)…(B8): the gradient of the batch-mean loss (L) for y [B, T], in p's shapes. */
  lossAndGrads(p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName): KernelOutputs & { grads: FlatParams } {
    const { at, H, hidden } = this.prepare(p, x, B, T);
    this.arena.write(at.y, y);
    this.runForward(at, p, B, T, H);
    this.exports.backward(
      B, T, H, LOSS_CODES[kind],
      at.Ws, at.Wy, at.x, at.y, at.S, at.yhat,
      at.dWx, at.dWs, at.dbs, at.dWy, at.dby,
      at.WsT, at.delta, at.deltaNext,
    );
    const grads: FlatParams = {
      Wx: this.arena.unpad(at.dWx, 2, hidden, H),
      Ws: this.arena.unpad(at.dWs, hidden, hidden, H),
      Wy: this.arena.unpad(at.dWy, 1, hidden, H),
    };
    if (p.bs) grads.bs = this.arena.unpad(at.dbs, 1, hidden, H);
    if (p.by) grads.by = this.arena.read(at.dby, 1);
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T), grads };
  }

  /**
   * ŷ [B·T] for x [B, T, 2], the states not kept: the evaluation's forward, four sequences at a time (the batch
   * padded to a multiple of 4 with zero inputs, whose outputs are dropped).
   */
  predict(p: FlatParams, x: Float32Array, B: number, T: number): Float32Array {
    const blocks = (B + 3) & ~3;
    const { at, H } = this.prepareSplats(p, (H) => ({ x: blocks * T * 2, yhat: blocks * T, scratch: 3 * 4 * H }));
    this.arena.write(at.x, x);
    this.arena.heap.fill(0, (at.x >> 2) + x.length, (at.x >> 2) + blocks * T * 2);
    this.exports.predict(blocks, T, H, p.by?.[0] ?? 0, at.splats, at.x, at.yhat, at.scratch);
    return this.arena.read(at.yhat, B * T);
  }

  /**
   * ŷ of every prefix of every pair of bits-wide operands (src/eval/exhaustive.ts): [t] holds the 4^(t+1)
   * outputs of step t for t < bits, prefix q extending prefix q >> 2 by input code q & 3 = 2a + b, and
   * [bits] the 4^bits outputs of the last step, whose input is [0, 0].
   */
  prefixOutputs(p: FlatParams, bits: number): Float32Array[] {
    const sizes = [...Array.from({ length: bits }, (_, t) => 4 ** (t + 1)), 4 ** bits];
    const total = sizes.reduce((a, b) => a + b);
    // The widest level kept: 4^(bits−1) blocks of four states.
    const blocks = 4 ** (bits - 1);
    const { at, H } = this.prepareSplats(p, (H) => ({ yhat: total, even: blocks * 4 * H, odd: blocks * 4 * H, scratch: 6 * 4 * H }));
    this.exports.prefixLevels(bits, H, p.by?.[0] ?? 0, at.splats, at.yhat, at.even, at.odd, at.scratch);
    const all = this.arena.read(at.yhat, total);
    let start = 0;
    return sizes.map((n) => all.subarray(start, (start += n)));
  }

  /**
   * Lays out the padded weights, their splats (assembly/elman.ts' splatWeights) and the arrays `sizes` asks for
   * at the padded H, and splats the weights.
   */
  private prepareSplats<K extends string>(p: FlatParams, sizes: (H: number) => Record<K, number>) {
    const hidden = p.Wy.length;
    const H = padded(hidden);
    const at = this.arena.place({ Wx: 2 * H, Ws: H * H, bs: H, Wy: H, splats: 4 * (H * H + 4 * H), ...sizes(H) });
    this.writeWeights(at, p, hidden, H);
    this.exports.splatWeights(H, at.Wx, at.Ws, at.bs, at.Wy, at.splats);
    return { at, H };
  }

  /** Lays out a training step for (B, T, H padded) and writes the padded weights (zero biases when there are none) and x. */
  private prepare(p: FlatParams, x: Float32Array, B: number, T: number) {
    const hidden = p.Wy.length;
    const H = padded(hidden);
    const at = this.arena.place({
      Wx: 2 * H, Ws: H * H, bs: H, Wy: H,
      x: B * T * 2, y: B * T, S: T * B * H, logits: B * T, yhat: B * T,
      dWx: 2 * H, dWs: H * H, dbs: H, dWy: H, dby: 1,
      WsT: H * H, delta: B * H, deltaNext: B * H,
    });
    this.writeWeights(at, p, hidden, H);
    this.arena.write(at.x, x);
    return { at, H, hidden };
  }

  /** The weights padded to H units (zero biases when there are none). */
  private writeWeights(at: Record<'Wx' | 'Ws' | 'bs' | 'Wy', number>, p: FlatParams, hidden: number, H: number): void {
    this.arena.pad(at.Wx, p.Wx, 2, 2, hidden, H);
    this.arena.pad(at.Ws, p.Ws, hidden, H, hidden, H);
    this.arena.pad(at.bs, p.bs ?? new Float32Array(hidden), 1, 1, hidden, H);
    this.arena.pad(at.Wy, p.Wy, 1, 1, hidden, H);
  }

  private runForward(at: ReturnType<ElmanKernel['prepare']>['at'], p: FlatParams, B: number, T: number, H: number): void {
    this.exports.forward(B, T, H, at.Wx, at.Ws, at.bs, at.Wy, p.by?.[0] ?? 0, at.x, at.S, at.logits, at.yhat);
  }
}

let shipped: ElmanKernel | undefined;

/** The shipped kernel, instantiated on first use. */
export function elmanKernel(): ElmanKernel {
  shipped ??= new ElmanKernel();
  return shipped;
}
