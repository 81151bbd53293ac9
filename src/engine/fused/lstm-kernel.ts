// The host of the fused LSTM kernel (assembly/lstm.ts): lays the network, the batch and the state carried in out
// in the module's memory (host.ts, arena.ts) and calls forward and backward (with the readout and loss, or from a
// layer's upstream gradient) and the prefix levels' step. Plain Float32Arrays in and out (contract.ts); lstm.ts
// wraps it in tfjs tensors, src/layers/ in a tfjs layer, src/train/gradient-step.ts trains on it directly.
import type { LossName } from '../../names';
import { GATES } from '../params';
import { KERNEL_CAPABILITIES } from './capabilities';
import {
  CellWeights, FlatParams, KernelOutputs, KernelSequenceOptions, KernelState, KernelStep, LayerGrads, LayerKernel, LayerOptions, Predictor,
} from './contract';
import { activationCodes, dimsOf, inputCodeTerms, KernelHost, LOSS_CODES, ModuleExports, weightSizes } from './host';
import { LSTM_WASM } from './lstm-kernel-wasm';

/** The module's exports (assembly/lstm.ts): byte offsets into `memory` for every array. */
interface LstmExports extends ModuleExports {
  forward(
    B: number, T: number, H: number, I: number, act: number, rec: number,
    Wx: number, Ws: number, bs: number, Wy: number, by: number,
    x: number, h0: number, c0: number, gates: number, C: number, TC: number, Hs: number, logits: number, yhat: number,
  ): void;
  backward(
    B: number, T: number, H: number, I: number, act: number, rec: number, lossKind: number, tbptt: number,
    Wx: number, Ws: number, Wy: number, x: number, y: number, mask: number, up: number, h0: number, c0: number,
    gates: number, C: number, TC: number, Hs: number, yhat: number,
    dWx: number, dWs: number, dbs: number, dWy: number, dby: number, dx: number, dh0: number, dc0: number,
    WsT: number, dz: number, dzNext: number, dc: number,
  ): void;
  extendPrefixes(
    n: number, inputs: number, H: number,
    Ws: number, inputTerms: number, Wy: number, by: number,
    hPrev: number, cPrev: number, hNext: number, cNext: number, yhat: number,
  ): void;
}

const G = GATES.lstm;
/** rnn-adder's LSTM: tanh for g_t and h_t, σ for the gates (L2)–(L4). */
const ADDER = activationCodes({ activation: 'tanh', recurrentActivation: 'sigmoid' });

/** The fused LSTM kernel, instantiated from a module's bytes (the shipped one unless a test brings a mutant). */
export class LstmKernel extends KernelHost<LstmExports> implements LayerKernel {
  readonly cell = 'lstm';
  readonly capabilities = KERNEL_CAPABILITIES.lstm;

  constructor(bytes: Uint8Array<ArrayBuffer> = LSTM_WASM) {
    super(bytes, G);
  }

  /** (L1)–(L4) and (F2) over the whole batch: x is [B, T, I] batch-major. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs {
    const { at } = this.prepare(p, x, B, T, {}, ADDER, true);
    return { logits: this.arena.read(at.logits, B * T), yhat: this.arena.read(at.yhat, B * T) };
  }

  /**
   * Forward, then (B1)–(B3) and (L5)–(L9): the gradient of the loss (L) for y [B, T], in p's shapes; and h_T, c_T,
   * where a stream's next window starts.
   */
  lossAndGrads(
    p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName, options: KernelSequenceOptions = {},
  ): KernelStep & { final: Required<KernelState> } {
    const { at, dims, carried } = this.prepare(p, x, B, T, options, ADDER, true);
    const { H, hidden, I } = dims;
    const { arena } = this;
    arena.write(at.y, y);
    if (options.mask) arena.write(at.mask, options.mask);
    this.exports.backward(
      B, T, H, I, ADDER.act, ADDER.rec, LOSS_CODES[kind], options.tbptt ?? 0,
      at.Wx, at.Ws, at.Wy, at.x, at.y, options.mask ? at.mask : 0, 0, carried.h, carried.c,
      at.gates, at.C, at.TC, at.Hs, at.yhat,
      at.dWx, at.dWs, at.dbs, at.dWy, at.dby, 0, 0, 0,
      at.WsT, at.dz, at.dzNext, at.dc,
    );
    const last = (T - 1) * B * H * 4; // bytes to step T's rows
    const final = { h: arena.unpad(at.Hs + last, B, hidden, H), c: arena.unpad(at.C + last, B, hidden, H) };
    return { logits: arena.read(at.logits, B * T), yhat: arena.read(at.yhat, B * T), grads: this.readGrads(at, p, dims), final };
  }

  /** (L1)–(L4) with the layer's activations from h_0, c_0: h_t of every step, [B, T, H]. */
  states(w: CellWeights, x: Float32Array, B: number, T: number, options: LayerOptions): Float32Array {
    const { at, dims } = this.prepare(w, x, B, T, options, activationCodes(options), false);
    return this.arena.readSteps(at.Hs, B, T, dims.hidden, dims.H);
  }

