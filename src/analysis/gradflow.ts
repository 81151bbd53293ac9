// How far back does the loss at the last step reach? ‖∂ℓ_T/∂s_k‖ against the lag T−k: the vanishing
// (or exploding) gradient the Udacity BPTT notes describe, measured on any cell's network (docs/bptt.md,
// "Gradient flow"), s_k being the state the readout reads (h_k of the gated cells).
//
// Shape letters: B = batch size, T = time steps (bits + 1), H = hidden size.
import * as tf from '@tensorflow/tfjs-core';
import { inputTensor, targetTensor } from '../engine/batch-tensors';
import { encodePairs, stepsFor } from '../data/bits';
import { randomPairs, seededRng } from '../data/sample';
import { engineFor } from '../engine/cells';
import { LOSSES, LossName, outputDelta } from '../engine/loss';
import { checkChoice, checkInteger, described } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';
import { OptionError } from '../errors';
import { checkBpttStates } from '../limits';
import { configOf, Params } from '../engine/params';
import { globalNorm } from '../train/clip';
import { flatLayout, readFlat } from '../train/flat';

/**
 * ∂ℓ_T/∂s_k for every sample and every step k = 1 … T, [B, T, H], where ℓ_T is a sample's loss at the
 * last step only: the engine's own (B1) and its recursion through time (stateGradients: (B4)-(B5) for the Elman
 * cell, docs/bptt.md (G1)-(G2); (L5)-(L7), (U5)-(U7) for the gated ones). For ℓ_T alone, δo_k = 0 for k < T, so the
 * direct term enters at t = T only; and one sample's loss has no 1/N, which outputDelta's batch mean over the B last
 * steps has: hence the factor B.
 */
export function lastStepStateGradients(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const H = p.Ws.shape[0];
    const engine = engineFor(p);
    const cache = engine.forward(p, x);
    const lastStep = (v: tf.Tensor3D) => tf.slice(v, [0, T - 1, 0], [B, 1, 1]);
    const dOT = tf.mul(tf.reshape(outputDelta(lastStep(cache.yhat), lastStep(y), kind), [B, 1]), B); // (B1)
    const direct = tf.mul<tf.Tensor2D>(dOT, tf.reshape(p.Wy, [1, H])); // (G1) δo_T·Wyᵀ, as the engine's (B4)
    return tf.stack(engine.stateGradients(p, cache, (t) => (t === T - 1 ? direct : undefined)), 1) as tf.Tensor3D; // (G2)
  });
}

/** mean_i ‖row‖ over the batch for every step: [B, T, H] → T numbers. */
function meanNormPerStep(g: tf.Tensor3D): number[] {
  const norms = tf.tidy(() => tf.mean(tf.sqrt(tf.sum(tf.square(g), 2)), 0));
  const values = Array.from(norms.dataSync());
  norms.dispose();
  return values;
}

/** ‖∇θL‖ of the training loss, measured as `train --clip` measures it: every parameter in one flat vector. */
function trainingGradNorm(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): number {
  const layout = flatLayout(configOf(p));
  const { loss, grads } = engineFor(p).lossAndGrads(p, x, y, kind);
  const flat = readFlat(grads, layout, new Float32Array(layout.size));
  tf.dispose([loss, ...Object.values(grads)]);
  return globalNorm(flat);
}

/** The largest `gradflow --bits` and `--samples`. */
export const GRADFLOW_MAX = { bits: 256, samples: 100_000 } as const;

export interface GradFlowOptions {
  /** Operand width: T = bits + 1 steps, so lags 0 … bits. */
  bits: number;
  /** Random operand pairs in the batch. */
  samples: number;
  seed: number;
  loss: LossName;
  /** Global-norm clipping threshold c (Pascanu et al. 2013, Algorithm 1, as src/train/clip.ts), for the clipped curve. */
  clip: number;
}

export interface GradFlow {
  steps: number;
  samples: number;
  loss: LossName;
  /** norms[j] = mean over the batch of ‖∂ℓ_T/∂s_{T−j}‖, lag j = 0 … T−1. */
  norms: number[];
  clip: number;
  /** ‖∇θL‖: the gradient of the batch's training loss (all steps), the one a training step would clip. */
  gradNorm: number;
  /** min(1, c/‖∇θL‖): clipping multiplies every lag's signal by this one factor. */
  clipScale: number;
  /** clipScale·norms[j]: what of each lag's signal survives in a clipped update. */
  clippedNorms: number[];
}

/**
 * The gradient flow of a network over a seeded batch of random `bits`-wide additions. "Clipped" is what
 * global-norm clipping makes of it: the whole gradient is scaled by one factor, so the curve moves down
 * rigidly on a log axis and the ratio between two lags (the vanishing) is unchanged.
 */
/** Refuses what `rnn-adder gradflow` refuses, before any tensor exists. */
function checkGradFlow(params: Params, options: GradFlowOptions): void {
  checkParams(params, 'params');
  if (typeof options !== 'object' || options === null) throw new OptionError(`{options} must be an object of options, got ${described(options)}`);
  checkInteger(options.bits, 'bits', 1, GRADFLOW_MAX.bits, 'limit');
  checkInteger(options.samples, 'samples', 1, GRADFLOW_MAX.samples, 'limit');
  checkInteger(options.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  checkChoice(options.loss, 'loss', LOSSES);
  if (!(typeof options.clip === 'number' && options.clip > 0 && Number.isFinite(options.clip))) {
    throw new OptionError(`{clip} must be a number greater than 0, got ${described(options.clip)}`);
  }
  checkBpttStates(options.samples, options.bits + 1, params.Ws.shape[0], '{samples} or {bits}');
}

export function gradientFlow(params: Params, options: GradFlowOptions): GradFlow {
  checkGradFlow(params, options);
  const steps = stepsFor(options.bits);
  const pairs = randomPairs(seededRng(options.seed), options.bits, options.samples);
  const enc = encodePairs(pairs.a, pairs.b, steps);
  const x = inputTensor(enc);
  const y = targetTensor(enc);
  try {
    const g = lastStepStateGradients(params, x, y, options.loss);
    const perStep = meanNormPerStep(g);
    g.dispose();
    const norms = perStep.reverse(); // step k = T − j holds lag j
    const gradNorm = trainingGradNorm(params, x, y, options.loss);
    const clipScale = gradNorm > options.clip ? options.clip / gradNorm : 1;
    return {
      steps,
      samples: options.samples,
      loss: options.loss,
      norms,
      clip: options.clip,
      gradNorm,
      clipScale,
      clippedNorms: norms.map((n) => n * clipScale),
    };
  } finally {
    x.dispose();
    y.dispose();
  }
}
