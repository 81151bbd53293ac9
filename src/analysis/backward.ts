// The backward pass of one addition, step by step: what `add --trace --backward` prints and the page draws. Every
// number is read from the cell engine's own backward pass (backwardParts, src/engine/cell.ts), the code
// docs/bptt.md derives, never recomputed beside it: per step ∂L/∂ŷ_t, ∂L/∂s_t (dS_t), δ_t and the step's share of
// dWs, dWx, dbs; the gradient-flow triangle ‖∂ℓ_t/∂s_k‖; and for one loss step t the k ≤ t terms of ∂ℓ_t/∂W,
// checked against tf.grad. (docs/bptt.md, "Seeing the backward pass".)
//
// Shape letters: T = time steps, H = hidden size, G = the cell's gate blocks (1, 4, 3). One sequence: B = 1.
import * as tf from '@tensorflow/tfjs-core';
import { encodePairs, stepsFor } from '../data/bits';
import { widthOf } from '../data/operands';
import { SequenceBatch } from '../data/sequences';
import { autodiffLossAndGrads } from '../engine/autodiff';
import { inputTensor, maskTensor, targetTensor } from '../engine/batch-tensors';
import { BackwardParts, CellCache, stepShare } from '../engine/cell';
import { engineFor } from '../engine/cells';
import { loss, LossName } from '../engine/loss';
import { CellName, configOf, Params, PlainParams } from '../engine/params';
import { readoutGrads } from '../engine/readout';
import { plainParams } from '../check/reference';

/** The parameters whose gradient is a sum over steps k of ∂ℓ/∂s_k · ∂⁺s_k/∂W: the cell's own. */
export const TERM_PARAMS = ['Ws', 'Wx', 'bs'] as const;
export type TermParam = (typeof TERM_PARAMS)[number];

/** A matrix as nested arrays; a vector (bs) is its one row. */
export type Matrix = number[][];

export interface BackwardStep {
  t: number;
  /** ∂L/∂ŷ_t = (1/N)·∂ℓ/∂ŷ_t (B1): mse (ŷ_t − y_t)/N, bce (ŷ_t − y_t)/(ŷ_t(1 − ŷ_t)·N). */
  dYhat: number;
  /** dS_t = ∂L/∂s_t (∂L/∂h_t of the gated cells), [H]: (B4), (L5), (U5). */
  dS: number[];
  /** δ_t = ∂L/∂net_t, [G·H]: (B5); the gates' pre-activations for LSTM (L7) and GRU (U6), (U7). */
  delta: number[];
  /** Step t's share of ∂L/∂Ws [H][G·H], ∂L/∂Wx [I][G·H], ∂L/∂bs [G·H]: the t-th term of (B6), (B7), (B8). */
  dWs: Matrix;
  dWx: Matrix;
  dbs?: number[];
}

export interface BackwardTrace {
  cell: CellName;
  /** The sequence's loss L (L), the mean over its T steps. */
  loss: number;
  steps: BackwardStep[];
  /** ∂L/∂θ for every parameter, the engine's backward: Σ_t of the steps' shares for Wx, Ws, bs. */
  total: PlainParams;
  /** flow[t][k] = ‖∂ℓ_t/∂s_k‖ for k = 0 … t, ℓ_t the loss at step t alone (no 1/N): a triangle, row t of t + 1. */
  flow: number[][];
}

export interface GradientTerms {
  /** The loss step: ℓ_t, the loss at step t alone. */
  t: number;
  param: TermParam;
  /** terms[k] = ∂ℓ_t/∂s_k · ∂⁺s_k/∂W for k = 0 … t (∂⁺: through step k's own use of W only). */
  terms: Matrix[];
  /** Σ_k terms[k] = ∂ℓ_t/∂W by the engine. */
  total: Matrix;
  /** ∂ℓ_t/∂W by tf.grad through the same forward pass. */
  autodiff: Matrix;
  /** max |total − autodiff| over the entries. */
  maxDifference: number;
}

/** ‖dS_t‖, ‖δ_t‖ and ‖step t's share of dWs‖ (Frobenius): the columns of `add --trace --backward`. */
export function stepNorms(step: BackwardStep): { dS: number; delta: number; dWs: number } {
  const norm = (values: number[]) => Math.hypot(...values);
  return { dS: norm(step.dS), delta: norm(step.delta), dWs: norm(step.dWs.flat()) };
}

/** One addition encoded on T = max(bits, width) + 1 steps (bits: the operands' own width unless given). */
export function additionBatch(a: bigint, b: bigint, bits = widthOf(a, b)): SequenceBatch {
  return encodePairs([a], [b], stepsFor(Math.max(bits, widthOf(a, b))));
}

/** The batch with its loss on step t alone: m_t = 1, every other step 0, so the loss is ℓ_t (no 1/N). */
export function lossAtStep(batch: SequenceBatch, t: number): SequenceBatch {
  const mask = new Float32Array(batch.steps);
  mask[t] = 1;
  return { ...batch, mask };
}

/** (B1)'s first factor, ∂L/∂ŷ_t = (1/N)·∂ℓ/∂ŷ_t, from ŷ_t and y_t (docs/bptt.md (B1)). */
function lossSlope(yhat: number, y: number, kind: LossName, N: number): number {
  return (kind === 'mse' ? yhat - y : (yhat - y) / (yhat * (1 - yhat))) / N;
}

/** f's plain-number result, every tensor it made freed (tf.tidy returns only tensors). */
function numbersOf<R>(f: () => R): R {
  tf.engine().startScope();
  try {
    return f();
  } finally {
    tf.engine().endScope();
  }
}

