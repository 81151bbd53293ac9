// The hand-made exact adder with a leaky carry: the carry unit's weight on itself is 13.45 instead of K = 20.
// Passing a carry along (a + b = 1) then maps u2 → σ(13.45·u2 − 10), whose only fixed point is low: a carry of
// 1 fades, slowly at first, and drops below ½ after 17 steps. Every 8-bit addition is right; a carry rippling
// through 17 or more bits is lost.
import * as tf from '@tensorflow/tfjs-core';
import { Params } from '../../src/engine/params';
import { exactAdderParams } from './adders';

export const LEAKY_SELF_WEIGHT = 13.45;

export function leakyAdderParams(): Params {
  const p = exactAdderParams();
  p.Ws.dispose();
  p.Ws = tf.tensor2d([[0, 0, 0], [20, LEAKY_SELF_WEIGHT, 20], [0, 0, 0]]);
  return p;
}
