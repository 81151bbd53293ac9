// Global-norm gradient clipping: one factor for the whole gradient, so its direction is kept.

/** ‖g‖ over every parameter at once. */
export function globalNorm(grads: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i] * grads[i];
  return Math.sqrt(sum);
}

/** Scales g in place to norm `maxNorm` when it is longer; returns the norm it had. */
export function clipGlobalNorm(grads: Float32Array, maxNorm: number): number {
  const norm = globalNorm(grads);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i] *= scale;
  }
  return norm;
}
