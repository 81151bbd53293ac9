// What a fused layer takes of tfjs' SimpleRNN / LSTM config: the options the kernels compute, checked once at
// construction; everything else is refused in one line naming the option, unless it holds tfjs' neutral value
// (dropout 0, stateful false, no regularizer…), which a standard layer's saved config carries.
import { UserError } from '../errors';
import { MAX_HIDDEN } from '../limits';
import { ActivationName, capabilitiesOf, KernelCell } from '../engine/fused/capabilities';
import type { InitializerOption } from './initializers';

/** The options of tfjs' SimpleRNN that the fused kernel computes. */
export interface FusedSimpleRNNArgs {
  units: number;
  /** f of s_t = f(x_t·W + s_{t−1}·U + b): 'tanh' (tfjs' default) or 'sigmoid'. */
  activation?: ActivationName;
  useBias?: boolean;
  returnSequences?: boolean;
  goBackwards?: boolean;
  kernelInitializer?: InitializerOption;
  recurrentInitializer?: InitializerOption;
  biasInitializer?: InitializerOption;
  inputShape?: (number | null)[];
  batchInputShape?: (number | null)[];
  batchSize?: number;
  name?: string;
  trainable?: boolean;
  dtype?: 'float32';
  /** Ignored, as by tfjs' layers on a backend that has one implementation. */
  implementation?: number;
}

/** The options of tfjs' LSTM that the fused kernel computes. */
export interface FusedLSTMArgs extends FusedSimpleRNNArgs {
  /** The gates' activation: 'hardSigmoid' (tfjs' default) or 'sigmoid'. */
  recurrentActivation?: ActivationName;
  /** Adds 1 to the forget gate's bias at initialisation (the bias initializer then fills the other blocks). */
  unitForgetBias?: boolean;
}

const SIMPLE_RNN_OPTIONS: readonly string[] = [
  'units', 'activation', 'useBias', 'returnSequences', 'goBackwards', 'kernelInitializer', 'recurrentInitializer',
  'biasInitializer', 'inputShape', 'batchInputShape', 'batchSize', 'name', 'trainable', 'dtype', 'implementation',
];
const LSTM_OPTIONS: readonly string[] = [...SIMPLE_RNN_OPTIONS, 'recurrentActivation', 'unitForgetBias'];

/** What tfjs' deserialization adds to a saved config: neither an option nor refused, and not kept. */
export const DESERIALIZATION_KEYS: readonly string[] = ['customObjects', 'fastWeightInit'];

/** The layer's own options, by cell. */
export const LAYER_OPTIONS: Partial<Record<KernelCell, readonly string[]>> = { elman: SIMPLE_RNN_OPTIONS, lstm: LSTM_OPTIONS };

/** An unsupported option's value that asks for nothing: what a standard layer's saved config holds by default. */
const neutral = (value: unknown): boolean => value === undefined || value === null || value === 0 || value === false;

/** Refuses an option the kernel does not compute, or an activation it does not apply, in one line naming it. */
export function checkLayerArgs(factory: string, cell: KernelCell, args: Record<string, unknown>): void {
  if (args === null || typeof args !== 'object') throw new UserError(`${factory} expects a config object, got ${args}`);
  const known = LAYER_OPTIONS[cell]!;
  for (const [key, value] of Object.entries(args)) {
    if (!known.includes(key) && !DESERIALIZATION_KEYS.includes(key) && !neutral(value)) {
      throw new UserError(`${factory}: option ${key} is not supported by the fused kernel (supported: ${known.join(', ')})`);
    }
  }
  if (!Number.isInteger(args.units) || (args.units as number) < 1 || (args.units as number) > MAX_HIDDEN) {
    throw new UserError(`${factory}: units must be an integer from 1 to ${MAX_HIDDEN}, got ${args.units}`, 'limit');
  }
  const caps = capabilitiesOf(cell)!;
  const check = (key: string, allowed: readonly ActivationName[]) => {
    const value = args[key];
    if (value !== undefined && !allowed.includes(value as ActivationName)) {
      throw new UserError(`${factory}: ${key} must be ${allowed.map((a) => `'${a}'`).join(' or ')}, got ${JSON.stringify(value)}`);
    }
  };
  check('activation', caps.activations);
  if (cell !== 'elman') check('recurrentActivation', caps.recurrentActivations);
  if (args.dtype !== undefined && args.dtype !== 'float32') throw new UserError(`${factory}: dtype must be 'float32', got ${JSON.stringify(args.dtype)}`);
}
