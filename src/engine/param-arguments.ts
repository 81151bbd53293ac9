// The checks of the package's own values that API callers hand back (a network's parameters, a trained or loaded
// adder): tensors, so apart from src/data/arguments.ts, which the CLI's parser loads before tfjs.
import * as tf from '@tensorflow/tfjs-core';
import { described } from '../data/arguments';
import { OptionError } from '../errors';

/** A network's parameters as the package hands them out (a TrainResult's or a LoadedModel's): live tensors. */
export function checkParams(value: unknown, option: string): void {
  const params = value as Record<string, unknown> | null | undefined;
  const tensors = typeof params === 'object' && params !== null ? ['Wx', 'Ws', 'Wy'].map((name) => params[name]) : [];
  if (tensors.length === 0 || !tensors.every((t) => t instanceof tf.Tensor)) {
    throw new OptionError(`{${option}} must hold a network's parameters (Wx, Ws, Wy, … as tensors), got ${described(value)}`);
  }
  if (tensors.some((t) => (t as tf.Tensor).isDisposed)) {
    throw new OptionError(`{${option}} holds disposed tensors: the parameters were released (disposeParams) before this call`);
  }
}

/** A trained or loaded adder: an object whose `params` pass checkParams. */
export function checkAdder(value: unknown, option: string): asserts value is { params: Record<string, tf.Tensor> } {
  if (typeof value !== 'object' || value === null) {
    throw new OptionError(`{${option}} must be a trained or loaded adder (with params), got ${described(value)}`);
  }
  checkParams((value as { params?: unknown }).params, option);
}
