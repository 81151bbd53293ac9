// What an evaluation reports: how many sums came out right, per output bit, and a few that did not.

/** Wrong pairs listed in an Accuracy. */
export const MAX_FAILURES = 5;
export type Verification = 'exhaustive' | 'sampled';

export interface Accuracy {
  bits: number;
  method: Verification;
  /** Pairs evaluated, and how many of their sums came out exactly right. */
  pairs: number;
  correct: number;
  /** correct / pairs. */
  accuracy: number;
  /** Fraction of pairs whose output bit t is right, t = 0 … bits (the last is the carry-out). */
  bitAccuracy: number[];
  /** A few pairs the adder got wrong, for the report. */
  failures: { a: string; b: string; got: string; want: string }[];
}
