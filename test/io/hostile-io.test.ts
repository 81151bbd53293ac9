// Hostile and careless input below the CLI: weight files that are not plain files, numbers in model.json that
// would run the commands past their limits, saves under pressure (kills, concurrent writers, an --out in the
// way), and output that cannot be written. Each class is checked in-process where the process does not matter,
// and on the real binary once: one line on stderr, the right exit, in seconds, every model left as it was.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { initBackend } from '../../src/backend';
import { disposeParams, initParams } from '../../src/engine/params';
import { UserError } from '../../src/errors';
import { loadModel, lockModelDirectory, saveModel } from '../../src/io';
import { exactAdderParams, editModelJSON, fixtureMetadata, saveFixture, snapshot, tempDir } from '../support/adders';
import { expectOneLineError, runCli, runCliAll } from '../support/cli';

/** A command that must end within this, whatever it was given (a hang is what some of these cases used to do). */
const PROMPT_MS = 10_000;

async function loadError(dir: string): Promise<string> {
  const before = tf.memory().numTensors;
  let caught: unknown;
  try {
    disposeParams((await loadModel(dir)).params);
  } catch (error) {
    caught = error;
  }
  expect(caught, `loading ${dir} should fail`).to.be.instanceOf(UserError);
  expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  return (caught as Error).message.split(dir).join('DIR');
}

