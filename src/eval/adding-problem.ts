// How well a network solves the adding problem: the paper's test, wrong predictions on fresh sequences.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../data/sample';
import { inputTensor } from '../engine/batch-tensors';
import { engineFor } from '../engine/cells';
import { fusedPredictorFor } from '../engine/fused/cells';
import { Params } from '../engine/params';
import { addingProblemBatch, lastStepErrors, MAX_LENGTH, MIN_LENGTH, RIGHT_WITHIN, TEST_SEQUENCES } from '../tasks/adding-problem';
import { checkInteger } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';
import { MAX_EVAL_SAMPLES } from '../limits';

export interface AddingProblemScore {
  length: number;
  sequences: number;
  /** Sequences whose prediction is off by RIGHT_WITHIN or more. */
  wrong: number;
  /** Mean squared error at the last steps. */
  mse: number;
}

/** Sequences per forward pass: a batch of 2,560 at T = 500 would hold ~100 MB of states. */
const CHUNK = 256;

/** Tests on `count` fresh sequences drawn from `seed` (a stream training never reads). */
export function testAddingProblem(params: Params, length: number, seed: number, count = TEST_SEQUENCES): AddingProblemScore {
  checkParams(params, 'params');
  checkInteger(length, 'length', MIN_LENGTH, MAX_LENGTH, 'limit');
  checkInteger(seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  checkInteger(count, 'count', 1, MAX_EVAL_SAMPLES, 'limit');
  const rng = seededRng(seed + 1);
  let wrong = 0;
  let squares = 0;
  // The fused forward where the cell has a kernel, the cell's tensor engine otherwise.
  const fused = fusedPredictorFor(params);
  for (let done = 0; done < count; done += CHUNK) {
    const batch = addingProblemBatch(rng, length, Math.min(CHUNK, count - done));
    const yhat = fused
      ? fused(batch.x, batch.batch, batch.steps)
      : tf.tidy(() => engineFor(params).forward(params, inputTensor(batch)).yhat.dataSync());
    for (const e of lastStepErrors(batch, yhat)) {
      if (Math.abs(e) >= RIGHT_WITHIN) wrong++;
      squares += e * e;
    }
  }
  return { length, sequences: count, wrong, mse: squares / count };
}
