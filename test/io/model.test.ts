import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend';
import { encodePairs, stepsFor } from '../../src/data/bits';
import { randomPairs, seededRng } from '../../src/data/sample';
import { CELL_ENGINES } from '../../src/engine/cells';
import { buildModel, modelToParams, paramsToModel, WEIGHT_NAMES } from '../../src/io/model';
import { CELLS, configOf, disposeParams, initParams, NetConfig, paramNames } from '../../src/engine/params';

/** float32 sigmoid outputs computed in a different order (tfjs-layers' loop vs the engine's): rounding only. */
const FLOAT32_TOL = 1e-6;

function maxDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array) {
  let max = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > max) [max, at] = [d, i];
  }
  return { max, at };
}

describe('model: the LayersModel mirror', () => {
  before(async () => {
    await initBackend();
  });

  const configs: NetConfig[] = [
    { hidden: 1, bias: true },
    { hidden: 5, bias: false },
    { hidden: 16, bias: true },
    { cell: 'lstm', hidden: 1, bias: false },
    { cell: 'lstm', hidden: 4, bias: true },
    { cell: 'lstm', hidden: 16, bias: true },
    { cell: 'gru', hidden: 1, bias: true },
    { cell: 'gru', hidden: 4, bias: false },
    { cell: 'gru', hidden: 16, bias: true },
  ];

  for (const config of configs) {
    const cell = config.cell ?? 'elman';
    for (const bits of [2, 8, 16, 32]) {
      const T = stepsFor(bits);
      it(`predicts what the ${cell} engine's forward does (H = ${config.hidden}, bias ${config.bias}, T = ${T})`, () => {
        const before = tf.memory().numTensors;
        const params = initParams(config, 11 + bits);
        const model = buildModel(config);
        paramsToModel(params, model);
        const pairs = randomPairs(seededRng(bits), bits, 6);
        const enc = encodePairs(pairs.a, pairs.b, T);
        const [fromModel, fromEngine] = tf.tidy(() => {
          const x = tf.tensor3d(enc.x, [enc.batch, T, 2]);
          const predicted = model.predict(x) as tf.Tensor;
          expect(predicted.shape).to.deep.equal([enc.batch, T, 1]);
          return [predicted.dataSync(), CELL_ENGINES[cell].forward(params, x).yhat.dataSync()];
        });
        const { max, at } = maxDiff(fromModel, fromEngine);
        expect(max, `yhat: max |model − engine| = ${max.toExponential(2)} at [${Math.floor(at / T)}, ${at % T}] ` +
          `(model ${fromModel[at]}, engine ${fromEngine[at]})`).to.be.at.most(FLOAT32_TOL);
        model.dispose();
        disposeParams(params);
        expect(tf.memory().numTensors).to.equal(before);
      });
    }
  }

  it('names its weights as docs/model-format.md says, in the order Wx, Ws, bs, Wy, by', () => {
    const model = buildModel({ hidden: 4, bias: true });
    expect(model.weights.map((w) => [w.originalName, w.shape])).to.deep.equal([
      ['rnn/kernel', [2, 4]], ['rnn/recurrent_kernel', [4, 4]], ['rnn/bias', [4]],
      ['readout/kernel', [4, 1]], ['readout/bias', [1]],
    ]);
    expect(paramNames({ hidden: 4, bias: true }).map((n) => WEIGHT_NAMES[n])).to.deep.equal(model.weights.map((w) => w.originalName));
    expect(model.inputs[0].shape).to.deep.equal([null, null, 2]);
    model.dispose();
    const noBias = buildModel({ hidden: 4, bias: false });
    expect(noBias.weights.map((w) => w.originalName)).to.deep.equal(['rnn/kernel', 'rnn/recurrent_kernel', 'readout/kernel']);
    noBias.dispose();
  });

  for (const cell of CELLS) {
    it(`copies ${cell} parameters in and out exactly, and the copies outlive the model`, () => {
      const before = tf.memory().numTensors;
      const config: NetConfig = { cell, hidden: 3, bias: true };
      const params = initParams(config, 5);
      const model = buildModel(config);
      paramsToModel(params, model);
      const back = modelToParams(model);
      model.dispose();
      expect(configOf(back)).to.deep.equal({ ...config, inputs: 2 });
      for (const name of paramNames(config)) {
        expect(back[name]!.shape, name).to.deep.equal(params[name]!.shape);
        expect(Array.from(back[name]!.dataSync()), name).to.deep.equal(Array.from(params[name]!.dataSync()));
      }
      disposeParams(back);
      disposeParams(params);
      expect(tf.memory().numTensors).to.equal(before);
    });
  }

  it('builds LSTM and GRU layers with tanh and sigmoid gates (tfjs defaults to hardSigmoid), GRU with reset_after false', () => {
    for (const [cell, className, gates] of [['lstm', 'LSTM', 4], ['gru', 'GRU', 3]] as const) {
      const model = buildModel({ cell, hidden: 2, bias: true });
      const layer = model.toJSON(null, false) as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
      const rnn = layer.config.layers[0];
      expect(rnn.class_name).to.equal(className);
      expect(rnn.config).to.deep.include({ activation: 'tanh', recurrent_activation: 'sigmoid', return_sequences: true });
      if (cell === 'gru') expect(rnn.config.reset_after).to.equal(false);
      expect(model.weights.slice(0, 3).map((w) => w.shape)).to.deep.equal([[2, 2 * gates], [2, 2 * gates], [2 * gates]]);
      model.dispose();
    }
  });

  it('refuses parameters of another shape than the model', () => {
    const params = initParams({ hidden: 3, bias: false }, 5);
    const withBias = buildModel({ hidden: 3, bias: true });
    expect(() => paramsToModel(params, withBias)).to.throw(
      "the model's weights [rnn/kernel, rnn/recurrent_kernel, rnn/bias, readout/kernel, readout/bias] are not " +
        '[rnn/kernel, rnn/recurrent_kernel, readout/kernel]',
    );
    const wider = buildModel({ hidden: 4, bias: false });
    expect(() => paramsToModel(params, wider)).to.throw(/Shape mismatch/);
    withBias.dispose();
    wider.dispose();
    disposeParams(params);
  });
});
