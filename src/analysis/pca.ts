// The two directions in which a cloud of hidden states spreads most (principal components), so it can be
// drawn in the plane. Power iteration on the covariance matrix, deflating after each component.
import { Point } from './kmeans';

const POWER_ITERATIONS = 200;

export interface Projection {
  mean: number[];
  /** Unit vectors, largest variance first. */
  components: number[][];
  /** Variance along each component. */
  variances: number[];
}

export function principalComponents(points: readonly Point[], count = 2): Projection {
  const dim = points[0].length;
  const mean = new Array<number>(dim).fill(0);
  for (const p of points) for (let j = 0; j < dim; j++) mean[j] += p[j] / points.length;
  const cov = mean.map(() => new Array<number>(dim).fill(0));
  for (const p of points) {
    for (let i = 0; i < dim; i++) {
      for (let j = 0; j < dim; j++) cov[i][j] += ((p[i] - mean[i]) * (p[j] - mean[j])) / points.length;
    }
  }
  const times = (v: number[]): number[] => cov.map((row) => row.reduce((s, c, j) => s + c * v[j], 0));
  const components: number[][] = [];
  const variances: number[] = [];
  for (let c = 0; c < count; c++) {
    // A fixed, non-symmetric start: reproducible, and not orthogonal to the top component in practice.
    let v = mean.map((_, j) => 1 + j / dim);
    let variance = 0;
    for (let it = 0; it < POWER_ITERATIONS; it++) {
      const w = times(v);
      variance = Math.hypot(...w);
      if (variance === 0) break;
      v = w.map((x) => x / variance);
    }
    components.push(variance === 0 ? mean.map((_, j) => (j === c ? 1 : 0)) : v);
    variances.push(variance);
    // Deflate: remove the found direction so the next power iteration finds the next one.
    for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) cov[i][j] -= variance * v[i] * v[j];
  }
  return { mean, components, variances };
}

export function project(projection: Projection, p: Point): number[] {
  return projection.components.map((c) => c.reduce((s, cj, j) => s + cj * (p[j] - projection.mean[j]), 0));
}