/** The pid of a process that has ended: what a killed save leaves in its siblings' names. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

/** Runs `rnn-adder ...args | head -c 10` and gives the rnn-adder side's exit status and stderr. */
function runIntoClosedPipe(args: string[]): Promise<{ status: number; stderr: string }> {
  const quoted = [process.execPath, CLI_MAIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${quoted} 2>"$ERR" | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`], {
      env: { ...process.env, ERR: path.join(root, 'pipe-stderr') },
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', async () =>
      resolve({ status: Number(stdout.trim()), stderr: await fs.readFile(path.join(root, 'pipe-stderr'), 'utf8') }),
    );
  });
}

let root: string;

describe('hostile input: files, numbers, saves and output', function () {
  this.timeout(60_000);
  let model: string;

  before(async () => {
    await initBackend();
    root = await tempDir('hostile-io');
    const params = exactAdderParams();
    model = await saveFixture(path.join(root, 'exact'), params);
    disposeParams(params);
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  /** A copy of the exact adder in its own directory, then `change` applied to it. */
  async function brokenCopy(name: string, change: (dir: string) => Promise<void>): Promise<string> {
    const dir = path.join(root, name);
    await fs.cp(model, dir, { recursive: true });
    await change(dir);
    return dir;
  }
  const replaceWeights = (how: (file: string) => Promise<void>) => async (dir: string) => {
    const file = path.join(dir, 'weights.bin');
    await fs.rm(file);
    await how(file);
  };

  describe('weight files that are not plain files', () => {
    const cases: { what: string; change: (dir: string) => Promise<void>; message: string }[] = [
      {
        what: 'a link to a device',
        change: replaceWeights((file) => fs.symlink('/dev/zero', file)),
        message: 'DIR/weights.bin is a link to a file outside the model directory',
      },
      {
        what: 'a link to a system file, without saying anything about it',
        change: replaceWeights((file) => fs.symlink('/etc/passwd', file)),
        message: 'DIR/weights.bin is a link to a file outside the model directory',
      },
      {
        what: 'a FIFO',
        change: replaceWeights(async (file) => {
          expect(spawnSync('mkfifo', [file]).status, 'mkfifo').to.equal(0);
        }),
        message: 'DIR/weights.bin is not a regular file',
      },
      {
        what: 'a directory',
        change: replaceWeights((file) => fs.mkdir(file)),
        message: 'DIR/weights.bin is not a regular file',
      },
      {
        what: 'a huge sparse file',
        change: (dir) => fs.truncate(path.join(dir, 'weights.bin'), 2 ** 34),
        message: `DIR/weights.bin holds ${2 ** 34} bytes, but model.json declares 88`,
      },
      {
        what: 'a model.json that is a FIFO',
        change: async (dir) => {
          await fs.rm(path.join(dir, 'model.json'));
          expect(spawnSync('mkfifo', [path.join(dir, 'model.json')]).status, 'mkfifo').to.equal(0);
        },
        message: 'DIR/model.json is not a regular file',
      },
      {
        what: 'a model.json of 16 GB',
        change: (dir) => fs.truncate(path.join(dir, 'model.json'), 2 ** 34),
        message: `DIR/model.json holds ${2 ** 34} bytes, more than the 1048576 a model.json can be`,
      },
      {
        what: 'a manifest with no paths',
        change: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].paths = [])),
        message: 'DIR/model.json: weightsManifest group 1 names no weight file (its paths are [])',
      },
    ];
    cases.forEach((c, i) => {
      it(`refuses ${c.what} before reading it`, async () => {
        const dir = await brokenCopy(`files-${i}`, c.change);
        const started = Date.now();
        expect(await loadError(dir)).to.equal(c.message);
        expect(Date.now() - started, 'ms to refuse').to.be.below(PROMPT_MS);
      });
    });

    it('keeps a link that stays inside the model directory', async () => {
      const dir = await brokenCopy('inner-link', async (d) => {
        await fs.rename(path.join(d, 'weights.bin'), path.join(d, 'real.bin'));
        await fs.symlink('real.bin', path.join(d, 'weights.bin'));
      });
      const loaded = await loadModel(dir);
      expect(loaded.config).to.include({ hidden: 3, bias: true });
      disposeParams(loaded.params);
    });

    it('the binary refuses a FIFO and a link to /dev/zero at once, in one line', async () => {
      const fifo = await brokenCopy('bin-fifo', cases[2].change);
      const zero = await brokenCopy('bin-zero', cases[0].change);
      const started = Date.now();
      const [a, b] = await runCliAll([['add', '1', '2', '--model', fifo], ['eval', '--model', zero]], 2);
      expect(Date.now() - started, 'ms for both').to.be.below(PROMPT_MS);
      expectOneLineError(a, `${fifo}/weights.bin is not a regular file`, 1);
      expectOneLineError(b, `${zero}/weights.bin is a link to a file outside the model directory`, 1);
    });
  });

  describe('numbers from model.json', () => {
    const cases: { what: string; change: (dir: string) => Promise<void>; message: string }[] = [
      {
        what: 'bits of 2,000',
        change: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.bits = 2000)),
        message: 'DIR/model.json: userDefinedMetadata.bits must be an integer from 1 to 64, got 2000',
      },
      {
        what: 'bits of 10⁹',
        change: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.bits = 1e9)),
        message: 'DIR/model.json: userDefinedMetadata.bits must be an integer from 1 to 64, got 1000000000',
      },
      {
        what: 'a batch of 10⁸',
        change: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.batch = 1e8)),
        message: 'DIR/model.json: userDefinedMetadata.batch must be an integer from 1 to 4096, got 100000000',
      },
      {
        what: 'a fractional seed',
        change: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.seed = 0.5)),
        message: 'DIR/model.json: userDefinedMetadata.seed must be an integer ≥ 0, got 0.5',
      },
      {
        what: 'an unknown init',
        change: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.init = 'ones')),
        message: 'DIR/model.json: userDefinedMetadata.init must be one of uniform, glorot, chrono, got "ones"',
      },
      {
        what: 'a hidden size of 10⁶ (before reading 4 TB of weights)',
        change: (dir) =>
          editModelJSON(dir, (j) => {
            const H = 1e6;
            const shapes = [[2, H], [H, H], [H], [H, 1], [1]];
            j.weightsManifest[0].weights.forEach((w: { shape: number[] }, i: number) => (w.shape = shapes[i]));
            j.userDefinedMetadata.hidden = H;
          }),
        message: 'DIR/model.json: weight rnn/recurrent_kernel has H = 1000000, more than the 1024 hidden units rnn-adder trains',
      },
      {
        what: 'a NaN weight',
        change: async (dir) => {
          const file = path.join(dir, 'weights.bin');
          const bytes = await fs.readFile(file);
          bytes.writeFloatLE(NaN, 4 * 7); // rnn/recurrent_kernel [0, 1]: Wx holds 6 floats
          await fs.writeFile(file, bytes);
        },
        message: 'DIR/model.json: weight rnn/recurrent_kernel [3, 3] holds NaN at flat index 1; weights must be finite',
      },
      {
        what: 'an infinite weight',
        change: async (dir) => {
          const file = path.join(dir, 'weights.bin');
          const bytes = await fs.readFile(file);
          bytes.writeFloatLE(-Infinity, bytes.length - 4);
          await fs.writeFile(file, bytes);
        },
        message: 'DIR/model.json: weight readout/bias [1] holds -Infinity at flat index 0; weights must be finite',
      },
      {
        what: 'a kernel constraint tfjs would apply',
        change: (dir) =>
          editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.kernel_constraint = { class_name: 'NonNeg', config: {} })),
        message: 'DIR/model.json: layer rnn has kernel_constraint {"class_name":"NonNeg","config":{}}; rnn-adder models have none',
      },
      {
        what: 'a regularizer',
        change: (dir) =>
          editModelJSON(dir, (j) => (j.modelTopology.config.layers[1].config.bias_regularizer = { class_name: 'L1L2', config: { l1: 1, l2: 0 } })),
        message: 'DIR/model.json: layer readout has bias_regularizer {"class_name":"L1L2","config":{"l1":1,"l2":0}}; rnn-adder models have none',
      },
      {
        what: 'recurrent dropout',
        change: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.recurrent_dropout = 0.5)),
        message: 'DIR/model.json: layer rnn has recurrent_dropout 0.5; rnn-adder models have none',
      },
    ];
    cases.forEach((c, i) => {
      it(`refuses ${c.what}`, async () => {
        const dir = await brokenCopy(`numbers-${i}`, c.change);
        expect(await loadError(dir)).to.equal(c.message);
      });
    });

    it('the binary refuses bits of 2,000 and NaN weights in eval, grads and inspect, in one line each', async () => {
      const wide = await brokenCopy('bin-wide', cases[0].change);
      const nan = await brokenCopy('bin-nan', cases[6].change);
      const started = Date.now();
      const runs = await runCliAll(
        [['eval', '--model', wide], ['inspect', '--model', wide], ['grads', '--model', nan, '--pairs', '1+2', '--json']],
        2,
      );
      expect(Date.now() - started, 'ms for all three').to.be.below(2 * PROMPT_MS);
      expectOneLineError(runs[0], `${wide}/model.json: userDefinedMetadata.bits must be an integer from 1 to 64, got 2000`, 1);
      expectOneLineError(runs[1], `${wide}/model.json: userDefinedMetadata.bits must be an integer from 1 to 64, got 2000`, 1);
      expectOneLineError(runs[2], /holds NaN at flat index 1; weights must be finite$/, 1);
    });
  });

  describe('saves under pressure', () => {
    it('after a kill between the two renames, loading names the previous copy and the next save restores it first', async () => {
      const dir = path.join(root, 'interrupted');
      await fs.cp(model, dir, { recursive: true });
      const before = await snapshot(dir);
      const aside = `${dir}.previous-${deadPid()}-0badcafe`;
      await fs.rename(dir, aside);
      const run = await runCli(['add', '1', '2', '--model', dir]);
      expectOneLineError(
        run,
        `no model at ${dir}: a save was interrupted, and the previous model is at ${aside} ` +
          `(rename it back, or save to ${dir} again, which restores it first)`,
        1,
      );
      const lock = await lockModelDirectory(dir);
      await lock.release();
      expect(await snapshot(dir), 'the previous model, back in place').to.deep.equal(before);
      expect(await fs.stat(aside).then(() => true, () => false), 'the copy is gone').to.equal(false);
    });

    it('removes the temporary directories of saves whose process died, and keeps a live one\'s and one not named by a save', async () => {
      const parent = path.join(root, 'stale');
      await fs.mkdir(parent);
      const target = path.join(parent, 'model');
      const dead = `${target}.saving-${deadPid()}-00000000`;
      const live = `${target}.saving-${process.pid}-11111111`;
      const notOurs = `${target}.saving-notes`;
      await fs.mkdir(dead);
      await fs.mkdir(live);
      await fs.mkdir(notOurs);
      const params = initParams({ hidden: 2, bias: true }, 1);
      await saveModel(target, params, fixtureMetadata({ hidden: 2, bias: true }));
      disposeParams(params);
      expect((await fs.readdir(parent)).sort()).to.deep.equal(['model', path.basename(notOurs), path.basename(live)].sort());
    });

    it('a second writer is refused at once, in one line, and the model is left as it was', async () => {
      const dir = path.join(root, 'contended');
      await fs.cp(model, dir, { recursive: true });
      const before = await snapshot(dir);
      const lock = await lockModelDirectory(dir);
      try {
        const started = Date.now();
        const run = await runCli(['train', '--bits', '2', '--out', dir, '--force']);
        expect(Date.now() - started, 'ms to refuse').to.be.below(PROMPT_MS);
        expectOneLineError(
          run,
          `${dir} is being saved by another rnn-adder (pid ${process.pid}); wait for it, or remove ${dir}.lock if no such process runs`,
          1,
        );
        let caught: unknown;
        await saveModel(dir, exactAdderParams(), fixtureMetadata({ hidden: 3, bias: true })).catch((e) => (caught = e));
        expect((caught as Error).message).to.match(/is being saved by another rnn-adder/);
      } finally {
        await lock.release();
      }
      expect(await snapshot(dir)).to.deep.equal(before);
    });

    it('takes over the lock of a writer that died', async () => {
      const dir = path.join(root, 'dead-writer');
      await fs.writeFile(`${dir}.lock`, `${deadPid()}\n`);
      const lock = await lockModelDirectory(dir);
      expect(await fs.readFile(`${dir}.lock`, 'utf8')).to.equal(`${process.pid}\n`);
      await lock.release();
      expect(await fs.stat(`${dir}.lock`).then(() => true, () => false)).to.equal(false);
    });

    it('train checks --out before training: a file in the way, a symbolic link, a parent that is a file', async () => {
      const file = path.join(root, 'a-file');
      await fs.writeFile(file, 'mine');
      const link = path.join(root, 'a-link');
      await fs.symlink(model, link);
      const before = await snapshot(model);
      const started = Date.now();
      // --max-samples 10⁸: were --out checked only after training, these runs would not end in seconds.
      const slow = ['--bits', '16', '--hidden', '64', '--max-samples', '100000000', '--lr', '1e-9', '--force'];
      const runs = await runCliAll(
        [['train', ...slow, '--out', file], ['train', ...slow, '--out', link], ['train', ...slow, '--out', path.join(file, 'model')]],
        2,
      );
      expect(Date.now() - started, 'ms for all three').to.be.below(2 * PROMPT_MS);
      expectOneLineError(runs[0], `--out ${file} is a file, not a model directory`, 2);
      expectOneLineError(runs[1], `cannot save to ${link}: it is a symbolic link (name the directory itself)`, 1);
      expectOneLineError(runs[2], `cannot save to ${path.join(file, 'model')}: a part of its path is a file`, 1);
      expect(await fs.readFile(file, 'utf8')).to.equal('mine');
      expect(await snapshot(model)).to.deep.equal(before);
    });
  });

  describe('output that cannot be written', () => {
    it('a full disk is one line and exit 1', () => {
      const run = spawnSync('bash', ['-c', `'${process.execPath}' '${CLI_MAIN}' add 3 5 --model '${model}' > /dev/full`], {
        encoding: 'utf8',
      });
      expectOneLineError({ status: run.status, stdout: run.stdout, stderr: run.stderr }, 'cannot write the output: ENOSPC', 1);
    });

    it('a reader that closes the pipe early ends it quietly, exit 0', async () => {
      const wide = '9'.repeat(1000);
      const run = await runIntoClosedPipe(['add', wide, wide, '--trace', '--model', model]);
      expect(run.stderr).to.equal('');
      expect(run.status).to.equal(0);
    });
  });
});
