// Saves engine parameters as a tfjs layers model: encoded in memory (encode.ts), then the directory is replaced
// atomically.
import * as path from 'path';
import { ModelMetadata } from './metadata';
import { Params } from '../engine/params';
import { lockTarget, replaceDirectory, ReplaceOptions, SaveLock, writeFileDurably } from './atomic';
import { encodeModel } from './encode';
import { MODEL_JSON, WEIGHTS_BIN } from './format';
import { checkPath } from '../data/arguments';

export interface SaveOptions {
  rename?: ReplaceOptions['rename'];
  /** dir, taken by lockModelDirectory before the work that ends in this save. */
  lock?: SaveLock;
}

const MODEL_FILES = [MODEL_JSON, WEIGHTS_BIN];

/**
 * Checks that a model can be saved to dir and takes it, so that a long run is refused at once, not after it:
 * dir is absent or a model directory (not a file, a symbolic link or a directory of other files), its parent
 * writable, and no other rnn-adder saving there. Release the lock when done.
 */
export async function lockModelDirectory(dir: string): Promise<SaveLock> {
  checkPath(dir, 'dir');
  return lockTarget(dir, MODEL_FILES);
}

/**
 * Writes dir/model.json and dir/weights.bin. A save never leaves a half-written or mixed model and never
 * destroys the previous one; it refuses to replace a directory that holds anything but a model.
 */
export async function saveModel(dir: string, params: Params, metadata: ModelMetadata, options: SaveOptions = {}): Promise<void> {
  const files = await encodeModel(params, metadata);
  await replaceDirectory(
    dir,
    async (fresh) => {
      await writeFileDurably(path.join(fresh, MODEL_JSON), files.json);
      await writeFileDurably(path.join(fresh, WEIGHTS_BIN), files.weights);
    },
    { replaceable: MODEL_FILES, rename: options.rename, lock: options.lock },
  );
}
