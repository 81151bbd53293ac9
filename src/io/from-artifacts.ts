// A model's artifacts (model.json parsed, weights in memory) → engine parameters: the shapes, metadata and
// topology checked first, then tfjs' own loader (tf.loadLayersModel), then the weights copied out. No file system:
// the CLI reads the artifacts from a directory (load.ts), the page fetches them over HTTP.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../errors';
import { ModelMetadata } from './metadata';
import { modelToParams } from './model';
import { NetConfig, Params } from '../engine/params';
import { architectureOf, checkFiniteWeights, checkMetadata, checkTopology } from './validate';

export interface LoadedModel {
  /** Copies the caller owns (disposeParams when done). */
  params: Params;
  metadata: ModelMetadata;
  config: NetConfig;
}

/** `source` names model.json in every error (a path or a URL). */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, source: string): Promise<LoadedModel> {
  const config = architectureOf(artifacts.weightSpecs ?? [], source);
  const metadata = checkMetadata(artifacts.userDefinedMetadata, config, source);
  checkTopology(artifacts.modelTopology as Record<string, unknown>, config, source);
  if (artifacts.weightData !== undefined) {
    checkFiniteWeights(artifacts.weightSpecs ?? [], tf.io.CompositeArrayBuffer.join(artifacts.weightData), source);
  }
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new UserError(`${source}: tfjs cannot build this model (${(error as Error).message})`);
  }
  try {
    return { params: modelToParams(model), metadata, config };
  } finally {
    model.dispose();
  }
}
