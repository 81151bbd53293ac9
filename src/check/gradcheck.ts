// The proof that the hand-derived backward pass is right: on random weights and a random batch, compare
// every entry of the hand BPTT gradient with tf.grad's and with float64 central finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { encodePairs, EncodedBatch, stepsFor } from '../data/bits';
import { autodiffLossAndGrads } from '../engine/autodiff';
import { inputTensor, maskTensor, targetTensor } from '../engine/batch-tensors';
import { SequenceBatch } from '../data/sequences';
import { randomPairs, seededRng } from '../data/sample';
import { LossAndGrads, SequenceOptions } from '../engine/cell';
import { CELL_ENGINES } from '../engine/cells';
import { fusedEngineFor } from '../engine/fused/cells';
import { LossName } from '../engine/loss';
import { configOf, convertParams, disposeParams, initParams, PARAM_NAMES, ParamName, Params, PlainParams } from '../engine/params';
import { GradcheckConfig } from './gradcheck-config';
import { plainParams, PlainState, referenceLoss } from './reference';

/*
 * Tolerances, from float32 arithmetic. The engine and tf.grad compute in float32: unit roundoff
 * u = 2^-24 ≈ 6e-8. The states s_t and outputs ŷ_t lie in (0, 1), so each carries an absolute rounding
 * error of about u, and ŷ_t − y_t near a saturated output keeps only those absolute digits. The loss is a
 * mean of per-step terms of order 1, so every gradient entry ends up with an absolute error of a few u,
 * whatever its own size: a relative error on an entry of 1e-7 would judge digits float32 never had.
 * Hence a relative error with an absolute floor, |a − b| / max(|a|, |b|, GRADIENT_FLOOR): entries above
 * 1e-3 are judged relatively, smaller ones absolutely (to tolerance × 1e-3).
 *
 * Measured on wasm over 1,168 random cases (1–16 bits, H 1–16, B 1–32, both losses, with and without
 * biases) and 3,000 property-based ones with the weights scaled by 0.1–4 (into saturation), spot-checked
 * up to 64 bits, H 64, B 64: absolute errors ≤ 4e-7, relative errors as defined here ≤ 2e-5 between bptt
 * and tf.grad and ≤ 5e-5 between bptt and float64. The second comparison also sees the rounding of the
 * engine's forward pass, which tf.grad shares and so cannot see; hence its looser tolerance.
 * A real mistake is off by far more: over 288 random cases, dropping δ_{t+1}·Wsᵀ gives a median worst error
 * of 0.5 (below 1e-2 only with H = 1 and a small Ws, where the term itself is small), using bce's δo for
 * mse at least 0.75. The tolerances sit between: 1e-3 and 2e-3, 40–50× above the worst measured.
 * JAX's float32 gradient check also uses 2e-3, but with a floor of 1 (atol = rtol) because it
 * differentiates numerically in float32; these finite differences are float64 (below), so the floor can
 * be a thousand times tighter.
 */
export const BPTT_VS_AUTODIFF_TOLERANCE = 1e-3;
export const BPTT_VS_FINITE_DIFF_TOLERANCE = 2e-3;
export const GRADIENT_FLOOR = 1e-3;

/*
 * Central differences (f(w+h) − f(w−h)) / 2h err by h²·f'''/6 (truncation) plus the float64 rounding of
 * the two losses (ε ≈ 2.2e-16, summed over N steps) divided by h. Measured on 8 and 16 bits, H 16, B 8:
 * at h = 1e-5 truncation is ~1e-13 and rounding ~1e-11 (mse) to ~1e-10 (bce), so the finite differences
 * are good to ~1e-10 absolute, ~1e-7 relative or better (the float64 figure Karpathy's min-char-rnn
 * gradcheck expects): a thousand times below the float32 errors being measured. At h = 1e-3 truncation
 * grows to ~5e-9, at h = 1e-7 rounding to ~1e-8.
 */
export const FINITE_DIFF_STEP = 1e-5;

export { DEFAULT_GRADCHECK, GradcheckConfig } from './gradcheck-config';

