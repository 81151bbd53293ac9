// Loads a saved model for inference: checked files (read.ts), then the checks and tfjs' own loader on the bytes
// read here (from-artifacts.ts), so no file:// handler and no tfjs-node is needed. A load that meets a save
// midway (the directory renamed away for a moment, or model.json of one save and weights.bin of the next, told
// by the weights' SHA-256) reads again: it returns one save, whole, or says in one line that a save is under way.
import { disposeParams } from '../engine/params';
import { UserError } from '../errors';
import { isBeingSaved } from './atomic';
import { LoadedModel, MixedSaveError, modelFromArtifacts } from './from-artifacts';
import { isUnchanged, ModelJSONFile, readModelJSON, readWeightData } from './read';
import { architectureOf } from './validate';

export { LoadedModel };

/** Reads of a directory that a save keeps replacing: a save renames in milliseconds, so a few suffice. */
const LOAD_ATTEMPTS = 6;
/** The wait before the n-th new read is n times this. */
const RETRY_MS = 15;

/** A read that failed as a save was replacing the directory: to be tried again. */
class RacedError extends Error {
  constructor(readonly cause: unknown) {
    super('a load raced a save');
  }
}

async function loadOnce(dir: string, attempt: number): Promise<LoadedModel> {
  let modelJSON: ModelJSONFile;
  try {
    modelJSON = await readModelJSON(dir);
  } catch (error) {
    // A save may have renamed the directory away and released its lock since: the first failure reads again.
    throw attempt === 1 || (await isBeingSaved(dir)) ? new RacedError(error) : error;
  }
  try {
    architectureOf(modelJSON.json.weightsManifest.flatMap((group) => group.weights), modelJSON.file);
    return await modelFromArtifacts(await readWeightData(modelJSON), modelJSON.file);
  } catch (error) {
    // With model.json unchanged and its hash matched, the files are one save's: the error is the model's own.
    const raced = error instanceof MixedSaveError || !(await isUnchanged(modelJSON));
    throw raced ? new RacedError(error) : error;
  }
}

/**
 * Loads and checks a model directory. The architecture model.json declares (H within the limit of `--hidden`)
 * is checked before the weights it declares are read, so a file declaring gigabytes is refused unread.
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadOnce(dir, attempt);
    } catch (error) {
      if (!(error instanceof RacedError)) throw error;
      if (attempt === LOAD_ATTEMPTS) {
        // Mixed files that no save is replacing were mixed by hand: their own message says so.
        if (!(await isBeingSaved(dir))) throw error.cause;
        throw new UserError(`${dir} changed each of the ${LOAD_ATTEMPTS} times it was read: a save to it is under way; try again once it ends`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * attempt));
    }
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
