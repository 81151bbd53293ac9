// fusedSimpleRNN: tfjs' SimpleRNN computed by the fused Elman kernel (docs/kernels.md, the layer path).
import * as tf from '@tensorflow/tfjs-core';
import { FusedRNN } from './fused-rnn';
import { FusedSimpleRNNArgs } from './options';

export class FusedSimpleRNN extends FusedRNN {
  static className = 'FusedSimpleRNN';

  constructor(args: FusedSimpleRNNArgs) {
    super('elman', 'fusedSimpleRNN', args);
  }
}
tf.serialization.registerClass(FusedSimpleRNN);

/**
 * A SimpleRNN layer whose forward and hand-derived backward are fused kernel calls; tfjs' SimpleRNN config for
 * what the kernel computes.
 * @example
 *   const model = tf.sequential({ layers: [fusedSimpleRNN({ units: 16, inputShape: [10, 2] }), tf.layers.dense({ units: 1 })] });
 */
export function fusedSimpleRNN(args: FusedSimpleRNNArgs): FusedSimpleRNN {
  return new FusedSimpleRNN(args);
}
