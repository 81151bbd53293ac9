// When is the adder exact? Every training batch says for free whether its own sums came out right; the full
// check (src/eval/evaluate.ts: every pair up to 10 bits, a sample plus carry-chain cases above) runs only once
// the batches of the last CHECK_AFTER_PAIRS pairs were all right, and then only if a small sample is right too
// (a failed 8-bit exhaustive check costs 10-30 ms, a 16-bit one ~45 ms), so it costs little while training.
import { Accuracy } from '../eval/accuracy';
import { evaluateAdder } from '../eval/evaluate';
import { Params } from '../engine/params';

/** Right training pairs in a row that call for the full check (4 batches of 64). */
export const CHECK_AFTER_PAIRS = 256;
/** Random pairs of the full check above the exhaustive widths; the carry-chain cases come on top. */
export const SAMPLED_CHECK_PAIRS = 10000;
/**
 * Random pairs of the sample (plus the carry-chain cases) that must come out right before the full check runs:
 * a tenth of its cost or less, and it stops most adders that still get a few tenths of a percent of sums wrong.
 */
export const PRE_CHECK_PAIRS = 1024;

/** How many pairs of a batch have every output bit right (ŷ > 0.5 exactly where y = 1), both [B·T]. */
export function rightSums(yhat: Float32Array, y: Float32Array, batch: number, steps: number): number {
  let right = 0;
  for (let i = 0; i < batch; i++) {
    let t = 0;
    while (t < steps && yhat[i * steps + t] > 0.5 === (y[i * steps + t] === 1)) t++;
    if (t === steps) right++;
  }
  return right;
}

export class CheckSchedule {
  private streak = 0;

  /** Records a batch's right pairs; true when the full check is due (the streak then starts over). */
  due(right: number, batch: number): boolean {
    this.streak = right === batch ? this.streak + batch : 0;
    if (this.streak < CHECK_AFTER_PAIRS) return false;
    this.streak = 0;
    return true;
  }
}

/** The sample before the full check: true when its PRE_CHECK_PAIRS random sums and the carry-chain ones are all right. */
export function preCheckPasses(params: Params, bits: number, seed: number): boolean {
  const sample = evaluateAdder(params, bits, { samples: PRE_CHECK_PAIRS, seed, sampled: true });
  return sample.correct === sample.pairs;
}

/** The full check: exhaustive up to 10 bits, else SAMPLED_CHECK_PAIRS seeded pairs plus carry-chain cases. */
export function fullCheck(params: Params, bits: number, seed: number): Accuracy {
  return evaluateAdder(params, bits, { samples: SAMPLED_CHECK_PAIRS, seed });
}
