// The progress bar on stderr while training: the share of exact sums in recent batches as the bar, then
// pairs seen, loss and pairs per second. Silent when stderr is not a terminal.
import type { SingleBar } from 'cli-progress';
import type { TrainHooks } from '../index';

export interface Progress {
  hooks: TrainHooks;
  stop(): void;
}

/** A bar when stderr is a terminal (and not quiet), else undefined: nothing is written. */
export function progressBar(quiet: boolean): Progress | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  // Loaded only when drawn: it is not worth its start-up time on a pipe.
  const cliProgress = require('cli-progress') as typeof import('cli-progress');
  const bar: SingleBar = new cliProgress.SingleBar(
    {
      format: 'training {bar} {value}% exact sums | {samples} pairs | loss {loss} | {speed} pairs/s',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { samples: 0, loss: '-', speed: '-' });
  return {
    hooks: {
      onProgress(point) {
        bar.update(Math.round(100 * point.accuracy), {
          samples: point.samples.toLocaleString('en'),
          loss: point.loss.toExponential(2),
          speed: point.seconds > 0 ? Math.round(point.samples / point.seconds).toLocaleString('en') : '-',
        });
      },
    },
    stop: () => bar.stop(),
  };
}
