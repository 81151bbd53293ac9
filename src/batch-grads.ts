// The hand-BPTT loss and gradient on a given batch of additions, as plain nested arrays: what `grads` prints so
// that an outside tool can check them (DESIGN.md: {"loss": x, "grads": {"Wx": [[…]], …}}, the shapes of params).
import * as tf from '@tensorflow/tfjs-core';
import { encodePairs, stepsFor } from './bits';
import { LossName, lossAndGrads } from './engine/bptt';
import { checkFits, OperandPairs } from './operands';
import { mapParams, Params } from './params';

export type NestedNumbers = number[] | number[][];

export interface BatchGradients {
  loss: number;
  grads: Params<NestedNumbers>;
}

/** Loss (L) and gradients (B1)-(B8) of the batch mean over the pairs, each encoded on T = bits + 1 steps. */
export function batchGradients(params: Params, pairs: OperandPairs, bits: number, kind: LossName): BatchGradients {
  checkFits(pairs, bits);
  const enc = encodePairs(pairs.a, pairs.b, stepsFor(bits));
  return tf.tidy(() => {
    const x = tf.tensor3d(enc.x, [enc.batch, enc.steps, 2]);
    const y = tf.tensor3d(enc.y, [enc.batch, enc.steps, 1]);
    const { loss, grads } = lossAndGrads(params, x, y, kind);
    return { loss: loss.dataSync()[0], grads: mapParams(grads, (g) => g.arraySync() as NestedNumbers) };
  });
}
