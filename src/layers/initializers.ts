// tfjs' own initializers for a fused layer's weights, from what a tfjs config may hold: an identifier
// ('glorotUniform'), a serialized { className, config } (a saved model's), or an Initializer. Resolved through the
// classes tfjs-layers registers, as its getInitializer does (which the package's entry point does not export).
import * as tf from '@tensorflow/tfjs-core';
import type { Initializer } from '@tensorflow/tfjs-layers/dist/initializers';
import { UserError } from '../errors';

/** What an initializer option may be. */
export type InitializerOption = string | Initializer | { className: string; config?: tf.serialization.ConfigDict };

const isInitializer = (value: unknown): value is Initializer => typeof (value as Initializer)?.apply === 'function';

/** The initializer an option names, one of tfjs-layers' registered classes. */
export function initializerOf(option: InitializerOption, key: string): Initializer {
  if (isInitializer(option)) return option;
  const { className, config = {} } = typeof option === 'string' ? { className: option[0].toUpperCase() + option.slice(1) } : option;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new UserError(`${key}: unknown initializer ${JSON.stringify(option)}`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config) as unknown as Initializer;
}

/** An initializer as a saved config holds it. */
export function serializedInitializer(initializer: Initializer): tf.serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}
