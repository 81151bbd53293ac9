// Between a model of fused layers and the same model of tfjs' own SimpleRNN / LSTM / GRU layers: the topology's layer
// classes swapped (their configs are the same options), the weights copied in order (the same names and layouts).
import * as tfl from '@tensorflow/tfjs-layers';
import './gru';
import './lstm';
import './simple-rnn';

/** Each fused layer's class and its standard twin, by className. */
const STANDARD_OF: Record<string, string> = { FusedSimpleRNN: 'SimpleRNN', FusedLSTM: 'LSTM', FusedGRU: 'GRU' };
const FUSED_OF: Record<string, string> = Object.fromEntries(Object.entries(STANDARD_OF).map(([fused, standard]) => [standard, fused]));

interface Topology {
  config: { layers: { class_name: string }[] };
}

async function withClasses(model: tfl.LayersModel, classes: Record<string, string>): Promise<tfl.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as Topology;
  for (const layer of topology.config.layers) layer.class_name = classes[layer.class_name] ?? layer.class_name;
  const copy = await tfl.models.modelFromJSON(topology as unknown as Parameters<typeof tfl.models.modelFromJSON>[0]);
  copy.setWeights(model.getWeights());
  return copy;
}

/**
 * The model with each fused layer replaced by tfjs' own (FusedSimpleRNN → SimpleRNN, FusedLSTM → LSTM, FusedGRU →
 * GRU), the same weights: what plain tfjs loads and runs without rnn-adder.
 */
export function toStandardModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  return withClasses(model, STANDARD_OF);
}

/**
 * The model with each of tfjs' SimpleRNN, LSTM and GRU layers replaced by its fused twin, the same weights: faster
 * training of a model made anywhere. A layer whose options the kernels do not compute is refused, naming the option.
 */
export function toFusedModel(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  return withClasses(model, FUSED_OF);
}
