// The fused kernels by cell: the registry's half that loads hosts (capabilities.ts is the tfjs-free half that
// says what each computes). One line per cell; the type makes a row of capabilities.ts without a host, or a host
// without a row, a compile error. Each host (and its WebAssembly) loads when its cell's kernel is first asked for.
import type { CellName } from '../../names';
import { capabilitiesOf, KernelCell, kernelRefusal, KernelRequest } from './capabilities';
import { FusedKernel, LayerKernel } from './contract';

const KERNELS: Record<KernelCell, () => FusedKernel> = {
  elman: () => (require('./elman-kernel') as typeof import('./elman-kernel')).elmanKernel(),
  lstm: () => (require('./lstm-kernel') as typeof import('./lstm-kernel')).lstmKernel(),
  gru: () => (require('./gru-kernel') as typeof import('./gru-kernel')).gruKernel(),
};

/** The shipped kernel of the cell, or undefined for a cell without one. */
export function kernelOf(cell: CellName): FusedKernel | undefined {
  return capabilitiesOf(cell) && KERNELS[cell as KernelCell]();
}

/** The cell's kernel, after checking that it computes the request: refuses, in one line, before touching anything. */
export function kernelFor(cell: CellName, request: KernelRequest): FusedKernel {
  const refusal = kernelRefusal(cell, request);
  if (refusal !== undefined) throw new Error(`${refusal} (use the bptt engine)`);
  return KERNELS[cell as KernelCell]();
}

/** The cell's kernel with the layer path, or undefined where its kernel has none (its row lists no activations). */
export function layerKernelOf(cell: CellName): LayerKernel | undefined {
  const kernel = kernelOf(cell);
  return kernel && kernel.capabilities.activations.length > 0 ? (kernel as LayerKernel) : undefined;
}
