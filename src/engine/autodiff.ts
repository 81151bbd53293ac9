// The cross-check for the hand-derived backward pass: each cell's forward and the loss are plain tensor ops, so
// tf.grad's tape can differentiate them. Same signature as the engine's lossAndGrads (`--engine autodiff`).
import * as tf from '@tensorflow/tfjs-core';
import './gradients';
import { LossAndGrads, SequenceOptions } from './cell';
import { engineFor } from './cells';
import { loss, LossName } from './loss';
import { configOf, Grads, ParamName, paramNames, Params } from './params';

function byName(names: ParamName[], values: tf.Tensor[]): Params {
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as Params;
}

/** tf.grad through the cell's forward pass; with `tbptt`, that forward's stopGradient makes the truncated graph. */
export function autodiffLossAndGrads(
  p: Params,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  kind: LossName,
  options: SequenceOptions = {},
): LossAndGrads {
  return tf.tidy(() => {
    const names = paramNames(configOf(p));
    const { forward } = engineFor(p);
    const lossOf = (...values: tf.Tensor[]): tf.Scalar => loss(forward(byName(names, values), x, options), y, kind, options.mask);
    const { value, grads } = tf.valueAndGrads(lossOf)(names.map((name) => p[name]!));
    return { loss: value, grads: byName(names, grads) as Grads };
  });
}
