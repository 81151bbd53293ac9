import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { encodePairs, stepsFor } from '../../src/data/bits';
import { exhaustivePairs } from '../../src/data/sample';
import { CELL_ENGINES } from '../../src/engine/cells';
import { UserError } from '../../src/errors';
import { predictProbabilities } from '../../src/eval/evaluate';
import { loadModel, saveModel } from '../../src/io';
import { replaceDirectory } from '../../src/io/atomic';
import { CELLS, disposeParams, initParams, NetConfig, paramNames, Params } from '../../src/engine/params';
import { fixtureMetadata, saveFixture, snapshot, tempDir } from '../support/adders';

/** A separate program on plain @tensorflow/tfjs: test/support/plain-tfjs-predict.ts. */
const PLAIN_TFJS_PREDICT = path.join(__dirname, '..', 'support', 'plain-tfjs-predict.js');

async function expectRejected(promise: Promise<unknown>, message: string | RegExp): Promise<Error> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a rejection').to.be.instanceOf(Error);
  const text = (caught as Error).message;
  if (typeof message === 'string') expect(text).to.equal(message);
  else expect(text).to.match(message);
  return caught as Error;
}

function sameValues(a: Params, b: Params, config: NetConfig): void {
  for (const name of paramNames(config)) {
    expect(a[name]!.shape, name).to.deep.equal(b[name]!.shape);
    expect(Array.from(a[name]!.dataSync()), name).to.deep.equal(Array.from(b[name]!.dataSync()));
  }
}

