// The hand-BPTT loss and gradient on a given batch of additions, as plain nested arrays: what `grads` prints so
// that an outside tool can check them (docs/model-format.md: {"loss": x, "grads": {"Wx": [[…]], …}}, the shapes of params).
import { encodePairs, stepsFor } from '../data/bits';
import { engineFor } from '../engine/cells';
import { LOSSES, LossName } from '../engine/loss';
import { checkArray, checkChoice, checkInteger, described } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';
import { OptionError } from '../errors';
import { checkBpttStates, MAX_EVAL_BITS, MAX_GRAD_PAIRS } from '../limits';
import { plainLossAndGrads } from './gradcheck';
import { checkFits, OperandPairs } from '../data/operands';
import { Params, PlainParams } from '../engine/params';

/** Loss (L) and the hand-BPTT gradients of the parameters' cell, batch mean over the pairs, each encoded on T = bits + 1 steps. */
export function batchGradients(params: Params, pairs: OperandPairs, bits: number, kind: LossName): { loss: number; grads: PlainParams } {
  checkParams(params, 'params');
  if (typeof pairs !== 'object' || pairs === null) throw new OptionError(`{pairs} must be { a: [...], b: [...] } (parsePairs), got ${described(pairs)}`);
  checkArray(pairs.a, 'pairs', MAX_GRAD_PAIRS);
  checkArray(pairs.b, 'pairs', MAX_GRAD_PAIRS);
  checkInteger(bits, 'bits', 1, MAX_EVAL_BITS, 'limit');
  checkChoice(kind, 'loss', LOSSES);
  checkBpttStates(pairs.a.length, bits + 1, params.Ws.shape[0], '{pairs} or {bits}');
  checkFits(pairs, bits);
  return plainLossAndGrads(engineFor(params).lossAndGrads, params, encodePairs(pairs.a, pairs.b, stepsFor(bits)), kind);
}
