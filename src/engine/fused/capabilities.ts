// What each cell's fused kernel computes, declared once as data: the registry's tfjs-free half. The training
// configuration, the CLI's help and checks and the page read this table (loading it loads neither tfjs nor a
// kernel); registry.ts holds the hosts, keyed by the same cells. docs/kernels.md describes the contract.
import type { CellName, TaskName } from '../../names';

/** The activations a kernel can apply (assembly/simd.ts' activate4): σ, tanh and tfjs' hard sigmoid. */
export const ACTIVATIONS = ['sigmoid', 'tanh', 'hardSigmoid'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export interface KernelCapabilities {
  /** I, the input widths of rnn-adder's training step: a list, or 'any' for every width (a layer's: any). */
  inputs: readonly number[] | 'any';
  /** m_t: a loss on the steps a mask marks only. */
  mask: boolean;
  /** h_0 (and c_0) carried in from a stream's previous window, h_T (and c_T) out. */
  carriedState: boolean;
  /** Truncated BPTT: the gradient cut at the edge of every window of K steps. */
  truncation: boolean;
  /** The exhaustive check's shared-prefix levels (src/eval/exhaustive.ts). */
  prefixLevels: boolean;
  /**
   * A layer's `activation`: the Elman cell's f, the LSTM's for g_t and h_t's squashing of c_t, the GRU's for h̃_t;
   * none for a kernel without the layer path (contract.ts' states and statesGrads).
   */
  activations: readonly ActivationName[];
  /** A gated cell's `recurrentActivation`, its gates'; none for the Elman cell. */
  recurrentActivations: readonly ActivationName[];
  /** The tasks whose training step the kernel computes. */
  tasks: readonly TaskName[];
  /** What it computes, in the words of the help text and the refusals. */
  computes: string;
}

/** One row per cell that has a fused kernel; a cell absent here trains on its tensor engine. */
export const KERNEL_CAPABILITIES = {
  elman: {
    inputs: [2], mask: false, carriedState: false, truncation: false, prefixLevels: true,
    activations: ['sigmoid', 'tanh'], recurrentActivations: [], tasks: ['add'], computes: 'whole additions with full BPTT',
  },
  lstm: {
    inputs: 'any', mask: true, carriedState: true, truncation: true, prefixLevels: true,
    activations: ['tanh', 'sigmoid'], recurrentActivations: ['sigmoid', 'hardSigmoid'], tasks: ['add', 'echo', 'adding-problem'], computes: 'every task',
  },
  gru: {
    inputs: 'any', mask: true, carriedState: true, truncation: true, prefixLevels: true,
    activations: ['tanh', 'sigmoid'], recurrentActivations: ['sigmoid', 'hardSigmoid'], tasks: ['add', 'echo', 'adding-problem'], computes: 'every task',
  },
} as const satisfies Partial<Record<CellName, KernelCapabilities>>;

/** A cell that has a fused kernel. */
export type KernelCell = keyof typeof KERNEL_CAPABILITIES;

/** The cells that have a fused kernel, in the table's order. */
export const FUSED_CELLS: readonly CellName[] = Object.keys(KERNEL_CAPABILITIES) as KernelCell[];

/** The cell's kernel's capabilities, or undefined for a cell without one. */
export function capabilitiesOf(cell: CellName): KernelCapabilities | undefined {
  return (KERNEL_CAPABILITIES as Partial<Record<CellName, KernelCapabilities>>)[cell];
}

/** What a computation asks of a kernel beyond whole sequences from a zero state with a loss at every step. */
export interface KernelRequest {
  /** I, the input width. */
  inputs: number;
  mask?: boolean;
  carriedState?: boolean;
  truncation?: boolean;
}

/**
 * Why the cell's kernel cannot compute the request (one line naming what it lacks), or undefined when it can: the
 * one check every fused path makes before touching a kernel.
 */
export function kernelRefusal(cell: CellName, request: KernelRequest): string | undefined {
  const caps = capabilitiesOf(cell);
  if (caps === undefined) return `the ${cell} cell has no fused kernel (the ${FUSED_CELLS.join(' and ')} cells have)`;
  if (caps.inputs !== 'any' && !caps.inputs.includes(request.inputs)) {
    return `the ${cell} cell's fused kernel takes ${caps.inputs.join(' or ')} inputs, not ${request.inputs}`;
  }
  const asked = (['mask', 'carriedState', 'truncation'] as const).filter((option) => request[option] && !caps[option]);
  if (asked.length > 0) {
    const words = { mask: 'loss mask', carriedState: 'carried state', truncation: 'truncation' };
    return `the ${cell} cell's fused kernel computes ${caps.computes} only: no ${asked.map((o) => words[o]).join(', ')}`;
  }
  return undefined;
}

/** True when the cell's fused kernel computes the task's training step, truncated every `tbptt` steps when given. */
export function fusedComputes(cell: CellName, task: TaskName = 'add', tbptt?: number): boolean {
  const caps = capabilitiesOf(cell);
  return caps !== undefined && caps.tasks.includes(task) && (tbptt === undefined || caps.truncation);
}

/** The help text's account of the kernels: each cell with what its kernel computes. */
export function describeKernels(): string {
  return FUSED_CELLS.map((cell) => `${cell}: ${capabilitiesOf(cell)!.computes}`).join(', ');
}
