// How exact is an adder? Every pair up to EXHAUSTIVE_MAX_BITS, a seeded sample plus carry-chain cases above.
import * as tf from '@tensorflow/tfjs-core';
import { bitAt, decodeBits, encodePairs, Operand, stepsFor, sumOf } from '../data/bits';
import { inputTensor } from '../engine/batch-tensors';
import { Pairs, sampleWithCarryChains, seededRng } from '../data/sample';
import { engineFor } from '../engine/cells';
import { fusedPredictorFor } from '../engine/fused/cells';
import { Accuracy, MAX_FAILURES, Verification } from './accuracy';
import { scoreAllPairs } from './exhaustive';
import { widthOf } from '../data/operands';
import { Params } from '../engine/params';

import { DEFAULT_SAMPLED_PAIRS, EXHAUSTIVE_MAX_BITS } from '../limits';

/**
 * Pairs per forward pass: bounds memory whatever the set's size, and keeps each pass's tensors in cache:
 * 10,014 pairs of 16 bits take about 40% less time in chunks of 1,024 than in one pass (wasm).
 */
const CHUNK = 1024;

/** Output probabilities ŷ for a batch of pairs, [B·T] row-major, computed in chunks. */
export function predictProbabilities(params: Params, pairs: Pairs, steps: number): Float32Array {
  const out = new Float32Array(pairs.a.length * steps);
  // The fused forward where the cell has a kernel (Elman, LSTM), the cell's tensor engine otherwise.
  const fused = fusedPredictorFor(params);
  for (let start = 0; start < pairs.a.length; start += CHUNK) {
    const enc = encodePairs(pairs.a.slice(start, start + CHUNK), pairs.b.slice(start, start + CHUNK), steps);
    if (fused) out.set(fused(enc.x, enc.batch, steps), start * steps);
    else {
      const probs = tf.tidy(() => engineFor(params).forward(params, inputTensor(enc)).yhat);
      out.set(probs.dataSync(), start * steps);
      probs.dispose();
    }
  }
  return out;
}

export function scorePairs(params: Params, pairs: Pairs, bits: number, method: Verification): Accuracy {
  const steps = stepsFor(bits);
  const probs = predictProbabilities(params, pairs, steps);
  const rightAt = new Array<number>(steps).fill(0);
  const failures: Accuracy['failures'] = [];
  let correct = 0;
  for (let i = 0; i < pairs.a.length; i++) {
    const sum = sumOf(pairs.a[i], pairs.b[i]);
    let allRight = true;
    for (let t = 0; t < steps; t++) {
      if ((probs[i * steps + t] > 0.5) === (bitAt(sum, t) === 1)) rightAt[t]++;
      else allRight = false;
    }
    if (allRight) correct++;
    else if (failures.length < MAX_FAILURES) {
      const got = decodeBits(probs, i * steps, steps);
      failures.push({ a: String(pairs.a[i]), b: String(pairs.b[i]), got: String(got), want: String(sum) });
    }
  }
  const n = pairs.a.length;
  return {
    bits,
    method,
    pairs: n,
    correct,
    accuracy: correct / n,
    bitAccuracy: rightAt.map((r) => r / n),
    failures,
  };
}

export interface EvaluateOptions {
  /** Random pairs to draw above EXHAUSTIVE_MAX_BITS (the carry-chain cases come on top). */
  samples?: number;
  seed?: number;
  /** Force a sample even where the exhaustive set is small enough. */
  sampled?: boolean;
}

/** Exhaustive up to EXHAUSTIVE_MAX_BITS (4^bits pairs, by shared prefixes: src/eval/exhaustive.ts), otherwise a seeded sample plus carry-chain cases. */
export function evaluateAdder(params: Params, bits: number, options: EvaluateOptions = {}): Accuracy {
  if (bits <= EXHAUSTIVE_MAX_BITS && !options.sampled) {
    return scoreAllPairs(params, bits);
  }
  const pairs = sampleWithCarryChains(seededRng(options.seed ?? 0), bits, options.samples ?? DEFAULT_SAMPLED_PAIRS);
  return scorePairs(params, pairs, bits, 'sampled');
}

/** The adder's sum of a and b (any size): T grows with the operands. */
export function addWithModel(params: Params, a: Operand, b: Operand): bigint {
  const steps = stepsFor(widthOf(BigInt(a), BigInt(b)));
  return decodeBits(predictProbabilities(params, { a: [a], b: [b] }, steps), 0, steps);
}
