// The host of the fused Elman kernel (assembly/elman.ts): lays the network and the batch out in the module's
// memory (host.ts, arena.ts) and calls forward and backward (with the readout and loss, or from a layer's upstream
// gradient), the evaluation's four-sequence forward and the prefix levels. Plain Float32Arrays in and out
// (contract.ts); elman.ts wraps it in tfjs tensors, src/layers/ in a tfjs layer.
import type { LossName } from '../../names';
import { GATES } from '../params';
import { KERNEL_CAPABILITIES } from './capabilities';
import { CellWeights, FlatParams, KernelOutputs, KernelStep, LayerGrads, LayerKernel, LayerOptions, Predictor } from './contract';
import { ELMAN_WASM } from './elman-kernel-wasm';
import { ACTIVATION_CODES, activationCodes, Dims, dimsOf, KernelHost, LOSS_CODES, ModuleExports, weightSizes } from './host';

/** The module's exports (assembly/elman.ts): byte offsets into `memory` for every array. */
interface ElmanExports extends ModuleExports {
  forward(
    B: number, T: number, H: number, I: number, act: number,
    Wx: number, Ws: number, bs: number, Wy: number, by: number,
    x: number, h0: number, S: number, logits: number, yhat: number,
  ): void;
  backward(
    B: number, T: number, H: number, I: number, act: number, lossKind: number,
    Wx: number, Ws: number, Wy: number, x: number, y: number, up: number, h0: number, S: number, yhat: number,
    dWx: number, dWs: number, dbs: number, dWy: number, dby: number, dx: number, dh0: number,
    WsT: number, delta: number, deltaNext: number,
  ): void;
  splatWeights(H: number, Wx: number, Ws: number, bs: number, Wy: number, splats: number): void;
  predict(B: number, T: number, H: number, by: number, splats: number, x: number, yhat: number, scratch: number): void;
  prefixLevels(bits: number, H: number, by: number, splats: number, yhat: number, even: number, odd: number, scratch: number): void;
}

const G = GATES.elman;
/** rnn-adder's Elman cell: s_t = σ(…) (F1). */
const ADDER_ACTIVATION = ACTIVATION_CODES.sigmoid;

