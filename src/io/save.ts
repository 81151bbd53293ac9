// Saves engine parameters as a tfjs layers model: encoded in memory (encode.ts), then the directory is replaced
// atomically.
import * as path from 'path';
import { ModelMetadata } from './metadata';
import { Params } from '../engine/params';
import { replaceDirectory, ReplaceOptions, writeFileDurably } from './atomic';
import { encodeModel } from './encode';
import { MODEL_JSON, WEIGHTS_BIN } from './format';

export interface SaveOptions {
  rename?: ReplaceOptions['rename'];
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
    { replaceable: [MODEL_JSON, WEIGHTS_BIN], rename: options.rename },
  );
}
