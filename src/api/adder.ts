// A trained adder, from training or from disk: loading (with a backend set up), adding and measuring.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { ensureBackend } from '../backend';
import { Operand } from '../data/bits';
import { checkBoolean, checkInteger, checkOperand, checkOptionsObject, checkPath } from '../data/arguments';
import { checkAdder } from '../engine/param-arguments';
import { configOf, Params } from '../engine/params';
import { OptionError } from '../errors';
import { checkPairSteps, DEFAULT_SAMPLED_PAIRS, EXHAUSTIVE_MAX_BITS, MAX_EVAL_BITS, MAX_EVAL_SAMPLES } from '../limits';
import { Accuracy } from '../eval/accuracy';
import { addWithModel, evaluateAdder, EvaluateOptions } from '../eval/evaluate';
import { loadAdder as loadAdderDirectory, loadModel as loadModelDirectory, LoadedModel } from '../io';
import { buildModel, paramsToModel } from '../io/model';

/** Anything that holds an adder's parameters: a TrainResult, a LoadedModel. */
export interface Adder {
  params: Params;
}

/**
 * Loads a saved model after checking every file (sets up a backend first if none is in use). The caller
 * owns `params`: `disposeParams(model.params)` when done.
 * @example
 *   const model = await loadModel('models/adder-16');
 *   console.log(model.metadata.bits, model.config.hidden);
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  checkPath(dir, 'dir');
  await ensureBackend();
  return loadModelDirectory(dir);
}

/**
 * loadModel for code that needs an adder: a network trained on another task (echo, the adding problem) is refused
 * with a UserError that says so.
 * @example
 *   const adder = await loadAdder('models/adder-16');
 */
export async function loadAdder(dir: string): Promise<LoadedModel> {
  checkPath(dir, 'dir');
  await ensureBackend();
  return loadAdderDirectory(dir);
}

/**
 * The adder's sum of two non-negative integers of any size: the network runs for as many steps as the wider
 * operand has bits, plus one for the carry-out. It is the network's answer, right or not.
 * @example
 *   add(await loadModel('models/adder-16'), 65535n, 1n); // 65536n
 */
export function add(adder: Adder, a: Operand, b: Operand): bigint {
  checkAdderOfPairs(adder);
  checkOperand(a, 'a');
  checkOperand(b, 'b');
  return addWithModel(adder.params, a, b);
}

/** An adder's network reads two bits a step; an echo's or the adding problem's is refused by name. */
function checkAdderOfPairs(adder: unknown): asserts adder is Adder {
  checkAdder(adder, 'adder');
  const inputs = adder.params.Wx.shape[0];
  if (inputs !== 2) throw new OptionError(`{adder} reads ${inputs} input(s) a step: it is a network of another task, not an adder`);
}

/**
 * How many sums the adder gets right at `bits` bits: every pair up to 10 bits, a seeded sample plus carry-chain
 * cases above (or with `sampled: true`), with the accuracy per output bit and a few wrong sums.
 * @example
 *   const { accuracy } = evaluate(model, 32, { samples: 1000 }); // length generalization to 32 bits
 */
export function evaluate(adder: Adder, bits: number, options: EvaluateOptions = {}): Accuracy {
  checkAdderOfPairs(adder);
  checkInteger(bits, 'bits', 1, MAX_EVAL_BITS, 'limit');
  checkOptionsObject(options, 'options');
  const { samples, seed, sampled } = options;
  if (samples !== undefined) checkInteger(samples, 'samples', 1, MAX_EVAL_SAMPLES, 'limit');
  if (seed !== undefined) checkInteger(seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  if (sampled !== undefined) checkBoolean(sampled, 'sampled');
  // As `eval`: every pair up to EXHAUSTIVE_MAX_BITS, else the sample (the carry-chain cases are a few per width).
  const pairs = bits <= EXHAUSTIVE_MAX_BITS && !sampled ? 4 ** bits : (samples ?? DEFAULT_SAMPLED_PAIRS);
  checkPairSteps(pairs * (bits + 1), adder.params.Ws.shape[0], '{samples} or {bits}');
  return evaluateAdder(adder.params, bits, options);
}

/**
 * The adder as a tfjs LayersModel (SimpleRNN `rnn` + Dense `readout`, the model saved on disk): input
 * [batch, T, 2], output [batch, T, 1] probabilities. The caller disposes it.
 * @example
 *   const model = toLayersModel(result);
 *   const p = model.predict(tf.tensor3d([[[0, 1], [1, 1], [0, 0]]])); // 2 + 3 = 5: ŷ ≈ [1, 0, 1]
 */
export function toLayersModel(adder: Adder): LayersModel {
  checkAdder(adder, 'adder');
  const model = buildModel(configOf(adder.params));
  paramsToModel(adder.params, model);
  return model;
}
