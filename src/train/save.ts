// A trained adder on disk: its metadata (metadata.ts) with this package's version, and the atomic save of src/io.
import * as fs from 'fs';
import * as path from 'path';
import { SaveLock, saveModel } from '../io';
import { TrainResult } from './loop';
import { trainedMetadata } from './metadata';

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
