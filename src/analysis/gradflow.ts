// How far back does the loss at the last step reach? ‖∂ℓ_T/∂s_k‖ against the lag T−k: the vanishing
// (or exploding) gradient of the seeds, measured on any cell's network (docs/bptt.md, "Gradient flow"), s_k
// being the state the readout reads (h_k of the gated cells).
//
// Shape letters: B = batch size, T = time steps (bits + 1), H = hidden size.
import * as tf from '@tensorflow/tfjs-core';
import { inputTensor, targetTensor } from '../engine/batch-tensors';
import { encodePairs, stepsFor } from '../data/bits';
import { randomPairs, seededRng } from '../data/sample';
import { engineFor } from '../engine/cells';
import { LossName } from '../engine/loss';
import { configOf, Params } from '../engine/params';
import { globalNorm } from '../train/clip';
import { flatLayout, readFlat } from '../train/flat';

/**
 * ∂ℓ_T/∂s_k for every sample and every step k = 1 … T, [B, T, H], where ℓ_T is a sample's loss at the
 * last step only: the cell engine's own recursion through time (stateGradients), with the readout's term
 * δo_T·Wyᵀ at t = T alone, δo_T = (ŷ_T − y_T)·ŷ_T(1 − ŷ_T) for mse, (ŷ_T − y_T) for bce (B1, one sample: no 1/N).
 * For the Elman cell that recursion is ∂ℓ_T/∂s_k = (∂ℓ_T/∂s_{k+1} ⊙ s_{k+1}(1 − s_{k+1}))·Wsᵀ, (B4)+(B5).
 */
export function lastStepStateGradients(p: Params, x: tf.Tensor3D, y: tf.Tensor3D, kind: LossName): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = x.shape;
    const engine = engineFor(p);
    const cache = engine.forward(p, x);
    const yhatT = tf.reshape(tf.slice(cache.yhat, [0, T - 1, 0], [B, 1, 1]), [B, 1]);
    const yT = tf.reshape(tf.slice(y, [0, T - 1, 0], [B, 1, 1]), [B, 1]);
    const err = tf.sub(yhatT, yT);
    const dO = kind === 'mse' ? tf.mul(err, tf.mul(yhatT, tf.sub(1, yhatT))) : err; // (B1)
    const lastTerm = tf.matMul(dO, p.Wy as tf.Tensor2D, false, true) as tf.Tensor2D; // (B4)'s first term at t = T
    return tf.stack(engine.stateGradients(p, cache, (t) => (t === T - 1 ? lastTerm : undefined)), 1) as tf.Tensor3D;
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
export function gradientFlow(params: Params, options: GradFlowOptions): GradFlow {
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
