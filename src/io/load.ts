// Loads a saved model for inference: checked files, then tfjs' own loader (tf.loadLayersModel on the bytes
// read here, so no file:// handler and no tfjs-node is needed), then the weights copied out as engine parameters.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as path from 'path';
import { UserError } from '../errors';
import { ModelMetadata } from './metadata';
import { modelToParams } from './model';
import { disposeParams, NetConfig, Params } from '../engine/params';
import { MODEL_JSON } from './format';
import { readModelArtifacts } from './read';
import { architectureOf, checkMetadata, checkTopology } from './validate';

export interface LoadedModel {
  /** Copies the caller owns (disposeParams when done). */
  params: Params;
  metadata: ModelMetadata;
  config: NetConfig;
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const artifacts = await readModelArtifacts(dir);
  const jsonFile = path.join(dir, MODEL_JSON);
  const config = architectureOf(artifacts.weightSpecs ?? [], jsonFile);
  const metadata = checkMetadata(artifacts.userDefinedMetadata, config, jsonFile);
  checkTopology(artifacts.modelTopology as Record<string, unknown>, config, jsonFile);
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

/** loadModel for the commands that need an adder: a model of another task is refused in one line. */
export async function loadAdder(dir: string): Promise<LoadedModel> {
  const loaded = await loadModel(dir);
  const task = loaded.metadata.task ?? 'add';
  if (task !== 'add') {
    disposeParams(loaded.params);
    throw new UserError(`${dir} holds a network trained on the ${task} task, not an adder (train one with --task add)`);
  }
  return loaded;
}
