// Length generalization: a model trained on n bits, asked to add wider numbers. The recurrence is the same at
// every step, so an adder that learned the carry rule stays exact at any width; one that memorised does not.
import { Accuracy } from './accuracy';
import { checkArray, checkInteger, checkOptionsObject } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';
import { checkPairSteps, DEFAULT_SAMPLED_PAIRS, MAX_EVAL_BITS, MAX_EVAL_SAMPLES } from '../limits';
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
  checkParams(params, 'params');
  checkOptionsObject(options, 'options');
  const { samples, seed, widths } = options;
  if (samples !== undefined) checkInteger(samples, 'samples', 1, MAX_EVAL_SAMPLES, 'limit');
  if (seed !== undefined) checkInteger(seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  if (widths !== undefined) {
    checkArray(widths, 'widths', GENERALIZATION_WIDTHS.length * 4);
    for (const bits of widths) checkInteger(bits, 'widths', 1, MAX_EVAL_BITS, 'limit');
  }
  const all: readonly number[] = widths ?? GENERALIZATION_WIDTHS;
  const steps = all.reduce((sum, bits) => sum + bits + 1, 0);
  checkPairSteps((samples ?? DEFAULT_SAMPLED_PAIRS) * steps, params.Ws.shape[0], '{samples} or {widths}');
  return (options.widths ?? GENERALIZATION_WIDTHS).map((bits) =>
    evaluateAdder(params, bits, { samples: options.samples, seed: options.seed, sampled: true }),
  );
}
