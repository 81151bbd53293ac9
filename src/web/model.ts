// The page's models: the served one fetched with tfjs' HTTP loader, a trained one from the worker's files; both go
// through the same checks and tf.loadLayersModel as `rnn-adder add --model` (src/io/from-artifacts.ts). A fetch
// that meets a save between its two requests (model.json of one save, weights.bin of the next, told by the
// weights' SHA-256) fetches again, as the CLI's load reads again (src/io/load.ts).
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors';
import type { ModelFiles } from '../io/format';
import { LoadedModel, MixedSaveError, modelFromArtifacts } from '../io/from-artifacts';

/** Fetches of a model that a save keeps replacing: a save renames in milliseconds, so a few suffice. */
export const FETCH_ATTEMPTS = 4;
/** The wait before the n-th new fetch is n times this. */
const RETRY_MS = 50;

async function fetchOnce(url: string, fetchFunc: typeof fetch | undefined): Promise<LoadedModel> {
  let artifacts: tf.io.ModelArtifacts;
  try {
    // An IOHandler's load is optional in its type; the HTTP handler always has one.
    artifacts = await tf.io.http(url, fetchFunc === undefined ? {} : { fetchFunc }).load!();
  } catch (error) {
    throw new UserError(`cannot load the model at ${url}: ${(error as Error).message}`);
  }
  return modelFromArtifacts(artifacts, url);
}

/** model.json at `url` and the weight files it names, beside it; `fetchFunc` replaces `fetch` (for tests). */
export async function fetchModel(url: string, fetchFunc?: typeof fetch): Promise<LoadedModel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, fetchFunc);
    } catch (error) {
      if (!(error instanceof MixedSaveError)) throw error;
      if (attempt === FETCH_ATTEMPTS) {
        throw new UserError(`${url} changed each of the ${FETCH_ATTEMPTS} times it was fetched: a save to it is under way; try again once it ends`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * attempt));
    }
  }
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