const rowOf = (v: tf.Tensor2D): number[] => Array.from(v.dataSync());
const asMatrix = (v: tf.Tensor): Matrix => (v.rank === 1 ? [Array.from(v.dataSync())] : (v as tf.Tensor2D).arraySync());

/** The forward pass and, for the loss whose mask the batch carries, the engine's backward parts. Inside a tidy. */
function partsFor(p: Params, batch: SequenceBatch, kind: LossName, cache: CellCache): BackwardParts {
  const out = readoutGrads(p, cache.hidden, cache.yhat, targetTensor(batch), kind, maskTensor(batch)); // (B1)–(B3)
  return engineFor(p).backwardParts(p, cache, out.outputTerm);
}

/**
 * The backward pass of one sequence (`batch` of one addition, no mask): per step ∂L/∂ŷ_t, dS_t, δ_t and the
 * step's shares of the cell's gradient; the total gradient; the gradient-flow triangle.
 * @example
 *   const view = traceBackward(model.params, additionBatch(12n, 7n), 'mse');
 *   view.steps[0].dWs; // step 0's share of ∂L/∂Ws: zero, since s_{−1} = 0
 */
export function traceBackward(p: Params, batch: SequenceBatch, kind: LossName): BackwardTrace {
  const T = batch.steps;
  const bias = p.bs !== undefined;
  return numbersOf(() => {
    const engine = engineFor(p);
    const x = inputTensor(batch);
    const y = targetTensor(batch);
    const cache = engine.forward(p, x);
    const yhat = cache.yhat.dataSync();
    const parts = partsFor(p, batch, kind, cache);
    const steps = parts.dh.map((dS, t): BackwardStep => {
      const share = stepShare(parts, x, t, bias);
      return {
        t,
        dYhat: lossSlope(yhat[t], batch.y[t], kind, T),
        dS: rowOf(dS),
        delta: rowOf(tf.slice(parts.dz, [t, 0], [1, -1])),
        dWs: share.Ws.arraySync(),
        dWx: share.Wx.arraySync(),
        ...(share.bs && { dbs: Array.from(share.bs.dataSync()) }),
      };
    });
    const flow = steps.map(({ t }) => {
      const dh = partsFor(p, lossAtStep(batch, t), kind, cache).dh;
      return dh.slice(0, t + 1).map((g) => tf.norm(g).dataSync()[0]);
    });
    return {
      cell: configOf(p).cell ?? 'elman',
      loss: loss(cache, y, kind).dataSync()[0],
      steps,
      total: plainParams(engine.backward(p, x, y, cache, kind)),
      flow,
    };
  });
}

/**
 * The sum the source documents describe: ∂ℓ_t/∂W = Σ_{k ≤ t} ∂ℓ_t/∂s_k · ∂⁺s_k/∂W, term by term, for the loss at step t
 * alone, with tf.grad's ∂ℓ_t/∂W beside the engine's total.
 * @example
 *   const { terms, maxDifference } = gradientTerms(model.params, additionBatch(12n, 7n), 3, 'Ws', 'mse');
 *   terms.length; // 4: k = 0 … 3
 */
export function gradientTerms(p: Params, batch: SequenceBatch, t: number, param: TermParam, kind: LossName): GradientTerms {
  if (!Number.isInteger(t) || t < 0 || t >= batch.steps) {
    throw new RangeError(`gradientTerms: the loss step must be an integer from 0 to ${batch.steps - 1}, got ${t}`);
  }
  if (param === 'bs' && p.bs === undefined) throw new RangeError('gradientTerms: this network has no bs (--no-bias)');
  const at = lossAtStep(batch, t);
  return numbersOf(() => {
    const x = inputTensor(at);
    const cache = engineFor(p).forward(p, x);
    const parts = partsFor(p, at, kind, cache);
    const bias = p.bs !== undefined;
    const shares = Array.from({ length: t + 1 }, (_, k) => stepShare(parts, x, k, bias)[param]!);
    const total = tf.addN(shares);
    const autodiff = autodiffLossAndGrads(p, x, targetTensor(at), kind, { mask: maskTensor(at) }).grads[param]!;
    return {
      t,
      param,
      terms: shares.map(asMatrix),
      total: asMatrix(total),
      autodiff: asMatrix(autodiff),
      maxDifference: tf.max(tf.abs(tf.sub(total, autodiff))).dataSync()[0],
    };
  });
}

/** One entry of the terms: what the page lists, the sum written out. */
export interface TermSeries {
  /** The entry W[i][j] (bs: i = 0). */
  i: number;
  j: number;
  /** terms[k][i][j] for k = 0 … t, their running sums Σ_{k' ≤ k}, the engine's total and tf.grad's. */
  values: number[];
  running: number[];
  total: number;
  autodiff: number;
}

/** The terms' entry [i][j], by default the one where |∂ℓ_t/∂W| is largest. */
export function termSeries(g: GradientTerms, at?: [number, number]): TermSeries {
  let [i, j] = at ?? [0, 0];
  if (at === undefined) {
    g.total.forEach((row, r) => row.forEach((v, c) => Math.abs(v) > Math.abs(g.total[i][j]) && ([i, j] = [r, c])));
  }
  const values = g.terms.map((term) => term[i][j]);
  let sum = 0;
  const running = values.map((v) => (sum += v));
  return { i, j, values, running, total: g.total[i][j], autodiff: g.autodiff[i][j] };
}
