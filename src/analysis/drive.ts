// The network driven by additions: every hidden state s_t with its output bit and the true carries, and how
// closely such a run follows an automaton read off it (src/analysis/inspect.ts).
import * as tf from '@tensorflow/tfjs-core';
import { inputTensor } from '../engine/batch-tensors';
import { encodePairs, stepsFor } from '../data/bits';
import { Pairs } from '../data/sample';
import { statesOf } from '../engine/cell';
import { forward } from '../engine/elman';
import { Params } from '../engine/params';
import { fullAdder, Mealy, Observation } from './automaton';
import { Box } from './invariant';
import { Point } from './kmeans';

/** s_t for every sequence and step, with the network's output bit and the true carry after the step. */
export interface Run {
  points: Float32Array[];
  outBits: number[];
  carries: number[];
  symbols: number[];
  carriesIn: number[];
  steps: number;
  sequences: number;
}

export function drive(params: Params, pairs: Pairs, bits: number): Run {
  const steps = stepsFor(bits);
  const enc = encodePairs(pairs.a, pairs.b, steps);
  const [states, yhat] = tf.tidy(() => {
    const cache = forward(params, inputTensor(enc));
    return [statesOf(cache), cache.yhat];
  });
  const S = states.dataSync() as Float32Array;
  const Y = yhat.dataSync();
  tf.dispose([states, yhat]);
  const H = params.Ws.shape[0];
  const run: Run = { points: [], outBits: [], carries: [], symbols: [], carriesIn: [], steps, sequences: enc.batch };
  for (let i = 0; i < enc.batch; i++) {
    let carry = 0;
    for (let t = 0; t < steps; t++) {
      const n = i * steps + t;
      const [a, b] = [enc.x[2 * n], enc.x[2 * n + 1]];
      run.carriesIn.push(carry);
      carry = fullAdder(carry, a, b).carry;
      run.points.push(S.subarray(n * H, (n + 1) * H));
      run.outBits.push(Y[n] > 0.5 ? 1 : 0);
      run.carries.push(carry);
      run.symbols.push(2 * a + b);
    }
  }
  return run;
}

/** The observed steps under a clustering; state k (one past the clusters) is the start s_0 = 0. */
export function observations(run: Run, assignment: Int32Array, k: number): Observation[] {
  return run.symbols.map((symbol, n) => ({
    from: n % run.steps === 0 ? k : assignment[n - 1],
    symbol,
    to: assignment[n],
    out: run.outBits[n],
  }));
}

/** How closely a run follows the automaton, step by step. */
export interface Tracking {
  /** Steps of the sampled additions. */
  steps: number;
  /** Fraction of them whose state lies in the box the automaton's cluster filled at the driving width. */
  inPredictedBox: number;
  /** Fraction whose output bit is the one the automaton emits. */
  outputsAgree: number;
}

const inBox = (box: Box | undefined, p: Point): boolean =>
  box !== undefined && box.lo.every((lo, j) => p[j] >= lo && p[j] <= box.hi[j]);

/**
 * Runs the automaton beside the network: at each step, is s_t still inside the box that its predicted cluster
 * filled at the driving width, and is the output bit the automaton's? (Nearest-centre assignment would be a weaker
 * test: a state can drift far enough for the readout to flip and still be nearest the right centre.)
 */
export function trackClusters(run: Run, boxes: readonly Box[], machine: Mealy): Tracking {
  let inside = 0;
  let agree = 0;
  let q: number | undefined = machine.start;
  run.points.forEach((p, n) => {
    if (n % run.steps === 0) q = machine.start;
    const out: number | undefined = q === undefined ? undefined : machine.out[q][run.symbols[n]];
    q = q === undefined ? undefined : machine.next[q][run.symbols[n]];
    if (q !== undefined && inBox(boxes[q], p)) inside++;
    if (out === run.outBits[n]) agree++;
  });
  return { steps: run.points.length, inPredictedBox: inside / run.points.length, outputsAgree: agree / run.points.length };
}

export function boundingBoxes(points: readonly Point[], assignment: Int32Array, k: number): Box[] {
  const H = points[0].length;
  const boxes = Array.from({ length: k }, () => ({ lo: new Array(H).fill(Infinity), hi: new Array(H).fill(-Infinity) }));
  points.forEach((p, n) => {
    const box = boxes[assignment[n]];
    for (let j = 0; j < H; j++) [box.lo[j], box.hi[j]] = [Math.min(box.lo[j], p[j]), Math.max(box.hi[j], p[j])];
  });
  return [...boxes, { lo: new Array(H).fill(0), hi: new Array(H).fill(0) }]; // the start state: s_0 = 0
}
