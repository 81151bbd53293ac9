// fusedGRU: tfjs' GRU computed by the fused GRU kernel (docs/kernels.md, the layer path).
import * as tf from '@tensorflow/tfjs-core';
import { FusedRNN } from './fused-rnn';
import { FusedGRUArgs } from './options';

export class FusedGRU extends FusedRNN {
  static className = 'FusedGRU';

  constructor(args: FusedGRUArgs) {
    super('gru', 'fusedGRU', args);
  }
}
tf.serialization.registerClass(FusedGRU);

/**
 * A GRU layer whose forward and hand-derived backward are fused kernel calls; tfjs' GRU config for what the kernel
 * computes (its gates σ or, tfjs' default, the hard sigmoid; the reset gate before the recurrent product, as tfjs).
 * @example
 *   const model = tf.sequential({ layers: [fusedGRU({ units: 16, inputShape: [100, 2] }), tf.layers.dense({ units: 1 })] });
 */
export function fusedGRU(args: FusedGRUArgs): FusedGRU {
  return new FusedGRU(args);
}
