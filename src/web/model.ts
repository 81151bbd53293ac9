// The page's models: the served one fetched with tfjs' HTTP loader, a trained one from the worker's files; both go
// through the same checks and tf.loadLayersModel as `rnn-adder add --model` (src/io/from-artifacts.ts).
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors';
import type { ModelFiles } from '../io/format';
import { LoadedModel, modelFromArtifacts } from '../io/from-artifacts';

/** model.json at `url` and the weight files it names, beside it. */
export async function fetchModel(url: string): Promise<LoadedModel> {
  let artifacts: tf.io.ModelArtifacts;
  try {
    // An IOHandler's load is optional in its type; the HTTP handler always has one.
    artifacts = await tf.io.http(url).load!();
  } catch (error) {
    throw new UserError(`cannot load the model at ${url}: ${(error as Error).message}`);
  }
  return modelFromArtifacts(artifacts, url);
}

/** A model from the two files the worker encoded (one weights file, as every model here has). */
export async function modelFromFiles(files: ModelFiles, source: string): Promise<LoadedModel> {
  const json = JSON.parse(files.json) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => [
    manifest.flatMap((group) => group.weights),
    files.weights.buffer as ArrayBuffer,
  ]);
  return modelFromArtifacts(artifacts, source);
}
