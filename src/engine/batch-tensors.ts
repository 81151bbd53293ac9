// A batch of sequences (src/data/sequences.ts) as the tensors the engine and the model take: x [B, T, I],
// y [B, T, 1] and the loss mask m [B, T, 1].
import * as tf from '@tensorflow/tfjs-core';
import { SequenceBatch } from '../data/sequences';

export function inputTensor(batch: SequenceBatch): tf.Tensor3D {
  return tf.tensor3d(batch.x, [batch.batch, batch.steps, batch.inputs]);
}

export function targetTensor(batch: SequenceBatch): tf.Tensor3D {
  return tf.tensor3d(batch.y, [batch.batch, batch.steps, 1]);
}

/** The mask, or undefined when every step carries a loss. */
export function maskTensor(batch: SequenceBatch): tf.Tensor3D | undefined {
  return batch.mask && tf.tensor3d(batch.mask, [batch.batch, batch.steps, 1]);
}
