// Training through the API: the defaults of `rnn-adder train` filled in, and a backend set up first.
import { ensureBackend } from '../backend';
import { defaultConfig, TrainConfig } from '../train/config';
import { TrainHooks, trainAdder, TrainResult } from '../train/loop';
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
