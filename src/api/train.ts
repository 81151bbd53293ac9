// Training through the API: the defaults of `rnn-adder train` filled in, and a backend set up first.
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../backend';
import { trainAdder, TrainResult } from '../train/adder';
import { defaultConfig, defaultTaskConfig, TrainConfig } from '../train/config';
import { LongLagResult, trainLongLag } from '../train/long-lag';
import { SaveLock } from '../io';
import { saveLongLag } from '../train/save';
import { TrainHooks } from '../train/loop';
import { TaskName } from '../tasks/task';
import { EchoScore } from '../eval/echo';
import { withDefaults } from './defaults';

/** A training configuration: `bits` is required, every other field defaults as in `rnn-adder train`. */
export type TrainOptions = Pick<TrainConfig, 'bits'> & Partial<TrainConfig>;

/** The full configuration: the defaults for this width and optimizer, overridden by every field given. */
export function trainConfig(options: TrainOptions): TrainConfig {
  return withDefaults(defaultConfig(options.bits, options.optimizer, options.cell), options);
}

/**
 * Trains an adder until it is exact (every pair up to 10 bits, a sample plus carry-chain cases above) or until
 * `maxSamples` pairs; sets up a backend first if none is in use.
 * @example
 *   const result = await train({ bits: 8 }, { onProgress: (point) => console.log(point.samples, point.loss) });
 *   if (result.exact) await saveModel('models/my-adder-8', result);
 *   disposeParams(result.params);
 */
export async function train(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  await ensureBackend();
  return trainAdder(trainConfig(options), hooks);
}

/** A long-lag task's configuration: `task` is required, every other field defaults as in `rnn-adder train --task`. */
export type TaskTrainOptions = { task: Exclude<TaskName, 'add'> } & Partial<TrainConfig>;

/**
 * Trains on the echo task or the adding problem until solved (a fresh stream echoed exactly; the last 2,000
 * training sequences right) or until `maxSamples` stream bits or sequences; then scores it on fresh data.
 * @example
 *   const result = await trainOnTask({ task: 'echo', delay: 5 }); // the echo example's settings otherwise
 *   console.log(result.solved, result.samples, result.score);
 *   disposeParams(result.params);
 */
export async function trainOnTask(options: TaskTrainOptions, hooks: TrainHooks<EchoScore> = {}): Promise<LongLagResult> {
  await ensureBackend();
  return trainLongLag(withDefaults(defaultTaskConfig(options.task, options.cell), options), hooks);
}

/**
 * Saves a solved echo or adding-problem network to `dir` (atomically, the standard tfjs format, the task in its
 * metadata); an unsolved one is refused.
 */
export async function saveTaskModel(dir: string, trained: LongLagResult, options: { lock?: SaveLock } = {}): Promise<void> {
  await saveLongLag(dir, trained, tf.getBackend(), options.lock);
}
