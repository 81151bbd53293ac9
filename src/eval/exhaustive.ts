// Every pair of bits-wide operands, in one pass over the prefixes they share.
// s_t depends only on the first t input pairs, so the 4^bits sequences share their states: level t holds one
// state per t-step prefix (4^t of them), and (F1) takes level t−1 to level t with each of the four inputs.
// That is about (4/3)·4^bits states instead of (bits+1)·4^bits, and every output is read once per prefix.
// A prefix's index reads its input codes c = 2·a_k + b_k as base-4 digits, the latest least significant:
// prefix q of level t extends prefix q >> 2 of level t−1 by the input q & 3. The fused kernels compute the
// Elman cell's and the LSTM's levels (fusedPrefixOutputsFor), the cell engines' `extend` those of the GRU: outputs[t] holds the
// 4^(t+1) outputs of step t for t < bits, and outputs[bits] the 4^bits outputs of the last step (both inputs 0,
// the carry-out).
import * as tf from '@tensorflow/tfjs-core';
import { fusedPrefixOutputsFor } from '../engine/fused/cells';
import { Accuracy, MAX_FAILURES } from './accuracy';
import { engineFor } from '../engine/cells';
import { CellState } from '../engine/extend';
import { Params } from '../engine/params';

/** The four inputs [a_t, b_t] in code order c = 2a + b. */
const INPUTS = [0, 0, 0, 1, 1, 0, 1, 1];

/** (F2) ŷ = σ(s·Wy + by) for a level's states, read back. */
function outputsOf(p: Params, S: tf.Tensor2D): Float32Array {
  const yhat = tf.tidy(() => {
    let o = tf.matMul(S, p.Wy as tf.Tensor2D);
    if (p.by) o = tf.add(o, p.by);
    return tf.sigmoid(o);
  });
  const values = yhat.dataSync() as Float32Array;
  yhat.dispose();
  return values;
}

/**
 * ŷ of every prefix, in fusedPrefixOutputs' order, on tfjs tensors for any cell: its engine's `extend` steps
 * every prefix's state by each input at once. What the cells without a fused kernel are scored by.
 */
export function tensorPrefixOutputs(p: Params, bits: number): Float32Array[] {
  const engine = engineFor(p);
  const inputTerms = tf.tidy(() => {
    const xw = tf.matMul(tf.tensor2d(INPUTS, [4, 2]), p.Wx as tf.Tensor2D); // x_t·Wx + bs, per input
    return (p.bs ? tf.add(xw, p.bs) : xw) as tf.Tensor2D;
  });
  const lastInput = tf.slice(inputTerms, [0, 0], [1, -1]); // the last step's input [0, 0] (code 0)
  const outputs: Float32Array[] = [];
  let state: CellState = engine.initialState(p, 1); // the empty prefix
  for (let t = 0; t <= bits; t++) {
    const previous = state;
    // Every prefix q and input c at once, row 4q + c; the last step extends each prefix by [0, 0] alone.
    state = tf.tidy(() => engine.extend(p, previous, t < bits ? inputTerms : lastInput));
    tf.dispose(previous);
    outputs.push(outputsOf(p, state.h));
  }
  tf.dispose([state, inputTerms, lastInput]);
  return outputs;
}

/** ŷ of every prefix: by the fused kernel where the cell has one (Elman, LSTM), on tensors otherwise. */
function prefixOutputs(p: Params, bits: number): Float32Array[] {
  return fusedPrefixOutputsFor(p, bits) ?? tensorPrefixOutputs(p, bits);
}

/** The prefix index of the pair (a, b): its codes as base-4 digits, bit 0's first (most significant). */
function prefixIndex(a: number, b: number, bits: number): number {
  let q = 0;
  for (let t = 0; t < bits; t++) q = q * 4 + 2 * ((a >> t) & 1) + ((b >> t) & 1);
  return q;
}

/** One step's scores: per prefix, the carry into the next position and whether every output bit so far was right. */
interface StepScore {
  /** Prefixes whose output at this step is right, and those right at every step so far. */
  rightHere: number;
  allRight: number;
  carry: Uint8Array;
  right: Uint8Array;
}

/**
 * Scores one step's outputs: prefix q extends prefix q >> shift by the input code q & (2^shift − 1), shift 2 for
 * the operands' steps and 0 for the last one, whose input is [0, 0] (the carry-out). A function of its own: V8
 * optimises it after its first calls, where the same loops inline in one long call ran unoptimised through a
 * fresh process's first check.
 */
function scoreStep(yhat: Float32Array, previous: StepScore, shift: number): StepScore {
  const carry = new Uint8Array(yhat.length);
  const right = new Uint8Array(yhat.length);
  const [carryIn, rightBefore] = [previous.carry, previous.right];
  const codes = (1 << shift) - 1;
  let rightHere = 0;
  let allRight = 0;
  for (let q = 0; q < yhat.length; q++) {
    const code = q & codes;
    const sum = (code >> 1) + (code & 1) + carryIn[q >> shift];
    const ok = yhat[q] > 0.5 === ((sum & 1) === 1);
    rightHere += ok ? 1 : 0;
    carry[q] = sum >> 1;
    right[q] = ok ? rightBefore[q >> shift] : 0;
    allRight += right[q];
  }
  return { rightHere, allRight, carry, right };
}

/** Scores every pair of bits-wide operands (bits ≤ 15), as scorePairs would on exhaustivePairs(bits). */
export function scoreAllPairs(p: Params, bits: number): Accuracy {
  const outputs = prefixOutputs(p, bits);
  const bitAccuracy: number[] = [];
  let step: StepScore = { rightHere: 1, allRight: 1, carry: new Uint8Array(1), right: new Uint8Array([1]) }; // the empty prefix
  for (let t = 0; t <= bits; t++) {
    step = scoreStep(outputs[t], step, t < bits ? 2 : 0);
    // A prefix of t+1 steps stands for the same number of pairs as any other: its mean is the pairs' mean.
    bitAccuracy.push(step.rightHere / outputs[t].length);
  }
  const { right, allRight: correct } = step;
  const last = outputs[bits];

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
