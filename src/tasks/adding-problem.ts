// Hochreiter & Schmidhuber's (1997) adding problem, their experiment 4: the long-lag benchmark LSTM was made for.
// Each step is a pair (value in [−1, 1], marker in {−1, 0, 1}); two steps are marked 1, one among the first 10 and
// one among the first T/2 − 1, the first and last steps −1; at the last step the target is 0.5 + (X1 + X2)/4,
// X1 and X2 the two marked values (a marked first step has its value set to 0). Only the last step carries a loss.
import { checkInteger, checkRng } from '../data/arguments';
import { Rng, seededRng } from '../data/sample';
import { MAX_BATCH } from '../limits';
import { SequenceBatch } from '../data/sequences';

export const MIN_LENGTH = 10;
export const MAX_LENGTH = 1000;
/** A sequence is right when its prediction is this close to the target. */
export const RIGHT_WITHIN = 0.04;
/** Solved: the last SOLVED_STREAK training sequences right and their mean squared error below SOLVED_MSE. */
export const SOLVED_STREAK = 2000;
export const SOLVED_MSE = 0.01;
/** Fresh sequences a solved network is tested on, as in the paper. */
export const TEST_SEQUENCES = 2560;
/** The paper's LSTM: training sequences to solve T = 100, one sequence at a time. */
export const PAPER_SEQUENCES_AT_100 = 74_000;

const randomInt = (rng: Rng, below: number): number => Math.floor(rng() * below);

/**
 * B sequences of random lengths in [T, T + T/10], padded with zeros after their ends to the longest: the loss
 * mask marks only each one's last real step, and by causality what follows it changes nothing there.
 */
export function addingProblemBatch(rng: Rng, T: number, B: number): SequenceBatch {
  checkRng(rng, 'rng');
  checkInteger(T, 'length', MIN_LENGTH, MAX_LENGTH, 'limit');
  checkInteger(B, 'batch', 1, MAX_BATCH, 'limit');
  const lengths = Array.from({ length: B }, () => T + randomInt(rng, Math.floor(T / 10) + 1));
  const steps = Math.max(...lengths);
  const batch: SequenceBatch = {
    batch: B,
    steps,
    inputs: 2,
    x: new Float32Array(B * steps * 2),
    y: new Float32Array(B * steps),
    mask: new Float32Array(B * steps),
  };
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    const at = (t: number) => b * steps + t;
    for (let t = 0; t < L; t++) batch.x[2 * at(t)] = 2 * rng() - 1;
    batch.x[2 * at(0) + 1] = -1;
    batch.x[2 * at(L - 1) + 1] = -1;
    const first = randomInt(rng, 10);
    // One of the first T/2 − 1 steps other than `first`.
    const span = Math.floor(T / 2) - 1;
    const overlaps = first < span;
    let second = randomInt(rng, overlaps ? span - 1 : span);
    if (overlaps && second >= first) second++;
    // "In the rare case where the first pair of the sequence gets marked, we set X1 to zero": the input's value
    // (whichever draw marked it), so that the target is still the marked values' sum and no step needs a rule of its own.
    if (first === 0 || second === 0) batch.x[2 * at(0)] = 0;
    let sum = 0;
    for (const t of [first, second]) {
      batch.x[2 * at(t) + 1] = 1;
      sum += batch.x[2 * at(t)];
    }
    batch.y[at(L - 1)] = 0.5 + sum / 4;
    batch.mask![at(L - 1)] = 1;
  }
  return batch;
}

/** A seeded stream of training batches (seeded with −(seed + 1), as the adder's pairs). */
export function addingProblemSampler(T: number, B: number, seed: number): () => SequenceBatch {
  const rng = seededRng(-(seed + 1));
  return () => addingProblemBatch(rng, T, B);
}

/** ŷ − y at each sequence's last step (the one step the mask marks). */
export function lastStepErrors(batch: SequenceBatch, yhat: ArrayLike<number>): number[] {
  const errors: number[] = [];
  for (let i = 0; i < batch.batch * batch.steps; i++) if (batch.mask![i] === 1) errors.push(yhat[i] - batch.y[i]);
  return errors;
}

/** The solved rule over the most recent training sequences. */
export class AddingProblemProgress {
  private recent: number[] = [];

  /** Records a batch's errors (before its update); true once the last SOLVED_STREAK are solved as a whole. */
  record(errors: number[]): boolean {
    this.recent.push(...errors);
    if (this.recent.length > SOLVED_STREAK) this.recent.splice(0, this.recent.length - SOLVED_STREAK);
    if (this.recent.length < SOLVED_STREAK) return false;
    const mse = this.recent.reduce((sum, e) => sum + e * e, 0) / this.recent.length;
    return mse < SOLVED_MSE && this.recent.every((e) => Math.abs(e) < RIGHT_WITHIN);
  }
}
