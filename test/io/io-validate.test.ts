import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { UserError } from '../../src/errors';
import { loadModel } from '../../src/io';
import { CellName, disposeParams, initParams } from '../../src/engine/params';
import { editModelJSON, saveFixture, snapshot, tempDir } from '../support/adders';

/**
 * A fresh H = 4 model with biases (Elman: 33 floats, 132 bytes of weights; or of `cell`) in its own directory,
 * then `corrupt` applied to it.
 */
type Corruption = (dir: string) => Promise<void>;

interface Case {
  what: string;
  cell?: CellName;
  corrupt: Corruption;
  /** The message, with DIR standing for the model directory. */
  message: string | RegExp;
}

const truncate = (bytes: number): Corruption => async (dir) => {
  const file = path.join(dir, 'weights.bin');
  await fs.writeFile(file, (await fs.readFile(file)).subarray(0, bytes));
};

const cases: Case[] = [
  { what: 'a missing directory', corrupt: (dir) => fs.rm(dir, { recursive: true }), message: 'no model at DIR: the directory does not exist' },
  {
    what: 'a file instead of a directory',
    corrupt: async (dir) => {
      await fs.rm(dir, { recursive: true });
      await fs.writeFile(dir, 'x');
    },
    message: 'DIR is not a model directory: it is a file',
  },
  {
    what: 'an empty directory',
    corrupt: async (dir) => {
      await fs.rm(dir, { recursive: true });
      await fs.mkdir(dir);
    },
    message: 'no model in DIR: the directory is empty',
  },
  { what: 'no model.json', corrupt: (dir) => fs.rm(path.join(dir, 'model.json')), message: 'DIR/model.json is missing' },
  {
    what: 'garbage in model.json',
    corrupt: (dir) => fs.writeFile(path.join(dir, 'model.json'), 'not json {'),
    message: 'DIR/model.json is not valid JSON (Unexpected token \'o\', "not json {" is not valid JSON)',
  },
  {
    what: 'a JSON array',
    corrupt: (dir) => fs.writeFile(path.join(dir, 'model.json'), '[1, 2]'),
    message: 'DIR/model.json is not a tfjs model: expected a JSON object',
  },
  {
    what: 'a graph model',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.format = 'graph-model')),
    message: 'DIR/model.json is not a tfjs layers model: format is "graph-model", expected "layers-model"',
  },
  {
    what: 'no topology',
    corrupt: (dir) => editModelJSON(dir, (j) => delete j.modelTopology),
    message: 'DIR/model.json is not a tfjs layers model: it has no modelTopology',
  },
  {
    what: 'a malformed manifest',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest = [{ paths: 'weights.bin', weights: [] }])),
    message: 'DIR/model.json: weightsManifest must be a list of {paths: [file…], weights: [{name, shape, dtype}…]}',
  },
  {
    what: 'a manifest path climbing out with ../',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].paths = ['../weights.bin'])),
    message: 'DIR/model.json: weight file path "../weights.bin" is outside the model directory',
  },
  {
    what: 'a manifest path hidden behind a subdirectory',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].paths = ['sub/../../x/weights.bin'])),
    message: 'DIR/model.json: weight file path "sub/../../x/weights.bin" is outside the model directory',
  },
  {
    what: 'an absolute manifest path',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].paths = ['/etc/passwd'])),
    message: 'DIR/model.json: weight file path "/etc/passwd" is outside the model directory',
  },
  { what: 'no weights.bin', corrupt: (dir) => fs.rm(path.join(dir, 'weights.bin')), message: 'DIR/weights.bin is missing' },
  { what: 'truncated weights', corrupt: truncate(120), message: 'DIR/weights.bin holds 120 bytes, but model.json declares 132' },
  {
    what: 'trailing bytes in the weights',
    corrupt: (dir) => fs.appendFile(path.join(dir, 'weights.bin'), Buffer.alloc(4)),
    message: 'DIR/weights.bin holds 136 bytes, but model.json declares 132',
  },
  {
    what: 'another network (no rnn/kernel)',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].weights[0].name = 'dense/kernel')),
    message:
      'DIR/model.json is not an rnn-adder model: it has no rnn/kernel weight ' +
      '(weights: dense/kernel, rnn/recurrent_kernel, rnn/bias, readout/kernel, readout/bias)',
  },
  {
    what: 'an input kernel of the wrong shape',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].weights[0].shape = [4, 2])),
    message: 'DIR/model.json: weight rnn/kernel has shape [4, 2], expected [I, G·H] with I 2 or 1',
  },
  {
    what: 'a recurrent kernel that does not match H',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].weights[1].shape = [2, 8])),
    message:
      'DIR/model.json: weight rnn/recurrent_kernel has shape [2, 8], which matches no cell with rnn/kernel [2, 4]: ' +
      'expected [4, 4] (elman, H = 4) or [1, 4] (lstm, H = 1)',
  },
  {
    what: 'a gate count of no cell (G = 2: kernel [2, 4], recurrent kernel [2, 4])',
    corrupt: async (dir) => {
      await editModelJSON(dir, (j) => (j.weightsManifest[0].weights[1].shape = [2, 4]));
      await truncate(132 - 32)(dir);
    },
    message:
      'DIR/model.json: weight rnn/recurrent_kernel has shape [2, 4], which matches no cell with rnn/kernel [2, 4]: ' +
      'expected [4, 4] (elman, H = 4) or [1, 4] (lstm, H = 1)',
  },
  {
    what: 'LSTM weights in a SimpleRNN layer',
    cell: 'lstm',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].class_name = 'SimpleRNN')),
    message: "DIR/model.json: the model's layers are rnn (SimpleRNN), readout (Dense), expected rnn (LSTM), readout (Dense)",
  },
  {
    what: "an LSTM with tfjs' default hard-sigmoid gates",
    cell: 'lstm',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.recurrent_activation = 'hardSigmoid')),
    message: 'DIR/model.json: layer rnn has recurrent_activation "hardSigmoid", expected "sigmoid"',
  },
  {
    what: 'a GRU with reset_after',
    cell: 'gru',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.reset_after = true)),
    message: 'DIR/model.json: layer rnn has reset_after true, expected false',
  },
  {
    what: 'GRU weights whose metadata names another cell',
    cell: 'gru',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.cell = 'lstm')),
    message: 'DIR/model.json: userDefinedMetadata.cell is "lstm" but the weights are those of the gru cell',
  },
  {
    what: 'LSTM weights whose metadata names no cell (read as Elman)',
    cell: 'lstm',
    corrupt: (dir) => editModelJSON(dir, (j) => delete j.userDefinedMetadata.cell),
    message: 'DIR/model.json: userDefinedMetadata.cell is undefined but the weights are those of the lstm cell',
  },
  {
    what: 'a bias in one layer only',
    corrupt: async (dir) => {
      await editModelJSON(dir, (j) => j.weightsManifest[0].weights.pop());
      await truncate(128)(dir);
    },
    message: 'DIR/model.json: biases must be in both layers or in neither, but it has rnn/bias and no readout/bias',
  },
  {
    what: 'int32 weights',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].weights[3].dtype = 'int32')),
    message: 'DIR/model.json: weight readout/kernel is int32, expected float32',
  },
  {
    what: 'a weight named twice',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.weightsManifest[0].weights[4].name = 'rnn/bias')),
    message:
      'DIR/model.json names a weight twice (weights: rnn/kernel, rnn/recurrent_kernel, rnn/bias, readout/kernel, rnn/bias)',
  },
  {
    what: 'no metadata',
    corrupt: (dir) => editModelJSON(dir, (j) => delete j.userDefinedMetadata),
    message: 'DIR/model.json: has no userDefinedMetadata object (rnn-adder saves bits, hidden, loss, bias there)',
  },
  {
    what: 'metadata of another width',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.hidden = 16)),
    message: 'DIR/model.json: userDefinedMetadata.hidden is 16 but the weights have H = 4',
  },
  {
    what: 'metadata without bits',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.bits = 0)),
    message: 'DIR/model.json: userDefinedMetadata.bits must be an integer from 1 to 64, got 0',
  },
  {
    what: 'an unknown init (gradflow would hand it to initParams)',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.init = 'orthogonal')),
    message: 'DIR/model.json: userDefinedMetadata.init must be one of uniform, glorot, chrono, got "orthogonal"',
  },
  {
    what: 'a negative seed',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.seed = -1)),
    message: 'DIR/model.json: userDefinedMetadata.seed must be an integer ≥ 0, got -1',
  },
  {
    what: 'an unknown optimizer',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.optimizer = 'rmsprop')),
    message: 'DIR/model.json: userDefinedMetadata.optimizer must be one of sgd, momentum, adam, got "rmsprop"',
  },
  {
    what: 'a learning rate that is not a number',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.learningRate = '0.1')),
    message: 'DIR/model.json: userDefinedMetadata.learningRate must be a number greater than 0, got "0.1"',
  },
  {
    what: 'a save date that is not a date',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.savedAt = 'yesterday')),
    message: 'DIR/model.json: userDefinedMetadata.savedAt must be an ISO date, got "yesterday"',
  },
  {
    what: 'an accuracy above 1',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.userDefinedMetadata.accuracy.value = 2)),
    message:
      'DIR/model.json: userDefinedMetadata.accuracy must be { value: a fraction from 0 to 1, method: exhaustive or sampled, ' +
      'count: an integer ≥ 0 }, got {"value":2,"method":"exhaustive","count":65536}',
  },
  {
    what: 'a tanh recurrence',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.activation = 'tanh')),
    message: 'DIR/model.json: layer rnn has activation "tanh", expected "sigmoid"',
  },
  {
    what: 'a last-step-only recurrence',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.return_sequences = false)),
    message: 'DIR/model.json: layer rnn has return_sequences false, expected true',
  },
  {
    what: 'a fixed sequence length',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.batch_input_shape = [null, 9, 2])),
    message: "DIR/model.json: the model's input shape is [null,9,2], expected [null,null,2] (batch, any T, 2 inputs a step)",
  },
  {
    what: 'renamed layers',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[1].config.name = 'out')),
    message: "DIR/model.json: the model's layers are rnn (SimpleRNN), out (Dense), expected rnn (SimpleRNN), readout (Dense)",
  },
  {
    what: 'an unknown layer class',
    corrupt: (dir) => editModelJSON(dir, (j) => (j.modelTopology.config.layers[1].class_name = 'Frobnicate')),
    message: "DIR/model.json: the model's layers are rnn (SimpleRNN), readout (Frobnicate), expected rnn (SimpleRNN), readout (Dense)",
  },
  {
    what: 'a topology tfjs cannot build',
    corrupt: (dir) =>
      editModelJSON(dir, (j) => (j.modelTopology.config.layers[0].config.kernel_initializer = { class_name: 'Frob', config: {} })),
    message: /^DIR\/model\.json: tfjs cannot build this model \(Unknown initializer: Frob\./,
  },
];

describe('io: loading refuses a broken model directory, naming the file and the fault', () => {
  let root: string;
  before(async () => {
    await initBackend();
    root = await tempDir('validate');
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  cases.forEach((c, i) => {
    it(`refuses ${c.what}`, async () => {
      const dir = path.join(root, `case-${i}`);
      const params = initParams({ cell: c.cell, hidden: 4, bias: true }, i);
      await saveFixture(dir, params);
      disposeParams(params);
      await c.corrupt(dir);
      const before = tf.memory().numTensors;
      const exists = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
      const files = exists ? await snapshot(dir) : undefined;
      let caught: unknown;
      try {
        await loadModel(dir);
      } catch (error) {
        caught = error;
      }
      expect(caught, 'loadModel should have failed').to.be.instanceOf(UserError);
      const message = (caught as Error).message.split(dir).join('DIR');
      if (typeof c.message === 'string') expect(message).to.equal(c.message);
      else expect(message).to.match(c.message);
      expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
      if (files) expect(await snapshot(dir), 'the directory changed').to.deep.equal(files);
    });
  });
});
