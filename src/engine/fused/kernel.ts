// The host side of the fused kernel (assembly/elman.ts): instantiates the WebAssembly module from its bytes,
// lays the network and the batch out in the module's memory, pads H to a multiple of 4 and back, and calls
// forward and backward. Plain Float32Arrays in and out; src/engine/fused/elman.ts wraps this in tfjs tensors.
import { LossName } from '../loss';
import { Params } from '../params';
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
}

/** The weights as flat arrays in the shapes of src/engine/params.ts; bs and by absent without biases. */
export type FlatParams = Params<Float32Array>;

export interface KernelOutputs {
  /** o_t = s_t·Wy + by and ŷ_t = σ(o_t), [B, T] batch-major. */
  logits: Float32Array;
  yhat: Float32Array;
}

const LOSS_CODES: Record<LossName, number> = { mse: 0, bce: 1 };
const PAGE = 65536;

/** An array's place in the module's memory, in float32 elements; sizes rounded up to whole v128s. */
type Region = { at: number; size: number };

/** Where every array goes for one (B, T, padded H): the module's memory laid out front to back. */
function layout(start: number, B: number, T: number, H: number) {
  let next = start >> 2;
  const region = (size: number): Region => {
    const r = { at: next, size };
    next += (size + 3) & ~3;
    return r;
  };
  const regions = {
    Wx: region(2 * H), Ws: region(H * H), bs: region(H), Wy: region(H),
    x: region(B * T * 2), y: region(B * T), S: region(T * B * H), logits: region(B * T), yhat: region(B * T),
    dWx: region(2 * H), dWs: region(H * H), dbs: region(H), dWy: region(H), dby: region(1),
    WsT: region(H * H), delta: region(B * H), deltaNext: region(B * H),
  };
  return { regions, bytes: next * 4 };
}

type Regions = ReturnType<typeof layout>['regions'];

/** The fused Elman kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class ElmanKernel {
  private readonly exports: KernelExports;

  constructor(bytes: Uint8Array = ELMAN_WASM) {
    // Synchronous: the module is ~2 kB, under the 4 kB that browsers allow to compile on the main thread.
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as KernelExports;
  }

  /** (F1) (F2) over the whole batch: x is [B, T, 2] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { heap, r, H } = this.prepare(p, x, B, T);
    this.runForward(r, p, B, T, H);
    return { logits: heap.slice(r.logits.at, r.logits.at + B * T), yhat: heap.slice(r.yhat.at, r.yhat.at + B * T) };
  }

  /** Forward, then (B1)…(B8): the gradient of the batch-mean loss (L) for y [B, T], in p's shapes. */
  lossAndGrads(p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName): KernelOutputs & { grads: FlatParams } {
    const { heap, r, H, hidden } = this.prepare(p, x, B, T);
    heap.set(y, r.y.at);
    this.runForward(r, p, B, T, H);
    this.exports.backward(
      B, T, H, LOSS_CODES[kind],
      r.Ws.at * 4, r.Wy.at * 4, r.x.at * 4, r.y.at * 4, r.S.at * 4, r.yhat.at * 4,
      r.dWx.at * 4, r.dWs.at * 4, r.dbs.at * 4, r.dWy.at * 4, r.dby.at * 4,
      r.WsT.at * 4, r.delta.at * 4, r.deltaNext.at * 4,
    );
    const grads: FlatParams = {
      Wx: unpad(heap, r.dWx.at, 2, hidden, H),
      Ws: unpad(heap, r.dWs.at, hidden, hidden, H),
      Wy: unpad(heap, r.dWy.at, 1, hidden, H),
    };
    if (p.bs) grads.bs = unpad(heap, r.dbs.at, 1, hidden, H);
    if (p.by) grads.by = heap.slice(r.dby.at, r.dby.at + 1);
    return { logits: heap.slice(r.logits.at, r.logits.at + B * T), yhat: heap.slice(r.yhat.at, r.yhat.at + B * T), grads };
  }

  /** Grows the memory to fit, and writes the padded weights (zero biases when there are none) and x. */
  private prepare(p: FlatParams, x: Float32Array, B: number, T: number) {
    const hidden = p.Wy.length;
    const H = (hidden + 3) & ~3;
    const { memory } = this.exports;
    const { regions: r, bytes } = layout(this.exports.arenaStart(), B, T, H);
    if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    const heap = new Float32Array(memory.buffer);
    pad(heap, r.Wx.at, p.Wx, 2, 2, hidden, H);
    pad(heap, r.Ws.at, p.Ws, hidden, H, hidden, H);
    pad(heap, r.bs.at, p.bs ?? new Float32Array(hidden), 1, 1, hidden, H);
    pad(heap, r.Wy.at, p.Wy, 1, 1, hidden, H);
    heap.set(x, r.x.at);
    return { heap, r, H, hidden };
  }

  private runForward(r: Regions, p: FlatParams, B: number, T: number, H: number): void {
    this.exports.forward(
      B, T, H,
      r.Wx.at * 4, r.Ws.at * 4, r.bs.at * 4, r.Wy.at * 4, p.by?.[0] ?? 0,
      r.x.at * 4, r.S.at * 4, r.logits.at * 4, r.yhat.at * 4,
    );
  }
}

/** Writes a [rows, cols] matrix as [paddedRows, H] at `at`, the added rows and columns zero. */
function pad(heap: Float32Array, at: number, m: Float32Array, rows: number, paddedRows: number, cols: number, H: number): void {
  heap.fill(0, at, at + paddedRows * H);
  for (let i = 0; i < rows; i++) heap.set(m.subarray(i * cols, (i + 1) * cols), at + i * H);
}

/** The real [rows, cols] block of a padded matrix, copied out. */
function unpad(heap: Float32Array, at: number, rows: number, cols: number, H: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) out.set(heap.subarray(at + i * H, at + i * H + cols), i * cols);
  return out;
}

let shipped: ElmanKernel | undefined;

/** The shipped kernel, instantiated on first use. */
export function elmanKernel(): ElmanKernel {
  shipped ??= new ElmanKernel();
  return shipped;
}