/** Random weights (uniform(−1, 1), as Trask's numpy adder) and a random batch of pairs, both from the seed. */
export function randomProblem(config: GradcheckConfig): { params: Params; data: EncodedBatch } {
  const params = initParams({ cell: config.cell, hidden: config.hidden, bias: config.bias }, config.seed);
  // seed + 1: a stream of its own, so the operands are not the weights' first draws.
  const pairs = randomPairs(seededRng(config.seed + 1), config.bits, config.batch);
  return { params, data: encodePairs(pairs.a, pairs.b, stepsFor(config.bits)) };
}

export type LossAndGradsFn = (p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName, options?: SequenceOptions) => LossAndGrads;

/** A carried-in state and truncation, as plain numbers: the tensors' SequenceOptions are made from them. */
export interface PlainSequenceOptions {
  /** h_0 (and the LSTM's c_0) per sequence, [B][H] each. */
  initial?: PlainState;
  tbptt?: number;
}

/** Runs a tensor gradient (the engine's, tf.grad's, or a test's) and reads the result back as numbers. */
export function plainLossAndGrads(
  fn: LossAndGradsFn,
  params: Params,
  data: SequenceBatch,
  kind: LossName,
  options: PlainSequenceOptions = {},
): { loss: number; grads: PlainParams } {
  const x = inputTensor(data);
  const y = targetTensor(data);
  const mask = maskTensor(data);
  const carried = options.initial;
  const initial = carried && { h: tf.tensor2d(carried.h), ...(carried.c && { c: tf.tensor2d(carried.c) }) };
  const result = fn(params, x, y, kind, { initial, mask, tbptt: options.tbptt });
  const out = { loss: result.loss.arraySync(), grads: plainParams(result.grads) };
  tf.dispose([x, y, result.loss, ...(mask ? [mask] : []), ...(initial ? [initial] : [])]);
  disposeParams(result.grads);
  return out;
}

type Entries = number[] | number[][];

/** Calls f for every entry of a vector or matrix with its index, the array holding it, and its place there. */
function forEachEntry(value: Entries, f: (index: number[], holder: number[], at: number) => void): void {
  value.forEach((row, r) => (Array.isArray(row) ? row.forEach((_, c) => f([r, c], row, c)) : f([r], value as number[], r)));
}

/**
 * ∂L/∂w for every entry w of every parameter, by central differences on the float64 reference. With `tbptt`,
 * of the truncated objective: the states entering each window stay those of the unperturbed weights.
 */
export function finiteDifferenceGrads(
  p: PlainParams,
  data: SequenceBatch,
  kind: LossName,
  options: PlainSequenceOptions = {},
  h = FINITE_DIFF_STEP,
): PlainParams {
  const work = structuredClone(p);
  const reference = { ...options, frozen: p };
  const derivative = (holder: number[], at: number): number => {
    const w = holder[at];
    holder[at] = w + h;
    const up = referenceLoss(work, data, kind, reference);
    holder[at] = w - h;
    const down = referenceLoss(work, data, kind, reference);
    holder[at] = w;
    // The step actually taken: w ± h rounds, and dividing by the rounded width removes that error.
    return (up - down) / (w + h - (w - h));
  };
  return convertParams(
    work,
    (matrix) => matrix.map((row) => row.map((_, c) => derivative(row, c))),
    (vector) => vector.map((_, i) => derivative(vector, i)),
  );
}

/** |a − b| / max(|a|, |b|, GRADIENT_FLOOR); NaN (a broken gradient) counts as infinitely wrong. */
export function relativeError(expected: number, actual: number): number {
  const diff = Math.abs(expected - actual);
  if (Number.isNaN(diff)) return Infinity;
  return diff === 0 ? 0 : diff / Math.max(Math.abs(expected), Math.abs(actual), GRADIENT_FLOOR);
}

/** The worst entry of one parameter in one comparison. */
export interface ParamComparison {
  param: ParamName;
  relError: number;
  /** Where the worst entry is: [row, column] for matrices, [i] for vectors. */
  index: number[];
  expected: number;
  actual: number;
  ok: boolean;
}

export interface Comparison {
  label: string;
  tolerance: number;
  ok: boolean;
  params: ParamComparison[];
  /** One line: the worst entry when all pass, otherwise every failing parameter with its worst entry. */
  message: string;
}

const fmt = (v: number): string => v.toExponential(2);

