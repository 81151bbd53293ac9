// Loads a saved model for inference: checked files (read.ts), then the checks and tfjs' own loader on the bytes
// read here (from-artifacts.ts), so no file:// handler and no tfjs-node is needed.
import * as path from 'path';
import { disposeParams } from '../engine/params';
import { UserError } from '../errors';
import { LoadedModel, modelFromArtifacts } from './from-artifacts';
import { MODEL_JSON } from './format';
import { readModelArtifacts } from './read';

export { LoadedModel };

export async function loadModel(dir: string): Promise<LoadedModel> {
  return modelFromArtifacts(await readModelArtifacts(dir), path.join(dir, MODEL_JSON));
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
