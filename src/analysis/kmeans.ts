// k-means (Lloyd's iterations from a seeded k-means++ start), for grouping hidden states.
import { Rng } from '../data/sample';

export type Point = ArrayLike<number>;

export interface Clustering {
  centroids: number[][];
  /** assignment[i] = index of the centroid nearest to point i. */
  assignment: Int32Array;
  /** Σ_i ‖p_i − centroid(p_i)‖²: lower is tighter. */
  inertia: number;
}

function squaredDistance(p: Point, q: Point): number {
  let sum = 0;
  for (let j = 0; j < p.length; j++) sum += (p[j] - q[j]) ** 2;
  return sum;
}

function nearest(centroids: readonly Point[], p: Point): { index: number; distance2: number } {
  let index = 0;
  let distance2 = Infinity;
  centroids.forEach((c, i) => {
    const d = squaredDistance(p, c);
    if (d < distance2) [index, distance2] = [i, d];
  });
  return { index, distance2 };
}

/** k-means++: each next seed is a point drawn with probability ∝ its squared distance to the seeds so far. */
function plusPlusSeeds(points: readonly Point[], k: number, rng: Rng): number[][] {
  const seeds = [Array.from(points[Math.floor(rng() * points.length)])];
  while (seeds.length < k) {
    const weights = points.map((p) => nearest(seeds, p).distance2);
    const total = weights.reduce((s, w) => s + w, 0);
    if (total === 0) break; // fewer distinct points than k
    let r = rng() * total;
    let pick = 0;
    while (pick < points.length - 1 && (r -= weights[pick]) > 0) pick++;
    seeds.push(Array.from(points[pick]));
  }
  return seeds;
}

function lloyd(points: readonly Point[], start: number[][], maxIterations: number): Clustering {
  const dim = points[0].length;
  let centroids = start;
  const assignment = new Int32Array(points.length).fill(-1);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let moved = false;
    points.forEach((p, i) => {
      const { index } = nearest(centroids, p);
      if (assignment[i] !== index) [assignment[i], moved] = [index, true];
    });
    if (!moved) break;
    const sums = centroids.map(() => new Array<number>(dim).fill(0));
    const counts = new Array<number>(centroids.length).fill(0);
    points.forEach((p, i) => {
      counts[assignment[i]]++;
      for (let j = 0; j < dim; j++) sums[assignment[i]][j] += p[j];
    });
    // An emptied cluster keeps its old centre rather than becoming NaN.
    centroids = sums.map((s, c) => (counts[c] === 0 ? centroids[c] : s.map((v) => v / counts[c])));
  }
  const inertia = points.reduce((s, p, i) => s + squaredDistance(p, centroids[assignment[i]]), 0);
  return { centroids, assignment, inertia };
}

/** The tightest of `restarts` runs of k-means from seeded k-means++ starts. */
export function kMeans(points: readonly Point[], k: number, rng: Rng, restarts = 4, maxIterations = 100): Clustering {
  if (points.length === 0) throw new Error('kMeans: no points');
  let best: Clustering | undefined;
  for (let run = 0; run < restarts; run++) {
    const result = lloyd(points, plusPlusSeeds(points, k, rng), maxIterations);
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  return best!;
}
