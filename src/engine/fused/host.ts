// What every kernel's host shares (elman-kernel.ts, lstm-kernel.ts): the module instantiated from its bytes, its
// arena, the weights written in with each gate block padded to the kernels' multiple of 4 units, the gradient read
// back out in the parameters' shapes, and the loss codes the modules read.
import type { LossName } from '../../names';
import { Arena, padded } from './arena';
import type { ActivationName } from './capabilities';
import { CellWeights, FlatParams, LayerOptions } from './contract';

/** The codes every module's backward takes as lossKind (assembly/simd.ts' MSE). */
export const LOSS_CODES: Record<LossName, number> = { mse: 0, bce: 1 };

/** The codes the modules take for an activation (assembly/simd.ts' SIGMOID, TANH, HARD_SIGMOID). */
export const ACTIVATION_CODES: Record<ActivationName, number> = { sigmoid: 0, tanh: 1, hardSigmoid: 2 };

/** A layer's activations as the modules' codes: `activation`, and `recurrentActivation` (σ when absent). */
export function activationCodes({ activation, recurrentActivation = 'sigmoid' }: LayerOptions): { act: number; rec: number } {
  return { act: ACTIVATION_CODES[activation], rec: ACTIVATION_CODES[recurrentActivation] };
}

/** What every kernel module exports beside its entry points. */
export interface ModuleExports {
  memory: WebAssembly.Memory;
  arenaStart(): number;
}

/** A network's sizes as a kernel lays them out: I, H (`hidden`) and H padded to a multiple of 4. */
export interface Dims {
  I: number;
  hidden: number;
  H: number;
}

/** I and H read from the flat weights of a cell of G gate blocks (Ws [H, G·H], Wx [I, G·H]). */
export function dimsOf(p: CellWeights, G: number): Dims {
  const hidden = Math.round(Math.sqrt(p.Ws.length / G));
  return { I: p.Wx.length / (G * hidden), hidden, H: padded(hidden) };
}

/** The arena's float32 counts of the weights (or of their gradients, the same shapes) at the padded H. */
export function weightSizes({ I, H }: Dims, G: number) {
  return { Wx: I * G * H, Ws: H * G * H, bs: G * H, Wy: H };
}

/** A kernel module instantiated from its bytes, and its memory as an arena. */
export class KernelHost<E extends ModuleExports> {
  protected readonly exports: E;
  protected readonly arena: Arena;

  /** G, the cell's gate blocks side by side. */
  constructor(bytes: Uint8Array<ArrayBuffer>, protected readonly G: number) {
    // Synchronous: the modules are ~8 kB, which Chromium compiles on the page's main thread too (its gradient check).
    // One module per cell: a process instantiates only the cell it uses.
    this.exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as E;
    this.arena = new Arena(this.exports.memory, this.exports.arenaStart());
  }

  /** The weights padded to H units per gate block at `at`'s offsets; zero biases when there are none, no Wy for a layer. */
  protected writeWeights(at: Record<'Wx' | 'Ws' | 'bs' | 'Wy', number>, p: CellWeights & { Wy?: Float32Array }, { I, hidden, H }: Dims): void {
    const { arena, G } = this;
    arena.pad(at.Wx, p.Wx, I, I, hidden, H, G);
    arena.pad(at.Ws, p.Ws, hidden, H, hidden, H, G);
    arena.pad(at.bs, p.bs ?? new Float32Array(G * hidden), 1, 1, hidden, H, G);
    if (p.Wy) arena.pad(at.Wy, p.Wy, 1, 1, hidden, H);
  }

  /** The cell's gradient at `at`'s offsets in p's shapes, unpadded: bs only where p has it. */
  protected readCellGrads(at: Record<'dWx' | 'dWs' | 'dbs', number>, p: CellWeights, { I, hidden, H }: Dims): CellWeights {
    const { arena, G } = this;
    const grads: CellWeights = { Wx: arena.unpad(at.dWx, I, hidden, H, G), Ws: arena.unpad(at.dWs, hidden, hidden, H, G) };
    if (p.bs) grads.bs = arena.unpad(at.dbs, 1, hidden, H, G);
    return grads;
  }

  /** The whole gradient, the readout's too: by only where p has it. */
  protected readGrads(at: Record<'dWx' | 'dWs' | 'dbs' | 'dWy' | 'dby', number>, p: FlatParams, dims: Dims): FlatParams {
    const grads: FlatParams = { ...this.readCellGrads(at, p, dims), Wy: this.arena.unpad(at.dWy, 1, dims.hidden, dims.H) };
    if (p.by) grads.by = this.arena.read(at.dby, 1);
    return grads;
  }
}

/**
 * A gated cell's x·Wx + bs ((L1), (U1)) for the adder's four inputs [a, b] in code order 2a + b, [4, cols], from
 * Wx [2, cols] and bs [cols]: the input side of every prefix's next step in the exhaustive check.
 */
export function inputCodeTerms(p: FlatParams, cols: number): Float32Array {
  const terms = new Float32Array(4 * cols);
  for (let c = 0; c < 4; c++) {
    for (let j = 0; j < cols; j++) terms[c * cols + j] = (c >> 1) * p.Wx[j] + (c & 1) * p.Wx[cols + j] + (p.bs?.[j] ?? 0);
  }
  return terms;
}
