// The tfjs LayersModel mirror of the network: the cell's layer `rnn` (SimpleRNN, LSTM or GRU) + Dense `readout`,
// so tf.loadLayersModel anywhere computes what the cell's engine does. And the copies between the two.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { ADDER_INPUTS, CellName, cellWithGates, configOf, NetConfig, ParamName, paramNames, Params } from '../engine/params';

export const MODEL_NAME = 'rnn_adder';
export const RNN_LAYER = 'rnn';
export const READOUT_LAYER = 'readout';

/** The model weight that holds each engine parameter. */
export const WEIGHT_NAMES: Record<ParamName, string> = {
  Wx: `${RNN_LAYER}/kernel`,
  Ws: `${RNN_LAYER}/recurrent_kernel`,
  bs: `${RNN_LAYER}/bias`,
  Wy: `${READOUT_LAYER}/kernel`,
  by: `${READOUT_LAYER}/bias`,
};

/**
 * Each cell's tfjs-layers class and the activations that make it compute the engine's equations: SimpleRNN with
 * sigmoid (F1); LSTM and GRU with tanh and sigmoid gates (tfjs' default recurrentActivation is hardSigmoid).
 * tfjs' GRU is reset_after = false, the form of docs/gru.md.
 */
export const CELL_LAYERS: Record<CellName, { className: string; activation: 'sigmoid' | 'tanh'; recurrentActivation?: 'sigmoid' }> = {
  elman: { className: 'SimpleRNN', activation: 'sigmoid' },
  lstm: { className: 'LSTM', activation: 'tanh', recurrentActivation: 'sigmoid' },
  gru: { className: 'GRU', activation: 'tanh', recurrentActivation: 'sigmoid' },
};

/** Input [batch, T, I] with T free, output [batch, T, 1]: one model adds numbers of any width, or echoes any stream. */
export function buildModel(config: NetConfig): tfl.LayersModel {
  if (!Number.isInteger(config.hidden) || config.hidden < 1) {
    throw new Error(`buildModel: hidden size must be a positive integer, got ${config.hidden}`);
  }
  // Zero initialisers: the weights are always overwritten, and the default Orthogonal one is slow (and
  // warns on the console) for large H.
  const init = { kernelInitializer: 'zeros', biasInitializer: 'zeros' } as const;
  const cell = config.cell ?? 'elman';
  const { activation, recurrentActivation } = CELL_LAYERS[cell];
  const layer = {
    name: RNN_LAYER,
    units: config.hidden,
    activation,
    returnSequences: true,
    useBias: config.bias,
    inputShape: [null, config.inputs ?? ADDER_INPUTS],
    recurrentInitializer: 'zeros' as const,
    ...init,
  };
  const model = tfl.sequential({ name: MODEL_NAME });
  model.add(
    cell === 'elman'
      ? tfl.layers.simpleRNN(layer)
      : tfl.layers[cell]({ ...layer, recurrentActivation }),
  );
  // Dense on a [batch, T, H] input multiplies the last axis: the readout applied at every step.
  model.add(tfl.layers.dense({ name: READOUT_LAYER, units: 1, activation: 'sigmoid', useBias: config.bias, ...init }));
  return model;
}

/** The model's weights by their layer-scoped names (`rnn/kernel`, …), which a second model in a process keeps too. */
function weightsByName(model: tfl.LayersModel): Map<string, tfl.LayerVariable> {
  return new Map(model.weights.map((w) => [w.originalName, w]));
}

function expectWeights(model: tfl.LayersModel, config: NetConfig): Map<string, tfl.LayerVariable> {
  const weights = weightsByName(model);
  const wanted = paramNames(config).map((name) => WEIGHT_NAMES[name]);
  if (weights.size !== wanted.length || wanted.some((name) => !weights.has(name))) {
    throw new Error(`the model's weights [${[...weights.keys()].join(', ')}] are not [${wanted.join(', ')}]`);
  }
  return weights;
}

/** Copies the engine's parameters into the model's weights (shapes must match). */
export function paramsToModel(params: Params, model: tfl.LayersModel): void {
  const weights = expectWeights(model, configOf(params));
  for (const name of paramNames(configOf(params))) weights.get(WEIGHT_NAMES[name])!.write(params[name]!);
}

/** The model's cell, hidden size, input width and biases, read from its `rnn` layer's weights. */
function modelConfig(model: tfl.LayersModel): NetConfig {
  const weights = weightsByName(model);
  const [kernel, recurrent] = [weights.get(WEIGHT_NAMES.Wx), weights.get(WEIGHT_NAMES.Ws)];
  if (kernel === undefined || recurrent === undefined) {
    throw new Error(`the model has no ${WEIGHT_NAMES.Wx} or no ${WEIGHT_NAMES.Ws} weight`);
  }
  const [H, GH] = recurrent.shape as number[];
  const cell = cellWithGates(GH / H);
  if (cell === undefined) throw new Error(`${WEIGHT_NAMES.Ws} has shape [${recurrent.shape}], which is no cell's [H, G·H]`);
  return { cell, hidden: H, bias: weights.has(WEIGHT_NAMES.bs), inputs: kernel.shape[0]! };
}

/** The model's weights as engine parameters: copies, which the caller owns and disposes. */
export function modelToParams(model: tfl.LayersModel): Params {
  const config = modelConfig(model);
  const weights = expectWeights(model, config);
  const params: Partial<Record<ParamName, tf.Tensor>> = {};
  for (const name of paramNames(config)) params[name] = weights.get(WEIGHT_NAMES[name])!.read().clone();
  // expectWeights checked the weights: rnn/kernel, rnn/recurrent_kernel, readout/kernel are matrices, the biases vectors.
  return params as Params;
}
