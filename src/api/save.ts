// A trained network on disk: its metadata (metadata.ts) with this package's version, saved atomically by src/io.
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors';
import { SaveLock, saveModel as saveModelDirectory } from '../io';
import { TrainResult } from '../train/train';
import { trainedMetadata } from './metadata';
import { checkOptionsObject, checkPath } from '../data/arguments';
import { checkAdder } from '../engine/param-arguments';

let version: string | undefined;

/** rnn-adder's version, from the package.json above this file (in src/ or in dist/src/). */
function packageVersion(): string {
  for (let dir = __dirname; version === undefined; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === 'rnn-adder') version = String(pkg.version);
    }
    if (dir === path.dirname(dir)) version = 'unknown';
  }
  return version;
}

/**
 * Saves a trained network to `dir` (model.json + weights.bin in the standard tfjs format, atomically: the previous
 * model stays whole until the new one is in place), its task and run in the metadata. One that is not solved
 * (an adder not exact) is refused and nothing is written. `lock` is dir taken beforehand with
 * lockModelDirectory (so that a long run is refused at once when it could not save); without it the save takes
 * dir for itself, and refuses it while another process saves there.
 * @example
 *   await saveModel('models/my-adder-8', await train({ bits: 8 }));
 */
export async function saveModel(dir: string, trained: TrainResult, options: { lock?: SaveLock } = {}): Promise<void> {
  checkPath(dir, 'dir');
  checkAdder(trained, 'trained');
  checkOptionsObject(options, 'options');
  if (!trained.solved) {
    const what = trained.task.task === 'add' ? 'the adder is not exact' : `the ${trained.task.task} task is not solved`;
    throw new UserError(`${what}: not saving it to ${dir}`);
  }
  await saveModelDirectory(dir, trained.params, trainedMetadata(trained, tf.getBackend(), packageVersion()), { lock: options.lock });
}
