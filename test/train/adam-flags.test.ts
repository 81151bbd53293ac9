// `train --beta1 --beta2 --epsilon`: the flags replace the task's Adam settings one by one, reach the optimizer and
// the saved metadata, and leave the configuration exactly as it was when absent.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { trainedMetadata } from '../../src/api/metadata';
import { disposeParams } from '../../src/engine/params';
import { OptionError } from '../../src/errors';
import { defaultConfig, defaultTaskConfig, resolveConfig, TrainConfig } from '../../src/train/config';
import { ADDER_ADAM, STANDARD_ADAM } from '../../src/train/optimizers';
import { parseCli } from '../support/parse';
import { trainAdder } from '../support/training';

async function configOf(argv: string): Promise<TrainConfig> {
  const { args, usage } = await parseCli([...argv.split(' '), '--out', path.resolve('unused-model-dir')]);
  expect(usage, argv).to.equal(undefined);
  return args!.config as TrainConfig;
}

describe('train --beta1 --beta2 --epsilon', () => {
  before(() => initBackend());

  it('replace the given settings of the task\'s Adam and keep the others', async () => {
    expect((await configOf('train --beta1 0.9')).adam).to.deep.equal({ ...ADDER_ADAM, beta1: 0.9 });
    expect((await configOf('train --task echo --beta2 0.999 --epsilon 1e-8')).adam).to.deep.equal({ ...ADDER_ADAM, beta2: 0.999, epsilon: 1e-8 });
    expect((await configOf('train --task adding-problem --beta1 0.7 --beta2 0.99')).adam).to.deep.equal({ ...STANDARD_ADAM, beta1: 0.7, beta2: 0.99 });
  });

  it('change nothing when absent', async () => {
    expect(await configOf('train')).to.deep.equal({ ...defaultConfig(8) });
    expect(await configOf('train --task adding-problem')).to.deep.equal({ ...defaultTaskConfig('adding-problem') });
  });

  it('reach the optimizer and the metadata of the trained adder', async () => {
    const before = tf.memory().numTensors;
    const run = async (argv: string) => trainAdder({ ...(await configOf(argv)), maxSamples: 64 * 20 });
    const plain = await run('train --bits 2 --seed 3');
    const set = await run('train --bits 2 --seed 3 --beta1 0.5 --epsilon 1e-6');
    try {
      expect(trainedMetadata(plain, 'cpu', '0')).to.not.have.property('adam');
      expect(trainedMetadata(set, 'cpu', '0').adam).to.deep.equal({ ...ADDER_ADAM, beta1: 0.5, epsilon: 1e-6 });
      // Same seed, same pairs: only the optimizer's settings can move the weights apart.
      const [a, b] = [plain, set].map((r) => Array.from(r.params.Wx.dataSync()));
      expect(a, 'weights trained with β1 0.5 against 0.7').to.not.deep.equal(b);
    } finally {
      disposeParams(plain.params);
      disposeParams(set.params);
    }
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
  });

  it('are checked for library callers too, one by one, and named as the API names them', () => {
    expect(() => resolveConfig({ bits: 4, adam: { beta2: 1 } })).to.throw(OptionError, /^beta2 must be between 0 and 1 \(both excluded\), got 1$/);
    expect(() => resolveConfig({ bits: 4, adam: { epsilon: 0 } })).to.throw(OptionError, /^epsilon must be a number greater than 0, got 0$/);
    expect(() => resolveConfig({ optimizer: 'sgd', adam: { beta1: 0.9 } })).to.throw(OptionError, /^beta1 belongs to optimizer adam, not sgd$/);
    expect(resolveConfig({ bits: 4, adam: STANDARD_ADAM }).adam).to.deep.equal(STANDARD_ADAM);
    expect(resolveConfig({ task: 'adding-problem', adam: { beta1: 0.5 } }).adam).to.deep.equal({ ...STANDARD_ADAM, beta1: 0.5 });
  });
});