  /** Forward, then (L5)–(L11) from the upstream ∂L/∂h_t `dh` [B, T, H]: the cell's gradients, ∂L/∂x, ∂L/∂h_0 and ∂L/∂c_0. */
  statesGrads(w: CellWeights, x: Float32Array, dh: Float32Array, B: number, T: number, options: LayerOptions): LayerGrads {
    const codes = activationCodes(options);
    const { at, dims, carried } = this.prepare(w, x, B, T, options, codes, false);
    const { H, hidden, I } = dims;
    const { arena } = this;
    arena.writeSteps(at.up, dh, B, T, hidden, H);
    this.exports.backward(
      B, T, H, I, codes.act, codes.rec, 0, 0,
      at.Wx, at.Ws, 0, at.x, 0, 0, at.up, carried.h, carried.c,
      at.gates, at.C, at.TC, at.Hs, 0,
      at.dWx, at.dWs, at.dbs, 0, 0, at.dx, at.dh0, at.dc0,
      at.WsT, at.dz, at.dzNext, at.dc,
    );
    return {
      grads: this.readCellGrads(at, w, dims),
      dx: arena.read(at.dx, B * T * I),
      initial: { h: arena.unpad(at.dh0, B, hidden, H), c: arena.unpad(at.dc0, B, hidden, H) },
    };
  }

  /** ŷ [B·T] for x [B, T, I]: the whole forward, its states dropped. */
  predictor(p: FlatParams): Predictor {
    return (x, B, T) => this.forward(p, x, B, T).yhat;
  }

  /** The prefix levels (contract.ts): one extendPrefixes call per step, the levels alternating between two buffers. */
  prefixOutputs(p: FlatParams, bits: number): Float32Array[] {
    const { hidden, H } = dimsOf(p, G);
    const most = 4 ** bits;
    const { arena } = this;
    const at = arena.place({
      Ws: H * G * H, inputTerms: 4 * G * H, Wy: H,
      hEven: most * H, cEven: most * H, hOdd: most * H, cOdd: most * H, yhat: most,
    });
    arena.pad(at.Ws, p.Ws, hidden, H, hidden, H, G);
    arena.pad(at.Wy, p.Wy, 1, 1, hidden, H);
    arena.pad(at.inputTerms, inputCodeTerms(p, G * hidden), 4, 4, hidden, H, G);
    arena.heap.fill(0, at.hEven >> 2, (at.hEven >> 2) + H); // h_0 = 0: the empty prefix
    arena.heap.fill(0, at.cEven >> 2, (at.cEven >> 2) + H); // c_0 = 0
    const outputs: Float32Array[] = [];
    let [prev, next] = [{ h: at.hEven, c: at.cEven }, { h: at.hOdd, c: at.cOdd }];
    for (let t = 0, n = 1; t <= bits; t++) {
      const inputs = t < bits ? 4 : 1;
      this.exports.extendPrefixes(n, inputs, H, at.Ws, at.inputTerms, at.Wy, p.by?.[0] ?? 0, prev.h, prev.c, next.h, next.c, at.yhat);
      n *= inputs;
      outputs.push(arena.read(at.yhat, n));
      [prev, next] = [next, prev];
    }
    return outputs;
  }

  /**
   * Lays out a step for (B, T, I, H padded), writes the padded weights, x and the state carried in, runs forward
   * with the activations' codes, and the readout where `readout` asks (rnn-adder's network, not a layer).
   * `carried` holds the offsets of h_0 and c_0, 0 for a zero state.
   */
  private prepare(
    p: CellWeights & { Wy?: Float32Array; by?: Float32Array }, x: Float32Array, B: number, T: number,
    { initial }: KernelSequenceOptions, { act, rec }: { act: number; rec: number }, readout: boolean,
  ) {
    const dims = dimsOf(p, G);
    const { H, hidden, I } = dims;
    const { arena } = this;
    const at = arena.place({
      ...weightSizes(dims, G),
      x: B * T * I, y: B * T, mask: B * T, h0: B * H, c0: B * H,
      gates: T * B * G * H, C: T * B * H, TC: T * B * H, Hs: T * B * H, logits: B * T, yhat: B * T,
      dWx: I * G * H, dWs: H * G * H, dbs: G * H, dWy: H, dby: 1,
      WsT: G * H * H, dz: B * G * H, dzNext: B * G * H, dc: B * H,
      // A layer's upstream gradient and its gradients of x, h_0 and c_0; none for the readout's step.
      up: readout ? 0 : T * B * H, dx: readout ? 0 : B * T * I, dh0: readout ? 0 : B * H, dc0: readout ? 0 : B * H,
    });
    this.writeWeights(at, p, dims);
    arena.write(at.x, x);
    if (initial) arena.pad(at.h0, initial.h, B, B, hidden, H);
    if (initial?.c) arena.pad(at.c0, initial.c, B, B, hidden, H);
    const carried = { h: initial ? at.h0 : 0, c: initial?.c ? at.c0 : 0 };
    this.exports.forward(
      B, T, H, I, act, rec, at.Wx, at.Ws, at.bs, at.Wy, p.by?.[0] ?? 0,
      at.x, carried.h, carried.c, at.gates, at.C, at.TC, at.Hs, readout ? at.logits : 0, at.yhat,
    );
    return { at, dims, carried };
  }
}

let shipped: LstmKernel | undefined;

/** The shipped kernel, instantiated on first use. */
export function lstmKernel(): LstmKernel {
  shipped ??= new LstmKernel();
  return shipped;
}
