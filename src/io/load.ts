// Loads a saved model for inference: checked files, then tfjs' own loader (tf.loadLayersModel on the bytes
// read here, so no file:// handler and no tfjs-node is needed), then the weights copied out as engine parameters.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../errors';
import { ModelMetadata } from './metadata';
import { modelToParams } from './model';
import { NetConfig, Params } from '../engine/params';
import { readModelJSON, readWeightData } from './read';
import { architectureOf, checkFiniteWeights, checkMetadata, checkTopology } from './validate';

export interface LoadedModel {
  /** Copies the caller owns (disposeParams when done). */
  params: Params;
  metadata: ModelMetadata;
  config: NetConfig;
}

/**
 * Loads and checks a model directory: model.json and the architecture it declares (bounded sizes, the expected
 * layers, metadata within the limits of the flags that set it) before the weights are read, then the weights,
 * which must all be finite numbers.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const modelJSON = await readModelJSON(dir);
  const { json, file: jsonFile } = modelJSON;
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const config = architectureOf(weightSpecs, jsonFile);
  const metadata = checkMetadata(json.userDefinedMetadata, config, jsonFile);
  checkTopology(json.modelTopology as Record<string, unknown>, config, jsonFile);
  const artifacts = await readWeightData(modelJSON);
  checkFiniteWeights(weightSpecs, artifacts.weightData as ArrayBuffer, jsonFile);
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new UserError(`${jsonFile}: tfjs cannot build this model (${(error as Error).message})`);
  }
  try {
    return { params: modelToParams(model), metadata, config };
  } finally {
    model.dispose();
  }
}
