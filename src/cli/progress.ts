// Training progress on stderr: on a terminal, a bar (the share of recent samples that came out right, then the
// samples trained on, loss and samples per second, in the task's words: exact sums and pairs for the adder); on a
// pipe or a log file, the same figures as a plain line every few seconds, so that a long run is seen to be alive.
// Nothing with --json, whose stdout is for the one object.
import type { SingleBar } from 'cli-progress';
import { TaskName } from '../names';
import { TASK_WORDS, TaskWords } from '../tasks/task';
import type { HistoryPoint } from '../train/history';
import type { TrainHooks } from '../train/loop';

/** Seconds between two plain progress lines when stderr is not a terminal. */
export const PROGRESS_LINE_SECONDS = 5;

export interface Progress {
  /** Any task's hooks: the progress shows the history point only, whatever check came with it. */
  hooks: TrainHooks<unknown>;
  stop(): void;
}

/** Where progress goes: process.stderr, or a stand-in in tests. */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { isTTY?: boolean };

function figures(point: HistoryPoint) {
  return {
    samples: point.samples.toLocaleString('en'),
    loss: point.loss.toExponential(2),
    speed: point.seconds > 0 ? Math.round(point.samples / point.seconds).toLocaleString('en') : '-',
  };
}

/** The bar, drawn in place; cli-progress is loaded only here, where it is worth its start-up time. */
function progressBar(stream: ProgressStream, words: TaskWords): Progress {
  const cliProgress = require('cli-progress') as typeof import('cli-progress');
  const bar: SingleBar = new cliProgress.SingleBar(
    {
      format: `training {bar} {value}% ${words.right} | {samples} ${words.samples} | loss {loss} | {speed} ${words.samples}/s`,
      stream: stream as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { samples: 0, loss: '-', speed: '-' });
  return {
    hooks: { onProgress: (point) => bar.update(Math.round(100 * point.accuracy), figures(point)) },
    stop: () => bar.stop(),
  };
}

/** A line at the first history point PROGRESS_LINE_SECONDS after the last line (or the start). */
function progressLines(stream: ProgressStream, words: TaskWords): Progress {
  let printed = 0;
  return {
    hooks: {
      onProgress(point) {
        if (point.seconds - printed < PROGRESS_LINE_SECONDS) return;
        printed = point.seconds;
        const f = figures(point);
        stream.write(
          `training: ${f.samples} ${words.samples}, loss ${f.loss}, ${Math.round(100 * point.accuracy)}% ${words.right}, ` +
            `${f.speed} ${words.samples}/s, ${Math.round(point.seconds)} s\n`,
        );
      },
    },
    stop: () => undefined,
  };
}

/** The bar on a terminal, plain lines elsewhere, nothing with --json; worded for `task`. */
export function trainingProgress(json: boolean, task: TaskName, stream: ProgressStream = process.stderr): Progress | undefined {
  if (json) return undefined;
  const words = TASK_WORDS[task];
  return stream.isTTY ? progressBar(stream, words) : progressLines(stream, words);
}