function describeFailure(c: ParamComparison): string {
  return (
    `${c.param} worst relative error ${fmt(c.relError)} at [${c.index}] ` +
    `(expected ${fmt(c.expected)}, got ${fmt(c.actual)}, |diff| ${fmt(Math.abs(c.expected - c.actual))})`
  );
}

/** Compares two gradients entry by entry; `expected` is the yardstick (tf.grad, finite differences). */
export function compareGradients(label: string, expected: PlainParams, actual: PlainParams, tolerance: number): Comparison {
  const names = PARAM_NAMES.filter((name) => expected[name] !== undefined);
  const missing = PARAM_NAMES.filter((name) => (expected[name] === undefined) !== (actual[name] === undefined));
  if (missing.length > 0) throw new Error(`${label}: parameter sets differ at ${missing.join(', ')}`);

  const params = names.map((name): ParamComparison => {
    const want = expected[name]! as Entries;
    const got = actual[name]! as Entries;
    let worst: ParamComparison = { param: name, relError: -1, index: [], expected: NaN, actual: NaN, ok: false };
    forEachEntry(want, (index, holder, at) => {
      const a = index.length === 2 ? (got as number[][])[index[0]][index[1]] : (got as number[])[index[0]];
      const relError = relativeError(holder[at], a);
      if (relError > worst.relError) worst = { param: name, relError, index, expected: holder[at], actual: a, ok: false };
    });
    return { ...worst, ok: worst.relError <= tolerance };
  });
  const failing = params.filter((c) => !c.ok);
  const top = params.reduce((a, b) => (b.relError > a.relError ? b : a));
  const message =
    failing.length === 0
      ? `${label}: ok, worst relative error ${fmt(top.relError)} (${top.param} at [${top.index}]) <= ${tolerance}`
      : `${label}: exceeds tolerance ${tolerance}: ${failing.map(describeFailure).join('; ')}`;
  return { label, tolerance, ok: failing.length === 0, params, message };
}

export interface GradcheckReport {
  config: GradcheckConfig;
  steps: number;
  /** The batch loss from the engine, from tf.grad's forward, and from the float64 reference. */
  /** fused is null for a cell without a fused kernel (then the report has no fused comparisons either). */
  losses: { bptt: number; fused: number | null; autodiff: number; reference: number };
  finiteDiffStep: number;
  gradientFloor: number;
  comparisons: Comparison[];
  ok: boolean;
}

export function runGradcheck(config: GradcheckConfig): GradcheckReport {
  const { params, data } = randomProblem(config);
  try {
    const bptt = plainLossAndGrads(CELL_ENGINES[config.cell ?? 'elman'].lossAndGrads, params, data, config.loss);
    const fusedEngine = fusedEngineFor(configOf(params));
    const fused = fusedEngine && plainLossAndGrads(fusedEngine, params, data, config.loss);
    const autodiff = plainLossAndGrads(autodiffLossAndGrads, params, data, config.loss);
    const plain = plainParams(params);
    const finiteDifferences = finiteDifferenceGrads(plain, data, config.loss);
    const comparisons = [
      compareGradients('bptt vs tf.grad', autodiff.grads, bptt.grads, BPTT_VS_AUTODIFF_TOLERANCE),
      compareGradients('bptt vs finite differences', finiteDifferences, bptt.grads, BPTT_VS_FINITE_DIFF_TOLERANCE),
    ];
    if (fused) {
      comparisons.push(
        compareGradients('fused vs tf.grad', autodiff.grads, fused.grads, BPTT_VS_AUTODIFF_TOLERANCE),
        compareGradients('fused vs finite differences', finiteDifferences, fused.grads, BPTT_VS_FINITE_DIFF_TOLERANCE),
      );
    }
    return {
      config,
      steps: data.steps,
      losses: { bptt: bptt.loss, fused: fused?.loss ?? null, autodiff: autodiff.loss, reference: referenceLoss(plain, data, config.loss) },
      finiteDiffStep: FINITE_DIFF_STEP,
      gradientFloor: GRADIENT_FLOOR,
      comparisons,
      ok: comparisons.every((c) => c.ok),
    };
  } finally {
    disposeParams(params);
  }
}