/** The fused Elman kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class ElmanKernel extends KernelHost<ElmanExports> implements LayerKernel {
  readonly cell = 'elman';
  readonly capabilities = KERNEL_CAPABILITIES.elman;

  constructor(bytes: Uint8Array<ArrayBuffer> = ELMAN_WASM) {
    super(bytes, G);
  }

  /** (F1) (F2) over the whole batch: x is [B, T, 2] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { at, dims } = this.prepare(p, x, B, T);
    this.runForward(at, p, B, T, dims);
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T) };
  }

  /** Forward, then (B1)…(B8): the gradient of the batch-mean loss (L) for y [B, T], in p's shapes. */
  lossAndGrads(p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName): KernelStep {
    const { at, dims } = this.prepare(p, x, B, T);
    const { H, I } = dims;
    this.arena.write(at.y, y);
    this.runForward(at, p, B, T, dims);
    this.exports.backward(
      B, T, H, I, ADDER_ACTIVATION, LOSS_CODES[kind],
      at.Wx, at.Ws, at.Wy, at.x, at.y, 0, 0, at.S, at.yhat,
      at.dWx, at.dWs, at.dbs, at.dWy, at.dby, 0, 0,
      at.WsT, at.delta, at.deltaNext,
    );
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T), grads: this.readGrads(at, p, dims) };
  }

  /** (F1) with the layer's f from h_0: s_t of every step, [B, T, H]. */
  states(w: CellWeights, x: Float32Array, B: number, T: number, options: LayerOptions): Float32Array {
    const { at, dims } = this.prepareLayer(w, x, B, T, options);
    return this.arena.readSteps(at.S, B, T, dims.hidden, dims.H);
  }

  /** Forward, then (B4)–(B10) from the upstream ∂L/∂s_t `dh` [B, T, H]: the cell's gradients, ∂L/∂x and ∂L/∂s_0. */
  statesGrads(w: CellWeights, x: Float32Array, dh: Float32Array, B: number, T: number, options: LayerOptions): LayerGrads {
    const { at, dims, h0 } = this.prepareLayer(w, x, B, T, options);
    const { H, I, hidden } = dims;
    const { arena } = this;
    arena.writeSteps(at.up, dh, B, T, hidden, H);
    this.exports.backward(
      B, T, H, I, activationCodes(options).act, 0,
      at.Wx, at.Ws, 0, at.x, 0, at.up, h0, at.S, 0,
      at.dWx, at.dWs, at.dbs, 0, 0, at.dx, at.dh0,
      at.WsT, at.delta, at.deltaNext,
    );
    return { grads: this.readCellGrads(at, w, dims), dx: arena.read(at.dx, B * T * I), initial: { h: arena.unpad(at.dh0, B, hidden, H) } };
  }

  /**
   * ŷ [B·T] for x [B, T, 2], the states not kept, four sequences at a time (the batch padded to a multiple of 4
   * with zero inputs, whose outputs are dropped).
   */
  predictor(p: FlatParams): Predictor {
    return (x, B, T) => {
      const blocks = (B + 3) & ~3;
      const { at, H } = this.prepareSplats(p, (H) => ({ x: blocks * T * 2, yhat: blocks * T, scratch: 3 * 4 * H }));
      this.arena.write(at.x, x);
      this.arena.heap.fill(0, (at.x >> 2) + x.length, (at.x >> 2) + blocks * T * 2);
      this.exports.predict(blocks, T, H, p.by?.[0] ?? 0, at.splats, at.x, at.yhat, at.scratch);
      return this.arena.read(at.yhat, B * T);
    };
  }

  /** The prefix levels (contract.ts), prefix q extending prefix q >> 2 by input code q & 3 = 2a + b. */
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
    const dims = dimsOf(p, G);
    const { H } = dims;
    const at = this.arena.place({ ...weightSizes(dims, G), splats: 4 * (H * H + 4 * H), ...sizes(H) });
    this.writeWeights(at, p, dims);
    this.exports.splatWeights(H, at.Wx, at.Ws, at.bs, at.Wy, at.splats);
    return { at, H };
  }

  /** Lays out a training step for (B, T, I, H padded) and writes the padded weights and x. */
  private prepare(p: FlatParams, x: Float32Array, B: number, T: number) {
    const dims = dimsOf(p, G);
    const { H, I } = dims;
    const at = this.arena.place({
      ...weightSizes(dims, G),
      x: B * T * I, y: B * T, S: T * B * H, logits: B * T, yhat: B * T,
      dWx: I * H, dWs: H * H, dbs: H, dWy: H, dby: 1,
      WsT: H * H, delta: B * H, deltaNext: B * H,
    });
    this.writeWeights(at, p, dims);
    this.arena.write(at.x, x);
    return { at, dims };
  }

  /** Lays out a layer's step, writes the weights, x and s_0, and runs (F1): `h0` is s_0's offset, 0 for zeros. */
  private prepareLayer(w: CellWeights, x: Float32Array, B: number, T: number, options: LayerOptions) {
    const dims = dimsOf(w, G);
    const { H, I, hidden } = dims;
    const { arena } = this;
    const at = arena.place({
      ...weightSizes(dims, G),
      x: B * T * I, h0: B * H, S: T * B * H, up: T * B * H,
      dWx: I * H, dWs: H * H, dbs: H, dx: B * T * I, dh0: B * H,
      WsT: H * H, delta: B * H, deltaNext: B * H,
    });
    this.writeWeights(at, w, dims);
    arena.write(at.x, x);
    const initial = options.initial?.h;
    if (initial) arena.pad(at.h0, initial, B, B, hidden, H);
    const h0 = initial ? at.h0 : 0;
    this.exports.forward(B, T, H, I, activationCodes(options).act, at.Wx, at.Ws, at.bs, 0, 0, at.x, h0, at.S, 0, 0);
    return { at, dims, h0 };
  }

  /** rnn-adder's (F1) (F2), from s_0 = 0. */
  private runForward(at: ReturnType<ElmanKernel['prepare']>['at'], p: FlatParams, B: number, T: number, { H, I }: Dims): void {
    this.exports.forward(B, T, H, I, ADDER_ACTIVATION, at.Wx, at.Ws, at.bs, at.Wy, p.by?.[0] ?? 0, at.x, 0, at.S, at.logits, at.yhat);
  }
}

let shipped: ElmanKernel | undefined;

/** The shipped kernel, instantiated on first use. */
export function elmanKernel(): ElmanKernel {
  shipped ??= new ElmanKernel();
  return shipped;
}
