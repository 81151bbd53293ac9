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
function trackedSteps(run: Run, boxes: readonly Box[], machine: Mealy): { inside: number; agree: number } {
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
  return { inside, agree };
}

/** Hidden states driven at once when tracking: the run of a whole sample at a long width held gigabytes. */
export const TRACK_CHUNK_STATES = 1 << 16;

/**
 * The tracking above on the run of `pairs`, driven a chunk of sequences at a time so that at most about
 * TRACK_CHUNK_STATES states are held, whatever the width and the sample.
 */
export function trackClustersInChunks(params: Params, pairs: Pairs, bits: number, boxes: readonly Box[], machine: Mealy): Tracking {
  const chunk = Math.max(1, Math.floor(TRACK_CHUNK_STATES / stepsFor(bits)));
  let [steps, inside, agree] = [0, 0, 0];
  for (let i = 0; i < pairs.a.length; i += chunk) {
    const run = drive(params, { a: pairs.a.slice(i, i + chunk), b: pairs.b.slice(i, i + chunk) }, bits);
    const counts = trackedSteps(run, boxes, machine);
    [steps, inside, agree] = [steps + run.points.length, inside + counts.inside, agree + counts.agree];
  }
  return { steps, inPredictedBox: inside / steps, outputsAgree: agree / steps };
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
