// Training through the API: any task, its options resolved and checked before any work, a backend set up first.
import { ensureBackend } from '../backend';
import { TaskName } from '../names';
import { resolveConfig, TrainOptions } from '../train/config';
import { TrainHooks } from '../train/loop';
import { TaskScore, TaskScores, trainNetwork, TrainResult } from '../train/train';

/**
 * Trains until solved or until `maxSamples` samples: an adder until it is exact (every pair up to 10 bits, a
 * sample plus carry-chain cases above), the echo until a fresh stream is echoed exactly, the adding problem until
 * the last 2,000 training sequences were right (then tested on fresh ones). Every option defaults as in
 * `rnn-adder train` (`resolveConfig`); a wrong one is an OptionError before any work. Sets up a backend first if
 * none is in use.
 * @example
 *   const result = await train({ bits: 8 }, { onProgress: (point) => console.log(point.samples, point.loss) });
 *   if (result.solved) await saveModel('models/my-adder-8', result);
 *   disposeParams(result.params);
 * @example
 *   const echo = await train({ task: 'echo', delay: 5 }); // the echo example's settings otherwise
 *   console.log(echo.solved, echo.samples, echo.score.right);
 */
export async function train<T extends TaskName = 'add'>(
  options: TrainOptions<T> = {},
  hooks: TrainHooks<TaskScores[T]> = {},
): Promise<TrainResult<TaskScores[T]>> {
  const config = resolveConfig(options);
  await ensureBackend();
  return trainNetwork(config, hooks as TrainHooks<TaskScore>) as TrainResult<TaskScores[T]>;
}
