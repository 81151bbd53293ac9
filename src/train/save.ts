// A trained network on disk: its metadata (metadata.ts) with this package's version, and the atomic save of src/io.
import * as fs from 'fs';
import * as path from 'path';
import { SaveLock, saveModel } from '../io';
import { TrainResult } from './adder';
import { LongLagResult } from './long-lag';
import { longLagMetadata, trainedMetadata } from './metadata';

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

/** Saves an exact adder to dir (atomically); an adder that is not exact is refused and nothing is written. */
export async function saveTrained(dir: string, result: TrainResult, backend: string, lock?: SaveLock): Promise<void> {
  if (!result.exact) throw new Error(`saveTrained: the adder is not exact (${result.accuracy.accuracy}), not saving`);
  await saveModel(dir, result.params, trainedMetadata(result, backend, packageVersion()), { lock });
}

/** Saves a solved echo or adding-problem network to dir (atomically); an unsolved one is refused. */
export async function saveLongLag(dir: string, result: LongLagResult, backend: string, lock?: SaveLock): Promise<void> {
  if (!result.solved) throw new Error(`saveLongLag: the ${result.task.task} task is not solved, not saving`);
  await saveModel(dir, result.params, longLagMetadata(result, backend, packageVersion()), { lock });
}
