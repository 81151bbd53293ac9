// Length generalization: a model trained on n bits, asked to add wider numbers. The recurrence is the same at
// every step, so an adder that learned the carry rule stays exact at any width; one that memorised does not.
import { Accuracy } from './accuracy';
import { evaluateAdder } from './evaluate';
import { Params } from '../engine/params';

export const GENERALIZATION_WIDTHS = [16, 32, 64] as const;

export interface GeneralizationOptions {
  /** Random pairs per width (the carry-chain cases come on top). */
  samples?: number;
  seed?: number;
  widths?: readonly number[];
}

/** Exactness at each width on a seeded sample plus carry-chain cases (4^16 pairs is already too many to list). */
export function lengthGeneralization(params: Params, options: GeneralizationOptions = {}): Accuracy[] {
  return (options.widths ?? GENERALIZATION_WIDTHS).map((bits) =>
    evaluateAdder(params, bits, { samples: options.samples, seed: options.seed, sampled: true }),
  );
}
