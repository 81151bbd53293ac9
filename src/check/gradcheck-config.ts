// What a gradient check is run on, and the defaults of `rnn-adder gradcheck`: apart from the check itself so that
// the CLI reads them without loading tfjs.
import type { CellName, LossName } from '../names';

export interface GradcheckConfig {
  /** Absent means 'elman'. */
  cell?: CellName;
  bits: number;
  hidden: number;
  batch: number;
  seed: number;
  bias: boolean;
  loss: LossName;
}

/** The largest of `rnn-adder gradcheck --bits`, `--hidden` (finite differences perturb all G·H² recurrent weights) and `--batch`. */
export const GRADCHECK_MAX = { bits: 256, hidden: 64, batch: 1024 } as const;

/** The defaults of `rnn-adder gradcheck`: 8 bits, H 16, a batch of 8 random additions, with biases, mse. */
export const DEFAULT_GRADCHECK: GradcheckConfig = { bits: 8, hidden: 16, batch: 8, seed: 1, bias: true, loss: 'mse' };
