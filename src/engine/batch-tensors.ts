// An encoded batch (src/data/bits.ts) as the tensors the engine and the model take: x [B, T, 2] and y [B, T, 1].
import * as tf from '@tensorflow/tfjs-core';
import { EncodedBatch } from '../data/bits';

export function inputTensor(enc: EncodedBatch): tf.Tensor3D {
  return tf.tensor3d(enc.x, [enc.batch, enc.steps, 2]);
}

export function targetTensor(enc: EncodedBatch): tf.Tensor3D {
  return tf.tensor3d(enc.y, [enc.batch, enc.steps, 1]);
}
