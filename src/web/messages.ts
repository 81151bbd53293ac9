// What the page and the training worker say to each other.
import type { Accuracy } from '../eval/accuracy';
import type { ModelFiles } from '../io/format';
import type { TrainConfig } from '../train/config';
import type { HistoryPoint } from '../train/history';

/** Page → worker: train with this configuration (one run per worker). */
export interface TrainRequest {
  config: TrainConfig;
}

/** Worker → page. */
export type WorkerMessage =
  | { kind: 'started'; backend: string }
  /** A history point of the loop, with the full check when one just ran. */
  | { kind: 'progress'; point: HistoryPoint; check?: Accuracy }
  /**
   * The run is over: `files` (model.json + weights.bin, as the CLI saves them) when it is exact, else `hint`, the
   * CLI's advice for a run that is not, its options named as `{name}` as in `template` below.
   */
  | { kind: 'finished'; exact: boolean; accuracy: Accuracy; samples: number; seconds: number; files?: ModelFiles; hint?: string }
  /** `template` names the options the message names as `{name}` (src/errors.ts), for the page to word as its fields. */
  | { kind: 'failed'; message: string; template?: string };
