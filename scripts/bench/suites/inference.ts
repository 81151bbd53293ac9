// Forward passes only, on batches of random 8-bit pairs: the tfjs LayersModel mirror against the engine.
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, forward, initParams, inputTensor, toLayersModel } from 'rnn-adder';
import { log, timeInterleaved, Timing } from '../harness';
import { Suite } from '../suite';
import { NET, randomBatch } from '../training-step';

const PAIRS = 1024;

export const inference: Suite = {
  name: 'inference',
  describe: 'forward-only throughput: the LayersModel mirror against the engine',
  run() {
    log('\nforward-only inference:');
    const params = initParams(NET, 1);
    const model = toLayersModel({ params });
    const x = inputTensor(randomBatch(8, PAIRS, 2));
    const [layers, engine] = timeInterleaved(
      [() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()), () => tf.tidy(() => forward(params, x).yhat.dataSync())],
      10,
      7,
    );
    const rate = (t: Timing) => ({ pairsPerSec: Math.round((1000 * PAIRS) / t.best) });
    const result = { pairs: PAIRS, bits: 8, layersModel: rate(layers), engine: rate(engine) };
    log(
      `  LayersModel.predict ${result.layersModel.pairsPerSec.toLocaleString('en')} pairs/s, ` +
        `engine forward ${result.engine.pairsPerSec.toLocaleString('en')} pairs/s (batches of ${PAIRS})`,
    );
    x.dispose();
    model.dispose();
    disposeParams(params);
    return { inference: result };
  },
};
