// The fused kernels by cell: which one computes a network, with which sequence options, on flat arrays (the
// training step's path and the evaluations' forward) or on tensors (the gradient checks').
import { SequenceBatch } from '../../data/sequences';
import { CellEngine } from '../cell';
import { LossName } from '../loss';
import { configOf, NetConfig, Params } from '../params';
import { checkFusedKernel, fusedLossAndGrads, fusedPredictor, fusedPrefixOutputs, hasFusedKernel } from './elman';
import { elmanKernel, FlatParams, KernelOutputs } from './kernel';
import { fusedLstmLossAndGrads, fusedLstmPredictor, fusedLstmPrefixOutputs } from './lstm';
import { lstmKernel, LstmKernelOptions, LstmState } from './lstm-kernel';

/** The fused kernel's loss and gradients on tensors for this network, or undefined when its cell has no kernel. */
export function fusedEngineFor(config: NetConfig): CellEngine['lossAndGrads'] | undefined {
  if (config.cell === 'lstm') return fusedLstmLossAndGrads;
  if (!hasFusedKernel(config)) return undefined;
  return (p, x, y, kind, options = {}) => {
    refuseSequenceOptions(options);
    return fusedLossAndGrads(p, x, y, kind);
  };
}

/** The Elman kernel computes whole sequences from s_0 = 0 with a loss at every step: anything else is another objective. */
function refuseSequenceOptions({ mask, initial, tbptt }: { mask?: unknown; initial?: unknown; tbptt?: number }): void {
  if (mask || initial || tbptt !== undefined) {
    throw new Error("the Elman cell's fused kernel computes full BPTT on whole additions only: no mask, carried state or truncation (use the bptt engine)");
  }
}

/**
 * Forward and backward of a batch on flat weights, in the fused kernel of the network's cell: the outputs and the
 * gradient of the loss (L) over the steps the batch's mask marks, from the state carried in (`initial`), truncated
 * every `tbptt` steps; and the LSTM's last state, where a stream's next window starts. Refuses a cell without a
 * kernel and what its kernel does not compute, before touching anything.
 */
export function fusedStep(
  config: NetConfig,
  p: FlatParams,
  batch: SequenceBatch,
  kind: LossName,
  { initial, tbptt }: Pick<LstmKernelOptions, 'initial' | 'tbptt'> = {},
): KernelOutputs & { grads: FlatParams; final?: Required<LstmState> } {
  const { batch: B, steps: T } = batch;
  if (config.cell === 'lstm') return lstmKernel().lossAndGrads(p, batch.x, batch.y, B, T, kind, { mask: batch.mask, initial, tbptt });
  checkFusedKernel(config);
  refuseSequenceOptions({ mask: batch.mask, initial, tbptt });
  return elmanKernel().lossAndGrads(p, batch.x, batch.y, B, T, kind);
}

/** ŷ [B·T] for x [B, T, I], as a plain array. */
export type Predictor = (x: Float32Array, B: number, T: number) => Float32Array;

/**
 * The fused forward of the parameters' cell with the weights read once, for evaluation: ŷ of any batch the cell's
 * kernel computes (the Elman kernel's two inputs, the LSTM's any); undefined for a network without a kernel.
 */
export function fusedPredictorFor(p: Params): Predictor | undefined {
  const config = configOf(p);
  if (config.cell === 'lstm') return fusedLstmPredictor(p);
  return hasFusedKernel(config) ? fusedPredictor(p) : undefined;
}

/**
 * ŷ of every prefix of every pair of bits-wide operands by the fused kernel of the parameters' cell (the order of
 * src/eval/exhaustive.ts); undefined for a network without a kernel.
 */
export function fusedPrefixOutputsFor(p: Params, bits: number): Float32Array[] | undefined {
  const config = configOf(p);
  if (config.cell === 'lstm') return fusedLstmPrefixOutputs(p, bits);
  return hasFusedKernel(config) ? fusedPrefixOutputs(p, bits) : undefined;
}
