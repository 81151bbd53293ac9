// The fused kernel of a network, looked up in the registry (registry.ts) by its cell and checked against what the
// call asks (capabilities.ts): the training step's path on flat arrays, the evaluations' forward and prefix levels,
// and the gradient checks' path on tensors. A network whose cell has no kernel, or whose input width its kernel
// does not take, gets undefined where a fallback exists (its tensor engine) and a refusal where none does.
import { SequenceBatch } from '../../data/sequences';
import { CellEngine } from '../cell';
import type { LossName } from '../../names';
import { ADDER_INPUTS, configOf, NetConfig, Params } from '../params';
import { kernelRefusal } from './capabilities';
import { FlatParams, FusedKernel, KernelSequenceOptions, KernelStep, Predictor } from './contract';
import { kernelLossAndGrads, kernelPredictor, kernelPrefixOutputs } from './ops';
import { kernelFor, kernelOf } from './registry';

/** The kernel that computes this network's forward and whole-sequence backward, or undefined. */
function kernelOfNetwork({ cell = 'elman', inputs = ADDER_INPUTS }: NetConfig): FusedKernel | undefined {
  return kernelRefusal(cell, { inputs }) === undefined ? kernelOf(cell) : undefined;
}

/** The fused kernel's loss and gradients on tensors for this network, or undefined when none computes it. */
export function fusedEngineFor(config: NetConfig): CellEngine['lossAndGrads'] | undefined {
  const kernel = kernelOfNetwork(config);
  return kernel && ((p, x, y, kind, options) => kernelLossAndGrads(kernel, p, x, y, kind, options));
}

/**
 * Forward and backward of a batch on flat weights, in the fused kernel of the network's cell: the outputs and the
 * gradient of the loss (L) over the steps the batch's mask marks, from the state carried in (`initial`), truncated
 * every `tbptt` steps; and the last state where the kernel carries one. Refuses a cell without a kernel and what
 * its kernel does not compute, before touching anything.
 */
export function fusedStep(
  { cell = 'elman', inputs = ADDER_INPUTS }: NetConfig,
  p: FlatParams,
  batch: SequenceBatch,
  kind: LossName,
  { initial, tbptt }: Pick<KernelSequenceOptions, 'initial' | 'tbptt'> = {},
): KernelStep {
  const { batch: B, steps: T, x, y, mask } = batch;
  const request = { inputs, mask: mask !== undefined, carriedState: initial !== undefined, truncation: tbptt !== undefined };
  return kernelFor(cell, request).lossAndGrads(p, x, y, B, T, kind, { mask, initial, tbptt });
}

/** The fused forward of the parameters' network with the weights read once, for evaluation; undefined without a kernel. */
export function fusedPredictorFor(p: Params): Predictor | undefined {
  const kernel = kernelOfNetwork(configOf(p));
  return kernel && kernelPredictor(kernel, p);
}

/**
 * ŷ of every prefix of every pair of bits-wide operands by the fused kernel of the parameters' network (the order
 * of src/eval/exhaustive.ts); undefined for a network without a kernel that computes the prefix levels.
 */
export function fusedPrefixOutputsFor(p: Params, bits: number): Float32Array[] | undefined {
  const kernel = kernelOfNetwork(configOf(p));
  return kernel?.capabilities.prefixLevels ? kernelPrefixOutputs(kernel, p, bits) : undefined;
}
