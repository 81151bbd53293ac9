// The training curve: a point every few steps, thinned as the run grows so that it stays a few hundred points.

export interface HistoryPoint {
  /** Training samples (pairs, stream bits, sequences) whose gradient had been applied to the weights this point measures. */
  samples: number;
  /** The batch loss (L) at this point. */
  loss: number;
  /** Fraction of the training samples since the previous point that came out right (an adder: exact sums). */
  accuracy: number;
  /** Seconds since training started. */
  seconds: number;
}

/** Points kept at most: past it every other point goes and the spacing doubles. */
export const MAX_HISTORY_POINTS = 400;

export class History {
  readonly points: HistoryPoint[] = [];
  private every: number;
  private right = 0;
  private seen = 0;

  constructor(firstEvery: number) {
    this.every = firstEvery;
  }

  /** Counts a batch; true when this step should become a point. */
  count(step: number, right: number, batch: number): boolean {
    this.right += right;
    this.seen += batch;
    return step % this.every === 0;
  }

  add(samples: number, loss: number, seconds: number): HistoryPoint {
    const point = { samples, loss, accuracy: this.seen > 0 ? this.right / this.seen : 0, seconds };
    this.points.push(point);
    this.right = this.seen = 0;
    if (this.points.length >= MAX_HISTORY_POINTS) {
      const kept = this.points.filter((_, i) => i % 2 === 1);
      this.points.splice(0, this.points.length, ...kept);
      this.every *= 2;
    }
    return point;
  }
}
