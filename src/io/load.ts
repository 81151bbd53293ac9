// Loads a saved model for inference: checked files (read.ts), then the checks and tfjs' own loader on the bytes
// read here (from-artifacts.ts), so no file:// handler and no tfjs-node is needed.
import * as path from 'path';
import { LoadedModel, modelFromArtifacts } from './from-artifacts';
import { MODEL_JSON } from './format';
import { readModelArtifacts } from './read';

export { LoadedModel };

export async function loadModel(dir: string): Promise<LoadedModel> {
  return modelFromArtifacts(await readModelArtifacts(dir), path.join(dir, MODEL_JSON));
}
