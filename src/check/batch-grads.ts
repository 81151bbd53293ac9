// The hand-BPTT loss and gradient on a given batch of additions, as plain nested arrays: what `grads` prints so
// that an outside tool can check them (docs/model-format.md: {"loss": x, "grads": {"Wx": [[…]], …}}, the shapes of params).
import { encodePairs, stepsFor } from '../data/bits';
import { engineFor } from '../engine/cells';
import { LossName } from '../engine/loss';
import { plainLossAndGrads } from './gradcheck';
import { checkFits, OperandPairs } from '../data/operands';
import { Params, PlainParams } from '../engine/params';

/** Loss (L) and the hand-BPTT gradients of the parameters' cell, batch mean over the pairs, each encoded on T = bits + 1 steps. */
export function batchGradients(params: Params, pairs: OperandPairs, bits: number, kind: LossName): { loss: number; grads: PlainParams } {
  checkFits(pairs, bits);
  return plainLossAndGrads(engineFor(params).lossAndGrads, params, encodePairs(pairs.a, pairs.b, stepsFor(bits)), kind);
}
