// The echo generator of the TensorFlow examples that came with Trask's numpy adder (minibatches, truncated BPTT):
// a stream of random bits, and the target at step t is the input k steps back, y_t = x_{t−k}. Training reads B parallel streams in consecutive
// windows (the state carried from one window to the next); a step carries a loss once it has something to echo,
// t ≥ k. Solved when every bit of a fresh stream after its first k comes out right.
import { checkInteger, checkRng } from '../data/arguments';
import { Rng, seededRng } from '../data/sample';
import { MAX_EVAL_SAMPLES } from '../limits';
import { SequenceBatch } from '../data/sequences';

export const DEFAULT_DELAY = 3;
export const MAX_DELAY = 256;
/** The truncation of the echo example (the TensorFlow examples that came with Trask's adder): windows of 15 steps. */
export const DEFAULT_ECHO_TBPTT = 15;
/** The fresh stream a trained echo is scored on (the measure: exact on 2,000 bits). */
export const ECHO_TEST_BITS = 2000;

/** Bits of x as its echo: y_t = x_{t−k} where t − k falls in `history` (the previous bits, oldest first) or x. */
function echoTargets(history: number[], x: ArrayLike<number>, delay: number): { y: Float32Array; mask: Float32Array } {
  const y = new Float32Array(x.length);
  const mask = new Float32Array(x.length);
  for (let t = 0; t < x.length; t++) {
    const back = t - delay;
    if (back >= 0) y[t] = x[back];
    else if (history.length + back >= 0) y[t] = history[history.length + back];
    else continue;
    mask[t] = 1;
  }
  return { y, mask };
}

/** One stream of `steps` random bits from its start (nothing to echo in its first k steps), as a batch of 1. */
export function echoStream(rng: Rng, steps: number, delay: number): SequenceBatch {
  checkRng(rng, 'rng');
  checkInteger(steps, 'steps', 1, MAX_EVAL_SAMPLES, 'limit');
  checkInteger(delay, 'delay', 1, MAX_DELAY, 'limit');
  const x = Float32Array.from({ length: steps }, () => (rng() < 0.5 ? 0 : 1));
  return { batch: 1, steps, inputs: 1, x, ...echoTargets([], x, delay) };
}

/**
 * Every this many windows the streams start again from the zero state: a fresh stream's first scored bits
 * (t = k, right after s_0 = 0) are otherwise trained on once, in the first window, and a network can fit every
 * carried state but that one (seed 1 stopped one bit short of 1,997 after its whole budget).
 */
export const ECHO_RESTART_EVERY = 10;

/**
 * B streams read `window` steps at a time: each call returns the next window of every stream, [B, window, 1],
 * its targets reaching back into the previous window; every ECHO_RESTART_EVERY-th window starts the streams
 * afresh (`fresh`: no state carried in, nothing to echo in its first k steps). Seeded with −(seed + 1), as the
 * adder's pairs.
 */
export function echoWindows(rows: number, window: number, delay: number, seed: number): () => SequenceBatch {
  const rng = seededRng(-(seed + 1));
  let history: number[][] = [];
  let windows = 0;
  return () => {
    const fresh = windows++ % ECHO_RESTART_EVERY === 0;
    if (fresh) history = Array.from({ length: rows }, () => []);
    const batch: SequenceBatch = {
      fresh,
      batch: rows,
      steps: window,
      inputs: 1,
      x: new Float32Array(rows * window),
      y: new Float32Array(rows * window),
      mask: new Float32Array(rows * window),
    };
    for (let b = 0; b < rows; b++) {
      const x = Float32Array.from({ length: window }, () => (rng() < 0.5 ? 0 : 1));
      const { y, mask } = echoTargets(history[b], x, delay);
      batch.x.set(x, b * window);
      batch.y.set(y, b * window);
      batch.mask!.set(mask, b * window);
      history[b] = [...history[b], ...x].slice(-delay);
    }
    return batch;
  };
}

/** Steps that carry a loss, and how many of them came out right (ŷ > 0.5 exactly where y = 1). */
export function echoRight(batch: SequenceBatch, yhat: ArrayLike<number>): { right: number; counted: number } {
  let right = 0;
  let counted = 0;
  for (let i = 0; i < batch.batch * batch.steps; i++) {
    if (batch.mask && batch.mask[i] === 0) continue;
    counted++;
    if (yhat[i] > 0.5 === (batch.y[i] === 1)) right++;
  }
  return { right, counted };
}
