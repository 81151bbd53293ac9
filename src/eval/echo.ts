// How well a network echoes: run over one fresh stream in one call, every bit after the first k scored.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../data/sample';
import { engineFor } from '../engine/cells';
import { Params } from '../engine/params';
import { checkInteger } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';
import { OptionError } from '../errors';
import { MAX_EVAL_SAMPLES } from '../limits';
import { echoRight, echoStream, ECHO_TEST_BITS, MAX_DELAY } from '../tasks/echo';
import { inputTensor } from '../engine/batch-tensors';

export interface EchoScore {
  delay: number;
  /** Bits of the fresh stream, and those after its first k that came out right. */
  bits: number;
  scored: number;
  right: number;
  /** Every scored bit right: the task is solved. */
  exact: boolean;
}

/** Scores the echo on a fresh stream of `bits` bits drawn from `seed` (a stream training never reads). */
export function scoreEcho(params: Params, delay: number, seed: number, bits = ECHO_TEST_BITS): EchoScore {
  checkParams(params, 'params');
  if (params.Wx.shape[0] !== 1) throw new OptionError(`{params} read ${params.Wx.shape[0]} inputs a step: they are not an echo's (1 bit a step)`);
  checkInteger(delay, 'delay', 1, MAX_DELAY, 'limit');
  checkInteger(seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  checkInteger(bits, 'bits', delay + 1, MAX_EVAL_SAMPLES, 'limit');
  const stream = echoStream(seededRng(seed + 1), bits, delay);
  const yhat = tf.tidy(() => engineFor(params).forward(params, inputTensor(stream)).yhat.dataSync());
  const { right, counted } = echoRight(stream, yhat);
  return { delay, bits, scored: counted, right, exact: right === counted };
}
