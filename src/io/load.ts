// Loads a saved model for inference: checked files (read.ts), then the checks and tfjs' own loader on the bytes
// read here (from-artifacts.ts), so no file:// handler and no tfjs-node is needed.
import { disposeParams } from '../engine/params';
import { UserError } from '../errors';
import { LoadedModel, modelFromArtifacts } from './from-artifacts';
import { readModelJSON, readWeightData } from './read';
import { architectureOf } from './validate';

export { LoadedModel };

/**
 * Loads and checks a model directory. The architecture model.json declares (H within the limit of `--hidden`)
 * is checked before the weights it declares are read, so a file declaring gigabytes is refused unread.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  const modelJSON = await readModelJSON(dir);
  architectureOf(modelJSON.json.weightsManifest.flatMap((group) => group.weights), modelJSON.file);
  return modelFromArtifacts(await readWeightData(modelJSON), modelJSON.file);
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
