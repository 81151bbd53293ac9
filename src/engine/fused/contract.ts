// The contract every fused kernel keeps (elman-kernel.ts, lstm-kernel.ts): forward and backward of a batch on
// flat arrays, with the sequence options of its capabilities (capabilities.ts), the evaluation's forward, the
// exhaustive check's prefix levels, and a layer's forward and backward from an upstream gradient. Plain Float32Arrays in and out, no tfjs: the tensor ops (ops.ts) and the
// training step (src/train/gradient-step.ts) sit above it. docs/kernels.md describes it.
import type { LossName } from '../../names';
import type { ParamSet } from '../params';
import type { ActivationName, KernelCapabilities, KernelCell } from './capabilities';

/** The weights as flat arrays in the shapes of src/engine/params.ts (Wx [I, G·H], Ws [H, G·H], …); bs and by absent without biases. */
export type FlatParams = ParamSet<Float32Array, Float32Array>;

export interface KernelOutputs {
  /** o_t = h_t·Wy + by and ŷ_t = σ(o_t), [B, T] batch-major. */
  logits: Float32Array;
  yhat: Float32Array;
}

/** A cell's state, [B, H] each: h, and the LSTM's c (zeros when absent). */
export interface KernelState {
  h: Float32Array;
  c?: Float32Array;
}

/** Beyond whole sequences from a zero state with a loss at every step: what the tensor engines take (SequenceOptions). */
export interface KernelSequenceOptions {
  /** h_0 (and c_0): the state a stream's previous window ended in; zeros when absent. */
  initial?: KernelState;
  /** m_t, [B, T]: the steps that carry a loss; every step when absent. */
  mask?: Float32Array;
  /** K: truncated BPTT, the gradient cut at the edge of every window of K steps; full BPTT when absent. */
  tbptt?: number;
}

/** A training step's results: the outputs, the gradient in p's shapes, and h_T (c_T) where the kernel carries state. */
export interface KernelStep extends KernelOutputs {
  grads: FlatParams;
  final?: KernelState;
}

/** A layer's weights: the cell's kernel, recurrent kernel and bias, no readout. */
export type CellWeights = Pick<FlatParams, 'Wx' | 'Ws' | 'bs'>;

/** What a layer's call sets (src/layers/): its activations and the state it starts from. */
export interface LayerOptions {
  /** The Elman cell's f, the LSTM's for g_t and h_t's squashing of c_t. */
  activation: ActivationName;
  /** A gated cell's gates' activation. */
  recurrentActivation?: ActivationName;
  /** h_0 (and c_0), [B, H] each; zeros when absent. */
  initial?: KernelState;
}

/** A layer's backward: the gradients of its weights, of its input x [B, T, I] and of its initial state. */
export interface LayerGrads {
  grads: CellWeights;
  dx: Float32Array;
  initial: KernelState;
}

/** ŷ [B·T] for x [B, T, I], the weights read once: the evaluations' forward. */
export type Predictor = (x: Float32Array, B: number, T: number) => Float32Array;

/** One cell's fused kernel. x is [B, T, I] batch-major, y [B, T]. */
export interface FusedKernel {
  /** The cell whose equations it computes. */
  readonly cell: KernelCell;
  /** What it computes beyond whole sequences: the row of capabilities.ts. */
  readonly capabilities: KernelCapabilities;
  /** The logits and ŷ of every step. */
  forward(p: FlatParams, x: Float32Array, B: number, T: number): KernelOutputs;
  /** Forward, then backward: the gradient of the batch-mean loss (L) over the steps the mask marks. */
  lossAndGrads(p: FlatParams, x: Float32Array, y: Float32Array, B: number, T: number, kind: LossName, options?: KernelSequenceOptions): KernelStep;
  /** The evaluations' forward for these weights. */
  predictor(p: FlatParams): Predictor;
  /**
   * ŷ of every prefix of every pair of bits-wide operands (src/eval/exhaustive.ts documents the order): [t] holds
   * the 4^(t+1) outputs of step t for t < bits, [bits] the 4^bits of the last step, whose input is [0, 0].
   */
  prefixOutputs(p: FlatParams, bits: number): Float32Array[];
}

/**
 * A kernel with the layer path (docs/kernels.md): its row of capabilities.ts lists a layer's activations. A layer's
 * forward and backward, x of any width, the upstream gradient in place of the readout's.
 */
export interface LayerKernel extends FusedKernel {
  /** h_t of every step, [B, T, H] batch-major. */
  states(w: CellWeights, x: Float32Array, B: number, T: number, options: LayerOptions): Float32Array;
  /**
   * Forward again, then the gradient of a loss whose ∂L/∂h_t is `dh` [B, T, H] (zero rows for the steps the loss
   * does not read) in place of the readout's.
   */
  statesGrads(w: CellWeights, x: Float32Array, dh: Float32Array, B: number, T: number, options: LayerOptions): LayerGrads;
}
