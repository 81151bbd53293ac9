// fusedLSTM: tfjs' LSTM computed by the fused LSTM kernel (docs/kernels.md, the layer path).
import * as tf from '@tensorflow/tfjs-core';
import { FusedRNN } from './fused-rnn';
import { FusedLSTMArgs } from './options';

export class FusedLSTM extends FusedRNN {
  static className = 'FusedLSTM';

  constructor(args: FusedLSTMArgs) {
    super('lstm', 'fusedLSTM', args);
  }
}
tf.serialization.registerClass(FusedLSTM);

/**
 * An LSTM layer whose forward and hand-derived backward are fused kernel calls; tfjs' LSTM config for what the
 * kernel computes (its gates σ or, tfjs' default, the hard sigmoid).
 * @example
 *   const model = tf.sequential({ layers: [fusedLSTM({ units: 16, inputShape: [100, 2] }), tf.layers.dense({ units: 1 })] });
 */
export function fusedLSTM(args: FusedLSTMArgs): FusedLSTM {
  return new FusedLSTM(args);
}
