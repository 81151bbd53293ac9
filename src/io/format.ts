// The two files of a model directory, laid out exactly as tfjs-node's `file://` handler writes them
// (tfjs-node/src/io/file_system.ts, NodeFileSystem.save, unchanged from v1 to v4.22): so a model saved here
// is byte for byte the one `model.save('file://dir')` would write, and loads wherever tfjs runs.
import * as tf from '@tensorflow/tfjs-core';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const LAYERS_MODEL_FORMAT = 'layers-model';

export interface ModelFiles {
  /** model.json's text. */
  json: string;
  /** weights.bin's bytes. */
  weights: Uint8Array;
}

/** model.json: the same keys in the same order as NodeFileSystem.save, one weight group pointing at weights.bin. */
export function modelFilesOf(artifacts: tf.io.ModelArtifacts): ModelFiles {
  if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.weightData === undefined) {
    throw new Error('modelFilesOf: expected a JSON topology and weight data, as LayersModel.save gives');
  }
  const modelJSON: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as {},
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  return {
    json: JSON.stringify(modelJSON),
    weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
  };
}
