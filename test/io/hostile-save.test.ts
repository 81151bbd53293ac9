// Saves into a directory whose old files cannot be removed (one the user may not write into): refused in one
// line before any work, the old model untouched, and once the directory is writable the next save works. The
// refusal needs a user that permissions bind: the CLI runs as uid 65534 (setpriv) where the tests run as root.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { loadModel } from '../../src/io';
import { exactAdderParams, saveFixture, snapshot, tempDir } from '../support/adders';
import { expectOneLineError } from '../support/cli';

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

describe('hostile input: saves whose old copy cannot be removed', function () {
  this.timeout(120_000);
  let root: string;

  before(async function () {
    const probe = spawnSync('setpriv', [...NOBODY, 'true']);
    if (process.getuid?.() !== 0 || probe.status !== 0) this.skip();
    await initBackend();
    root = await tempDir('hostile-save');
  });
  after(async () => {
    if (root !== undefined) await fs.rm(root, { recursive: true, force: true });
  });

  it('refuses at once in one line, leaves the old model whole, and the next save works', async () => {
    await fs.chmod(root, 0o755);
    const parent = path.join(root, 'parent');
    await fs.mkdir(parent);
    const target = path.join(parent, 'model');
    const params = exactAdderParams();
    await saveFixture(target, params);
    await fs.chown(parent, 65534, 65534);
    await fs.chown(target, 65534, 65534);
    await fs.chmod(target, 0o555);
    const before = await snapshot(target);
    const run = spawnSync('setpriv', [...NOBODY, process.execPath, CLI_MAIN, 'train', '--bits', '2', '--out', target, '--force'], {
      encoding: 'utf8',
    });
    expectOneLineError(
      { status: run.status, stdout: run.stdout, stderr: run.stderr },
      `cannot replace ${target}: EACCES (the previous model's files could not be removed from it; make it writable)`,
      1,
    );
    expect(await snapshot(target)).to.deep.equal(before);
    expect((await fs.readdir(parent)).sort()).to.deep.equal(['model']);
    await fs.chmod(target, 0o755);
    await saveFixture(target, params);
    disposeParams(params);
    disposeParams((await loadModel(target)).params);
  });
});
