// The default task, binary addition (src/data/bits.ts): training minibatches of uniform random operand pairs.
import { EncodedBatch, encodePairs, stepsFor } from '../data/bits';
import { randomPairs, seededRng } from '../data/sample';

/**
 * A seeded stream of batches. Its generator is seeded with −(seed + 1), a stream that initParams (seeded with
 * seed ≥ 0) never uses, so the pairs do not echo the initial weights' random numbers.
 */
export function batchSampler(bits: number, batch: number, seed: number): () => EncodedBatch {
  const rng = seededRng(-(seed + 1));
  const steps = stepsFor(bits);
  return () => {
    const pairs = randomPairs(rng, bits, batch);
    return encodePairs(pairs.a, pairs.b, steps);
  };
}
