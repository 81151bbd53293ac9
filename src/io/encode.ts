// Engine parameters → the two files of a tfjs layers model, in memory: LayersModel.save hands its artifacts to
// our handler (tf.io.withSaveHandler), which lays them out as tfjs-node's file:// would. No file system here, so
// the page encodes a model it trained for download with the same code that the CLI saves with.
import * as tf from '@tensorflow/tfjs-core';
import { ModelMetadata } from './metadata';
import { buildModel, paramsToModel } from './model';
import { configOf, Params } from '../engine/params';
import { ModelFiles, modelFilesOf } from './format';
import { metadataProblem } from './validate';
import { weightsSha256 } from './weights-hash';

/** model.json and weights.bin for these parameters, as tfjs' LayersModel.save produces them. */
export async function encodeModel(params: Params, metadata: ModelMetadata): Promise<ModelFiles> {
  const config = configOf(params);
  const problem = metadataProblem(metadata, config);
  if (problem !== undefined) throw new Error(`saveModel: the metadata does not fit the parameters: ${problem}`);
  const model = buildModel(config);
  try {
    paramsToModel(params, model);
    model.setUserDefinedMetadata({ ...metadata });
    let files: ModelFiles | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
        artifacts.userDefinedMetadata = { ...artifacts.userDefinedMetadata, weightsSha256: await weightsSha256(weights) };
        files = modelFilesOf(artifacts);
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    return files!;
  } finally {
    model.dispose();
  }
}