describe('io: saving and loading model directories', () => {
  let root: string;
  before(async () => {
    await initBackend();
    root = await tempDir('io');
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const configs: NetConfig[] = [
    { cell: 'elman', hidden: 1, bias: true },
    { cell: 'elman', hidden: 4, bias: false },
    { cell: 'elman', hidden: 16, bias: true },
    { cell: 'lstm', hidden: 3, bias: true },
    { cell: 'lstm', hidden: 2, bias: false },
    { cell: 'gru', hidden: 3, bias: true },
    { cell: 'gru', hidden: 2, bias: false },
  ];
  for (const config of configs) {
    it(`round-trips ${config.cell}, H = ${config.hidden}, bias ${config.bias}: same weights, metadata and predictions`, async () => {
      const before = tf.memory().numTensors;
      const dir = path.join(root, `round-${config.cell}-${config.hidden}-${config.bias}`);
      const params = initParams(config, 3);
      const metadata = fixtureMetadata(config, 4);
      await saveModel(dir, params, metadata);
      const loaded = await loadModel(dir);
      expect(loaded.config).to.deep.equal({ ...config, inputs: 2 });
      expect(loaded.metadata).to.deep.equal(metadata);
      sameValues(loaded.params, params, config);
      const pairs = exhaustivePairs(4);
      expect(Array.from(predictProbabilities(loaded.params, pairs, 5))).to.deep.equal(
        Array.from(predictProbabilities(params, pairs, 5)),
      );
      disposeParams(loaded.params);
      disposeParams(params);
      expect(tf.memory().numTensors).to.equal(before);
    });
  }

  it('writes model.json as tfjs-node file:// does: its keys in its order, one group of weights in weights.bin', async () => {
    const dir = path.join(root, 'layout');
    const params = initParams({ hidden: 2, bias: true }, 9);
    await saveModel(dir, params, fixtureMetadata({ hidden: 2, bias: true }));
    expect((await fs.readdir(dir)).sort()).to.deep.equal(['model.json', 'weights.bin']);
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(Object.keys(json)).to.deep.equal([
      'modelTopology', 'weightsManifest', 'format', 'generatedBy', 'convertedBy', 'userDefinedMetadata',
    ]);
    expect(json.format).to.equal('layers-model');
    expect(json.generatedBy).to.equal(`TensorFlow.js tfjs-layers v${tfl.version_layers}`);
    expect(json.convertedBy).to.equal(null);
    expect(json.weightsManifest).to.deep.equal([
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'rnn/kernel', shape: [2, 2], dtype: 'float32' },
          { name: 'rnn/recurrent_kernel', shape: [2, 2], dtype: 'float32' },
          { name: 'rnn/bias', shape: [2], dtype: 'float32' },
          { name: 'readout/kernel', shape: [2, 1], dtype: 'float32' },
          { name: 'readout/bias', shape: [1], dtype: 'float32' },
        ],
      },
    ]);
    expect(json.modelTopology.class_name).to.equal('Sequential');
    // weights.bin: the float32 values of Wx, Ws, bs, Wy, by back to back, little-endian as tfjs writes them.
    const bytes = await fs.readFile(path.join(dir, 'weights.bin'));
    const expected = Buffer.concat(paramNames({ hidden: 2, bias: true }).map((n) => Buffer.from(params[n]!.dataSync().buffer)));
    expect(bytes.equals(expected)).to.equal(true);
    disposeParams(params);
  });

  for (const cell of CELLS) {
    it(`loads a ${cell} model in plain tfjs through tf.loadLayersModel(tf.io.fromMemory(...)) and predicts as before saving`, async () => {
      const dir = path.join(root, `plain-${cell}`);
      const params = initParams({ cell, hidden: 6, bias: true }, 21);
      await saveModel(dir, params, fixtureMetadata({ cell, hidden: 6, bias: true }));
      const enc = encodePairs([200, 13, 255], [55, 250, 255], stepsFor(8));
      const x = tf.tensor3d(enc.x, [enc.batch, enc.steps, 2]);
      const original = tf.tidy(() => CELL_ENGINES[cell].forward(params, x).yhat.dataSync());
      const run = spawnSync(process.execPath, [PLAIN_TFJS_PREDICT, dir, JSON.stringify(x.arraySync())], { encoding: 'utf8' });
      x.dispose();
      disposeParams(params);
      expect(run.stderr).to.equal('');
      const loaded: number[] = JSON.parse(run.stdout).probabilities;
      expect(loaded).to.have.length(original.length);
      const diff = Math.max(...loaded.map((v, i) => Math.abs(v - original[i])));
      expect(diff, `max |plain tfjs − engine| = ${diff}`).to.be.at.most(1e-6);
    });
  }

  it('writes the same bytes as tfjs-node file:// where tfjs-node is installed', async function () {
    let installed = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      installed = false;
    }
    if (!installed) this.skip();
    const { buildModel, paramsToModel } = await import('../../src/io/model');
    require('@tensorflow/tfjs-node');
    const params = initParams({ hidden: 5, bias: true }, 2);
    const metadata = fixtureMetadata({ hidden: 5, bias: true });
    await saveModel(path.join(root, 'ours'), params, metadata);
    const model = buildModel({ hidden: 5, bias: true });
    paramsToModel(params, model);
    model.setUserDefinedMetadata({ ...metadata });
    await model.save(`file://${path.join(root, 'node')}`);
    for (const file of ['model.json', 'weights.bin']) {
      const [ours, node] = await Promise.all([fs.readFile(path.join(root, 'ours', file)), fs.readFile(path.join(root, 'node', file))]);
      expect(ours.equals(node), file).to.equal(true);
    }
    model.dispose();
    disposeParams(params);
  });

  it('replaces an existing model and leaves no temporary directory behind', async () => {
    const parent = path.join(root, 'replace');
    const dir = path.join(parent, 'model');
    const first = initParams({ hidden: 3, bias: true }, 1);
    const second = initParams({ hidden: 5, bias: false }, 2);
    await saveFixture(dir, first);
    await saveFixture(dir, second);
    const loaded = await loadModel(dir);
    sameValues(loaded.params, second, { hidden: 5, bias: false });
    expect(await fs.readdir(parent)).to.deep.equal(['model']);
    [first, second, loaded.params].forEach(disposeParams);
  });

  it('keeps the old model and leaves nothing behind when a save fails midway', async () => {
    const parent = path.join(root, 'midway');
    const dir = path.join(parent, 'model');
    const params = initParams({ hidden: 3, bias: true }, 1);
    await saveFixture(dir, params);
    const old = await snapshot(dir);
    // The weights are never written: fill fails after model.json.
    await expectRejected(
      replaceDirectory(
        dir,
        async (fresh) => {
          await fs.writeFile(path.join(fresh, 'model.json'), '{"half": true}');
          throw new Error('disk full');
        },
        { replaceable: ['model.json', 'weights.bin'] },
      ),
      'disk full',
    );
    expect(await snapshot(dir)).to.deep.equal(old);
    expect(await fs.readdir(parent)).to.deep.equal(['model']);
    disposeParams(params);
  });

  it('puts the old model back when the new one cannot be renamed into place', async () => {
    const parent = path.join(root, 'swap');
    const dir = path.join(parent, 'model');
    const params = initParams({ hidden: 3, bias: true }, 1);
    await saveFixture(dir, params);
    const old = await snapshot(dir);
    const renames: string[] = [];
    const rename = async (from: string, to: string) => {
      renames.push(`${path.basename(from)} -> ${path.basename(to)}`);
      if (path.basename(from).includes('.saving-')) throw new Error('EIO: rename failed');
      await fs.rename(from, to);
    };
    const other = initParams({ hidden: 4, bias: true }, 2);
    await expectRejected(saveModel(dir, other, fixtureMetadata({ hidden: 4, bias: true }), { rename }), 'EIO: rename failed');
    // Old model aside, new one refused, old one back.
    expect(renames.map((r) => r.replace(/-\d+-[0-9a-f]{8}/g, ''))).to.deep.equal([
      'model -> model.previous', 'model.saving -> model', 'model.previous -> model',
    ]);
    expect(await snapshot(dir)).to.deep.equal(old);
    expect(await fs.readdir(parent)).to.deep.equal(['model']);
    [params, other].forEach(disposeParams);
  });

  it('creates nothing when a first save fails', async () => {
    const parent = path.join(root, 'first');
    await fs.mkdir(parent);
    await expectRejected(
      replaceDirectory(path.join(parent, 'model'), async () => Promise.reject(new Error('boom')), {
        replaceable: ['model.json', 'weights.bin'],
      }),
      'boom',
    );
    expect(await fs.readdir(parent)).to.deep.equal([]);
  });

  it('refuses to replace a directory that holds anything but a model, or a file', async () => {
    const dir = path.join(root, 'project');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'notes.txt'), 'keep me');
    await fs.writeFile(path.join(dir, 'model.json'), '{}');
    const params = initParams({ hidden: 2, bias: true }, 1);
    const error = await expectRejected(
      saveModel(dir, params, fixtureMetadata({ hidden: 2, bias: true })),
      `refusing to replace ${dir}: it holds notes.txt, which is not part of a saved model`,
    );
    expect(error).to.be.instanceOf(UserError);
    expect(await fs.readFile(path.join(dir, 'notes.txt'), 'utf8')).to.equal('keep me');
    const file = path.join(root, 'a-file');
    await fs.writeFile(file, 'x');
    await expectRejected(
      saveModel(file, params, fixtureMetadata({ hidden: 2, bias: true })),
      `cannot save to ${file}: it exists and is not a directory`,
    );
    expect(await fs.readFile(file, 'utf8')).to.equal('x');
    disposeParams(params);
  });

  it('refuses metadata that does not describe the parameters, before writing anything', async () => {
    const dir = path.join(root, 'bad-metadata');
    const params = initParams({ hidden: 2, bias: true }, 1);
    await expectRejected(
      saveModel(dir, params, { ...fixtureMetadata({ hidden: 2, bias: true }), hidden: 3 }),
      'saveModel: the metadata does not fit the parameters: userDefinedMetadata.hidden is 3 but the weights have H = 2',
    );
    await expectRejected(fs.stat(dir), /ENOENT/);
    disposeParams(params);
  });
});
