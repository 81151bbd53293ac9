// tfjs' own recurrent layers as the bench's peer: one layer (LSTM, GRU, SimpleRNN) returning every step's state, a
// Dense(1, sigmoid) readout per step, mean squared error and Adam with the adders' settings, on the rnn-peers shape.
// The same builder takes rnn-adder's fused layers (fusedLSTM…) where the package exports them.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from 'rnn-adder';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, CellName, DEFAULT_LEARNING_RATES } from 'rnn-adder';

/** The shape of the layers' target step: batch 64, T = 100, input 2. */
export const SHAPE = { batch: 64, steps: 100, inputs: 2 };

/**
 * A recurrent layer's factory in tfjs' style: tf.layers.lstm, or rnn-adder's fusedLSTM of the same config (each
 * layer's config type is its own, hence any).
 */
type LayerFactory = (config: any) => tfl.layers.Layer;

interface CellLayers {
  standard: LayerFactory;
  /** The package's export of the fused layer, timed against the standard one only where it exists. */
  fusedExport: string;
  /** What makes tfjs' layer compute rnn-adder's cell (tfjs' defaults are hardSigmoid gates and a tanh SimpleRNN). */
  config: Record<string, unknown>;
}

export const CELL_LAYERS: Record<CellName, CellLayers> = {
  elman: { standard: tfl.layers.simpleRNN, fusedExport: 'fusedSimpleRNN', config: { activation: 'sigmoid' } },
  lstm: { standard: tfl.layers.lstm, fusedExport: 'fusedLSTM', config: { recurrentActivation: 'sigmoid' } },
  gru: { standard: tfl.layers.gru, fusedExport: 'fusedGRU', config: { recurrentActivation: 'sigmoid' } },
};

/** rnn-adder's fused layer of the cell, when the package exports it. */
export function fusedFactory(cell: CellName): LayerFactory | undefined {
  const factory = (api as Record<string, unknown>)[CELL_LAYERS[cell].fusedExport];
  return typeof factory === 'function' ? (factory as LayerFactory) : undefined;
}

/**
 * tfjs-layers' default recurrent initializer, orthogonal, calls chained tensor methods that the @tensorflow/tfjs
 * bundle registers and tfjs-core alone (this package's dependency) does not; the initial weights do not change a
 * step's time.
 */
const RECURRENT_INIT = 'glorotUniform';

/** The model: the recurrent layer, Dense(1, sigmoid) at every step, compiled with MSE and Adam. */
export function recurrentModel(cell: CellName, units: number, factory: LayerFactory = CELL_LAYERS[cell].standard): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      factory({ units, returnSequences: true, inputShape: [SHAPE.steps, SHAPE.inputs], recurrentInitializer: RECURRENT_INIT, ...CELL_LAYERS[cell].config }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(DEFAULT_LEARNING_RATES.adam, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON),
    loss: 'meanSquaredError',
  });
  return model;
}

/** Frees the model and its Adam's moments (a model disposes only an optimizer it made from a name). */
export function disposeModel(model: tfl.LayersModel): void {
  model.optimizer.dispose();
  model.dispose();
}

/** `count` sequences of random bits and random target bits, seeded: the step's time does not depend on them. */
export function randomSequences(count: number, seed: number): { x: tf.Tensor3D; y: tf.Tensor3D } {
  return tf.tidy(() => ({
    x: tf.round(tf.randomUniform([count, SHAPE.steps, SHAPE.inputs], 0, 1, 'float32', seed)) as tf.Tensor3D,
    y: tf.round(tf.randomUniform([count, SHAPE.steps, 1], 0, 1, 'float32', seed + 1)) as tf.Tensor3D,
  }));
}
