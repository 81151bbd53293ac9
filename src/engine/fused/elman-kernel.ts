// The host of the fused Elman kernel (assembly/elman.ts): lays the network and the batch out in the module's
// memory (host.ts, arena.ts) and calls forward and backward, the evaluation's four-sequence forward and the prefix
// levels. Plain Float32Arrays in and out (contract.ts); elman.ts wraps it in tfjs tensors.
import type { LossName } from '../names';
import { GATES } from '../params';
import { KERNEL_CAPABILITIES } from './capabilities';
import { FlatParams, FusedKernel, KernelOutputs, KernelStep, Predictor } from './contract';
import { ELMAN_WASM } from './elman-kernel-wasm';
import { dimsOf, KernelHost, LOSS_CODES, ModuleExports, weightSizes } from './host';

/** The module's exports (assembly/elman.ts): byte offsets into `memory` for every array. */
interface ElmanExports extends ModuleExports {
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

const G = GATES.elman;

/** The fused Elman kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class ElmanKernel extends KernelHost<ElmanExports> implements FusedKernel {
  readonly cell = 'elman';
  readonly capabilities = KERNEL_CAPABILITIES.elman;

  constructor(bytes: Uint8Array<ArrayBuffer> = ELMAN_WASM) {
    super(bytes, G);
  }

  /** (F1) (F2) over the whole batch: x is [B, T, 2] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { at, dims } = this.prepare(p, x, B, T);
    this.runForward(at, p, B, T, dims.H);
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T) };
  }

  /** Forward, then (B1)…(B8): the gradient of the batch-mean loss (L) for y [B, T], in p's shapes. */
  lossAndGrads(p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName): KernelStep {
    const { at, dims } = this.prepare(p, x, B, T);
    const { H } = dims;
    this.arena.write(at.y, y);
    this.runForward(at, p, B, T, H);
    this.exports.backward(
      B, T, H, LOSS_CODES[kind],
      at.Ws, at.Wy, at.x, at.y, at.S, at.yhat,
      at.dWx, at.dWs, at.dbs, at.dWy, at.dby,
      at.WsT, at.delta, at.deltaNext,
    );
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T), grads: this.readGrads(at, p, dims) };
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

  /** Lays out a training step for (B, T, H padded) and writes the padded weights and x. */
  private prepare(p: FlatParams, x: Float32Array, B: number, T: number) {
    const dims = dimsOf(p, G);
    const { H } = dims;
    const at = this.arena.place({
      ...weightSizes(dims, G),
      x: B * T * 2, y: B * T, S: T * B * H, logits: B * T, yhat: B * T,
      dWx: 2 * H, dWs: H * H, dbs: H, dWy: H, dby: 1,
      WsT: H * H, delta: B * H, deltaNext: B * H,
    });
    this.writeWeights(at, p, dims);
    this.arena.write(at.x, x);
    return { at, dims };
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
