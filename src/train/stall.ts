// A run that has stopped learning: the mean batch loss of the last STALL_WINDOW pairs is not MIN_LOSS_DROP below
// that of the STALL_WINDOW pairs before. Measured (scripts/plateaus.ts, docs/benchmarks.md "Runs that cannot
// succeed"): healthy runs (8 and 16 bits; adam, momentum and sgd at their default rates; H 4, 8 and 16; batch 8;
// bce; no bias with glorot) reach exact within 41,000 pairs, so none of them is ever judged, as judging needs
// 2 × STALL_WINDOW pairs; their flattest 16,000-pair stretches fell by as little as 0.2%, so a shorter window
// would stop them. Runs that cannot succeed (H 1 or 2; sgd at lr 1000) hover or rise over every window.
import { DEFAULT_LEARNING_RATES, TrainConfig } from './config';
import { HistoryPoint } from './history';

/** Pairs in each of the two windows compared. */
export const STALL_WINDOW = 32_000;
/** The least relative fall of the mean loss from one window to the next that counts as progress. */
export const MIN_LOSS_DROP = 0.01;
/** Hidden sizes below this did not learn on every seed measured (H 4: 4 of 5; H 8 and 16: all). */
export const RELIABLE_HIDDEN = 8;

/**
 * Why a stalled run is stuck, as far as its configuration tells: a learning rate above its optimizer's default
 * (units pushed into saturation, where the gradient vanishes), too few hidden units, or else an unlucky start.
 */
export type StallCause = 'learning-rate' | 'hidden' | 'seed';

export interface Stall {
  /** Pairs trained on when the run was stopped. */
  samples: number;
  /** The mean loss's relative fall over the last window: below MIN_LOSS_DROP, often negative. */
  drop: number;
  cause: StallCause;
}

export function stallCause(config: TrainConfig): StallCause {
  if (config.lr > DEFAULT_LEARNING_RATES[config.optimizer]) return 'learning-rate';
  if (config.hidden < RELIABLE_HIDDEN) return 'hidden';
  return 'seed';
}

/**
 * The relative fall of the mean loss from the window (end − 2·window, end − window] to (end − window, end], over
 * the points in them (pairs trained on); undefined while either window is empty.
 */
export function lossDrop(points: readonly HistoryPoint[], end: number, window: number): number | undefined {
  const previous = meanLoss(points.filter((p) => p.samples > end - 2 * window && p.samples <= end - window));
  const recent = meanLoss(points.filter((p) => p.samples > end - window && p.samples <= end));
  return previous === undefined || recent === undefined ? undefined : 1 - recent / previous;
}

function meanLoss(points: HistoryPoint[]): number | undefined {
  return points.length === 0 ? undefined : points.reduce((sum, p) => sum + p.loss, 0) / points.length;
}

/** Watches the history points of a run and says when its loss has stopped falling. */
export class StallWatch {
  private points: HistoryPoint[] = [];

  constructor(private readonly window = STALL_WINDOW) {}

  /** Takes the next point: the loss's fall over the last window if it is below MIN_LOSS_DROP, else undefined. */
  stalled(point: HistoryPoint): number | undefined {
    if (point.samples < 2 * this.window) {
      this.points.push(point);
      return undefined;
    }
    this.points = [...this.points.filter((p) => p.samples > point.samples - 2 * this.window), point];
    const drop = lossDrop(this.points, point.samples, this.window);
    return drop !== undefined && drop < MIN_LOSS_DROP ? drop : undefined;
  }
}
