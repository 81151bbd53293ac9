// Training runs for the tests: a configuration from the defaults, and a run checked for leaked tensors.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { disposeParams } from '../../src/engine/params';
import { Accuracy } from '../../src/eval/accuracy';
import { defaultConfig, TrainConfig } from '../../src/train/config';
import { TrainHooks } from '../../src/train/loop';
import { trainNetwork, TrainResult } from '../../src/train/train';

/** The defaults of `bits`, seed 1, with `changes`. */
export const config = (bits: number, changes: Partial<TrainConfig> = {}): TrainConfig => ({ ...defaultConfig(bits), seed: 1, ...changes });

/** An adder's run, its score typed as the adder's accuracy. */
export const trainAdder = (c: TrainConfig, hooks: TrainHooks<Accuracy> = {}): TrainResult<Accuracy> =>
  trainNetwork(c, hooks as TrainHooks) as TrainResult<Accuracy>;

/** Trains an adder, checks nothing leaked but the result's weights, and frees them after `check`. */
export function trained(c: TrainConfig, check: (result: TrainResult<Accuracy>) => void): void {
  const before = tf.memory().numTensors;
  const result = trainAdder(c);
  try {
    check(result);
  } finally {
    disposeParams(result.params);
  }
  expect(tf.memory().numTensors, 'tensors left behind by training').to.equal(before);
}
