// Every pair of bits-wide operands, in one pass over the prefixes they share.
// s_t depends only on the first t input pairs, so the 4^bits sequences share their states: level t holds one
// state per t-step prefix (4^t of them), and (F1) takes level t−1 to level t with each of the four inputs.
// That is about (4/3)·4^bits states instead of (bits+1)·4^bits, and every output is read once per prefix.
// A prefix's index reads its input codes c = 2·a_k + b_k as base-4 digits, the latest least significant:
// prefix q of level t extends prefix q >> 2 of level t−1 by the input q & 3.
import * as tf from '@tensorflow/tfjs-core';
import { Accuracy, MAX_FAILURES } from './accuracy';
import { readout } from '../engine/readout';
import { Params } from '../engine/params';

/** The four inputs [a_t, b_t] in code order c = 2a + b. */
const INPUTS = [0, 0, 0, 1, 1, 0, 1, 1];

/** (F2) ŷ = σ(s·Wy + by) for a level's states, read back. */
function outputsOf(p: Params, S: tf.Tensor2D): Float32Array {
  const yhat = tf.tidy(() => readout(p, S, S.shape[0], 1).yhat);
  const values = yhat.dataSync() as Float32Array;
  yhat.dispose();
  return values;
}

/**
 * ŷ of every prefix: outputs[t] holds the 4^(t+1) outputs of step t for t < bits, and outputs[bits] the
 * 4^bits outputs of the last step (both inputs 0, the carry-out).
 */
function prefixOutputs(p: Params, bits: number): Float32Array[] {
  const H = p.Ws.shape[0];
  const inputTerms = tf.tidy(() => {
    const xw = tf.matMul<tf.Tensor2D>(tf.tensor2d(INPUTS, [4, 2]), p.Wx); // (F1)'s x_t·Wx + bs, per input
    return p.bs ? tf.add(xw, p.bs) : xw;
  });
  const outputs: Float32Array[] = [];
  let S: tf.Tensor2D = tf.zeros([1, H]); // s_0: the empty prefix
  for (let t = 0; t <= bits; t++) {
    const n = S.shape[0];
    const previous = S;
    S = tf.tidy(() =>
      t < bits
        ? // (F1) for every prefix q and input c at once: [n, 1, H] + [1, 4, H], row 4q + c.
          tf.reshape<tf.Rank.R2>(tf.sigmoid(tf.add(tf.reshape(tf.matMul(previous, p.Ws), [n, 1, H]), tf.reshape(inputTerms, [1, 4, H]))), [4 * n, H])
        : // (F1) at the last step, whose input is [0, 0] (code 0) for every prefix.
          tf.sigmoid(tf.add<tf.Tensor2D>(tf.matMul(previous, p.Ws), tf.slice(inputTerms, [0, 0], [1, H]))),
    );
    previous.dispose();
    outputs.push(outputsOf(p, S));
  }
  S.dispose();
  inputTerms.dispose();
  return outputs;
}

/** The prefix index of the pair (a, b): its codes as base-4 digits, bit 0's first (most significant). */
function prefixIndex(a: number, b: number, bits: number): number {
  let q = 0;
  for (let t = 0; t < bits; t++) q = q * 4 + 2 * ((a >> t) & 1) + ((b >> t) & 1);
  return q;
}

/** Scores every pair of bits-wide operands (bits ≤ 15), as scorePairs would on exhaustivePairs(bits). */
export function scoreAllPairs(p: Params, bits: number): Accuracy {
  const outputs = prefixOutputs(p, bits);
  const bitAccuracy: number[] = [];
  // Per prefix: the carry into the next position, and whether every output bit so far was right.
  let carry = new Uint8Array(1);
  let right = new Uint8Array([1]);
  for (let t = 0; t < bits; t++) {
    const yhat = outputs[t];
    const nextCarry = new Uint8Array(yhat.length);
    const nextRight = new Uint8Array(yhat.length);
    let rightHere = 0;
    for (let q = 0; q < yhat.length; q++) {
      const sum = (q & 1) + ((q >> 1) & 1) + carry[q >> 2];
      const ok = yhat[q] > 0.5 === ((sum & 1) === 1);
      rightHere += ok ? 1 : 0;
      nextCarry[q] = sum >> 1;
      nextRight[q] = ok ? right[q >> 2] : 0;
    }
    // A prefix of t+1 steps stands for the same number of pairs as any other: its mean is the pairs' mean.
    bitAccuracy.push(rightHere / yhat.length);
    carry = nextCarry;
    right = nextRight;
  }
  const last = outputs[bits];
  let rightHere = 0;
  let correct = 0;
  for (let q = 0; q < last.length; q++) {
    const ok = last[q] > 0.5 === (carry[q] === 1);
    rightHere += ok ? 1 : 0;
    right[q] = ok ? right[q] : 0;
    correct += right[q];
  }
  bitAccuracy.push(rightHere / last.length);

  const failures: Accuracy['failures'] = [];
  const n = 2 ** bits;
  for (let a = 0; a < n && failures.length < MAX_FAILURES && correct < n * n; a++) {
    for (let b = 0; b < n && failures.length < MAX_FAILURES; b++) {
      const q = prefixIndex(a, b, bits);
      if (right[q]) continue;
      let got = last[q] > 0.5 ? 2 ** bits : 0;
      for (let t = 0; t < bits; t++) got += outputs[t][Math.floor(q / 4 ** (bits - 1 - t))] > 0.5 ? 2 ** t : 0;
      failures.push({ a: String(a), b: String(b), got: String(got), want: String(a + b) });
    }
  }
  const pairs = n * n;
  return { bits, method: 'exhaustive', pairs, correct, accuracy: correct / pairs, bitAccuracy, failures };
}
