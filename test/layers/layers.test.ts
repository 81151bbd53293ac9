// The fused tfjs layers (src/layers/) against tfjs' own SimpleRNN, LSTM and GRU holding the same weights: the same
// outputs, the same gradients of the weights and of the input through tf.grad, the same loss under model.fit; their
// config round trip, save and load, the conversions both ways, the refusals, and no leaked tensors.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import { UserError } from '../../src/errors';
import { toFusedModel, toStandardModel } from '../../src/layers/convert';
import { fusedGRU } from '../../src/layers/gru';
import { FusedLSTM, fusedLSTM } from '../../src/layers/lstm';
import { fusedSimpleRNN } from '../../src/layers/simple-rnn';

/** Outputs of the two layers (float32 both; the kernel's own exp): their largest difference. */
const FORWARD_TOLERANCE = 1e-5;
/** Gradients through the fused backward and through tf.grad of tfjs' layer: the largest difference, relative to the largest entry. */
const GRADIENT_TOLERANCE = 1e-4;
/** model.fit's loss per epoch, fused against standard, relative: float32 drift over 20 epochs. */
const FIT_TOLERANCE = 1e-3;

// The recurrent kernels start glorot-uniform here: tfjs' default, orthogonal, needs the chained ops that the
// @tensorflow/tfjs package registers and tfjs-core alone does not.
const RECURRENT_INIT = { recurrentInitializer: 'glorotUniform', biasInitializer: 'randomUniform' } as const;
/** The same, seeded: the fit comparison starts from the same weights on every run, so its drift is a fixed figure. */
const SEEDED_INIT = {
  kernelInitializer: { className: 'GlorotUniform', config: { seed: 11 } },
  recurrentInitializer: { className: 'GlorotUniform', config: { seed: 12 } },
  biasInitializer: { className: 'RandomUniform', config: { seed: 13 } },
} as const;

interface Case {
  name: string;
  fused: (args: Record<string, unknown>) => tfl.layers.Layer;
  standard: (args: Record<string, unknown>) => tfl.layers.Layer;
  args: Record<string, unknown>;
}

const cases: Case[] = [];
for (const returnSequences of [true, false])
  for (const goBackwards of [false, true])
    for (const useBias of [true, false]) {
      const common = { units: 5, inputShape: [7, 3], returnSequences, goBackwards, useBias, ...RECURRENT_INIT };
      const tag = `${returnSequences ? 'sequences' : 'last'}${goBackwards ? ', backwards' : ''}${useBias ? '' : ', no bias'}`;
      for (const activation of ['tanh', 'sigmoid']) {
        cases.push({
          name: `simpleRNN ${activation}, ${tag}`,
          fused: (a) => fusedSimpleRNN(a as never),
          standard: (a) => tfl.layers.simpleRNN(a as never),
          args: { ...common, activation },
        });
      }
      for (const recurrentActivation of ['hardSigmoid', 'sigmoid']) {
        cases.push({
          name: `lstm tanh/${recurrentActivation}, ${tag}`,
          fused: (a) => fusedLSTM(a as never),
          standard: (a) => tfl.layers.lstm(a as never),
          args: { ...common, recurrentActivation },
        });
        cases.push({
          name: `gru tanh/${recurrentActivation}, ${tag}`,
          fused: (a) => fusedGRU(a as never),
          standard: (a) => tfl.layers.gru(a as never),
          args: { ...common, recurrentActivation },
        });
      }
    }

/** max |a − b| over the largest |b| (at least 1): one number per pair of tensors. */
function apart(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]));
}

/** The two layers built on x's shape, the standard one holding the fused one's weights. */
function twins(c: Case, x: tf.Tensor): [tfl.layers.Layer, tfl.layers.Layer] {
  const fused = c.fused(c.args);
  const standard = c.standard(c.args);
  tf.dispose([fused.apply(x) as tf.Tensor, standard.apply(x) as tf.Tensor]);
  standard.setWeights(fused.getWeights());
  return [fused, standard];
}

describe('the fused layers equal tfjs\' own layers holding the same weights', () => {
  before(async () => {
    await initBackend();
  });

  for (const c of cases) {
    it(`${c.name}: the same output, and the same gradients of the weights and the input`, () => {
      const before = tf.memory().numTensors;
      const x = tf.randomUniform([2, 7, 3], -1, 1, 'float32', 1);
      const [fused, standard] = twins(c, x);
      const R = tf.tidy(() => tf.randomUniform((fused.apply(x) as tf.Tensor).shape, -1, 1, 'float32', 2));
      const loss = (layer: tfl.layers.Layer) => (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, R)) as tf.Scalar;
      tf.tidy(() => {
        expect(apart(fused.apply(x) as tf.Tensor, standard.apply(x) as tf.Tensor), 'output').to.be.below(FORWARD_TOLERANCE);
        const weights = (layer: tfl.layers.Layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const a = tf.variableGrads(() => loss(fused)(x), weights(fused));
        const b = tf.variableGrads(() => loss(standard)(x), weights(standard));
        const names = Object.keys(b.grads);
        expect(Object.keys(a.grads).map((n) => n.split('/').pop())).to.deep.equal(names.map((n) => n.split('/').pop()));
        names.forEach((name, i) => {
          expect(apart(Object.values(a.grads)[i], b.grads[name]), `gradient of ${name}`).to.be.below(GRADIENT_TOLERANCE);
        });
        expect(apart(tf.grad(loss(fused))(x), tf.grad(loss(standard))(x)), 'gradient of the input').to.be.below(GRADIENT_TOLERANCE);
      });
      tf.dispose([x, R]);
      fused.dispose();
      standard.dispose();
      expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    });
  }

  // T from 2: tf.grad through tfjs' own SimpleRNN, LSTM and GRU of one step fails in tfjs ("Argument tensors passed to
  // stack must be a `Tensor[]`"); the kernels' one-step case is test/engine/fused-upstream.test.ts'.
  it('stacked 1–3 deep on random shapes (inputs 1–8, units 1–64, T 2–64), the same outputs and gradients (property-based)', () => {
    const shapes = fc.record({
      cell: fc.constantFrom('simpleRNN', 'lstm', 'gru'),
      depth: fc.integer({ min: 1, max: 3 }),
      B: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: 2, max: 64 }),
      I: fc.integer({ min: 1, max: 8 }),
      units: fc.integer({ min: 1, max: 64 }),
      sigmoid: fc.boolean(),
      returnSequences: fc.boolean(),
      goBackwards: fc.boolean(),
      useBias: fc.boolean(),
    });
    fc.assert(
      fc.property(shapes, (s) => {
        const label = JSON.stringify(s);
        const before = tf.memory().numTensors;
        const layerArgs = (l: number) => ({
          units: s.units, useBias: s.useBias, goBackwards: s.goBackwards, ...RECURRENT_INIT,
          // Every layer but the last hands the next its whole sequence.
          returnSequences: l < s.depth - 1 || s.returnSequences,
          ...(l === 0 && { inputShape: [s.T, s.I] }),
          ...(s.cell !== 'simpleRNN' ? { recurrentActivation: s.sigmoid ? 'sigmoid' : 'hardSigmoid' } : { activation: s.sigmoid ? 'sigmoid' : 'tanh' }),
        });
        const stack = (make: (a: never) => tfl.layers.Layer) =>
          tfl.sequential({ layers: Array.from({ length: s.depth }, (_, l) => make(layerArgs(l) as never)) });
        const fused = stack({ simpleRNN: fusedSimpleRNN, lstm: fusedLSTM, gru: fusedGRU }[s.cell] as (a: never) => tfl.layers.Layer);
        const standard = stack(tfl.layers[s.cell] as (a: never) => tfl.layers.Layer);
        standard.setWeights(fused.getWeights());
        tf.tidy(() => {
          const x = tf.randomUniform([s.B, s.T, s.I], -1, 1, 'float32', 5);
          const R = tf.randomUniform(fused.outputs[0].shape.map((d) => d ?? s.B), -1, 1, 'float32', 6);
          const loss = (m: tfl.LayersModel) => (input: tf.Tensor) => tf.sum(tf.mul(m.apply(input) as tf.Tensor, R)) as tf.Scalar;
          expect(apart(fused.apply(x) as tf.Tensor, standard.apply(x) as tf.Tensor), `${label}: output`).to.be.below(FORWARD_TOLERANCE);
          const grads = (m: tfl.LayersModel) => Object.values(tf.variableGrads(() => loss(m)(x), m.trainableWeights.map((w) => w.read() as tf.Variable)).grads);
          const [a, b] = [grads(fused), grads(standard)];
          a.forEach((g, i) => expect(apart(g, b[i]), `${label}: gradient ${i}`).to.be.below(GRADIENT_TOLERANCE));
          expect(apart(tf.grad(loss(fused))(x), tf.grad(loss(standard))(x)), `${label}: gradient of the input`).to.be.below(GRADIENT_TOLERANCE);
        });
        fused.dispose();
        standard.dispose();
        expect(tf.memory().numTensors, `${label}: tensors left behind`).to.equal(before);
      }),
      { numRuns: 10, seed: 21 },
    );
  });

  for (const [name, fused, standard] of [
    ['simpleRNN', (a: never) => fusedSimpleRNN(a), (a: never) => tfl.layers.simpleRNN(a)],
    ['lstm', (a: never) => fusedLSTM(a), (a: never) => tfl.layers.lstm(a)],
    ['gru', (a: never) => fusedGRU(a), (a: never) => tfl.layers.gru(a)],
  ] as const) {
    it(`${name} in a model trained by fit follows the standard model's loss for 20 epochs`, async () => {
      const x = tf.randomUniform([16, 10, 2], 0, 1, 'float32', 3);
      const y = tf.tidy(() => tf.reshape(tf.cast(tf.greater(tf.sum(x, [1, 2]), 10), 'float32'), [16, 1]));
      const build = (layer: (a: never) => tfl.layers.Layer) => {
        const model = tfl.sequential({
          layers: [layer({ units: 6, inputShape: [10, 2], ...SEEDED_INIT } as never), tfl.layers.dense({ units: 1, activation: 'sigmoid' })],
        });
        model.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
        return model;
      };
      const a = build(fused);
      const b = build(standard);
      b.setWeights(a.getWeights());
      const before = tf.memory().numTensors;
      const lossA = (await a.fit(x, y, { epochs: 20, batchSize: 8, shuffle: false, verbose: 0 })).history.loss as number[];
      const lossB = (await b.fit(x, y, { epochs: 20, batchSize: 8, shuffle: false, verbose: 0 })).history.loss as number[];
      expect(tf.memory().numTensors, 'tensors left behind by fit').to.equal(before);
      const drift = Math.max(...lossA.map((l, i) => Math.abs(l - lossB[i]) / lossB[i]));
      expect(drift, `relative difference of the losses per epoch, at most ${drift.toExponential(2)} (fused ${lossA.at(-1)}, standard ${lossB.at(-1)})`).to.be.below(FIT_TOLERANCE);
      expect(lossA.at(-1)!, 'the loss went down').to.be.below(lossA[0]);
      tf.dispose([x, y]);
      a.dispose();
      b.dispose();
    });
  }
});

describe('a fused layer\'s config, saving and conversions', () => {
  before(async () => {
    await initBackend();
  });

  it('getConfig returns the constructor\'s options, and fromConfig makes the same layer', () => {
    const args = { units: 3, recurrentActivation: 'sigmoid' as const, returnSequences: true, unitForgetBias: true, name: 'memory' };
    const layer = fusedLSTM(args);
    const config = layer.getConfig();
    expect(config).to.include({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true, unitForgetBias: true, name: 'memory' });
    const again = tf.serialization.SerializationMap.getMap().classNameMap.FusedLSTM;
    expect(again[0]).to.equal(FusedLSTM);
    expect((again[1](again[0], config) as FusedLSTM).getConfig()).to.deep.equal(config);
  });

  it('unitForgetBias starts the forget gate\'s bias at 1 and the others at the bias initializer\'s', () => {
    const layer = fusedLSTM({ units: 2, unitForgetBias: true, biasInitializer: 'zeros', recurrentInitializer: 'glorotUniform' });
    tf.dispose(layer.apply(tf.zeros([1, 3, 1])) as tf.Tensor);
    expect(Array.from(layer.getWeights()[2].dataSync())).to.deep.equal([0, 0, 1, 1, 0, 0, 0, 0]);
    layer.dispose();
  });

  it('saves and loads with tfjs, and converts to standard layers and back with the same outputs', async () => {
    const model = tfl.sequential({
      layers: [
        fusedLSTM({ units: 4, inputShape: [5, 2], returnSequences: true, ...RECURRENT_INIT }),
        fusedGRU({ units: 3, recurrentActivation: 'sigmoid', returnSequences: true, ...RECURRENT_INIT }),
        fusedSimpleRNN({ units: 3, activation: 'sigmoid', ...RECURRENT_INIT }),
        tfl.layers.dense({ units: 1 }),
      ],
    });
    const x = tf.randomUniform([3, 5, 2], 0, 1, 'float32', 4);
    const want = model.predict(x) as tf.Tensor;
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers.map((l) => l.getClassName())).to.deep.equal(['FusedLSTM', 'FusedGRU', 'FusedSimpleRNN', 'Dense']);
    const standard = await toStandardModel(model);
    expect(standard.layers.map((l) => l.getClassName())).to.deep.equal(['LSTM', 'GRU', 'SimpleRNN', 'Dense']);
    const back = await toFusedModel(standard);
    expect(back.layers.map((l) => l.getClassName())).to.deep.equal(['FusedLSTM', 'FusedGRU', 'FusedSimpleRNN', 'Dense']);
    for (const [what, m] of [['loaded', loaded], ['standard', standard], ['back', back]] as const) {
      const got = m.predict(x) as tf.Tensor;
      expect(apart(got, want), what).to.be.below(FORWARD_TOLERANCE);
      got.dispose();
    }
    tf.dispose([x, want]);
    for (const m of [model, loaded, standard, back]) m.dispose();
  });

  it('refuses what the kernels do not compute, in one line naming the option, leaking nothing', () => {
    const before = tf.memory().numTensors;
    const refused: [() => unknown, RegExp][] = [
      [() => fusedLSTM({ units: 4, dropout: 0.2 } as never), /^fusedLSTM: option dropout is not supported by the fused kernel \(supported: units, /],
      [() => fusedSimpleRNN({ units: 4, stateful: true } as never), /^fusedSimpleRNN: option stateful is not supported/],
      [() => fusedSimpleRNN({ units: 4, recurrentActivation: 'sigmoid' } as never), /^fusedSimpleRNN: option recurrentActivation is not supported/],
      [() => fusedLSTM({ units: 4, activation: 'relu' } as never), /^fusedLSTM: activation must be 'tanh' or 'sigmoid', got "relu"$/],
      [() => fusedLSTM({ units: 4, recurrentActivation: 'tanh' } as never), /^fusedLSTM: recurrentActivation must be 'sigmoid' or 'hardSigmoid', got "tanh"$/],
      [() => fusedLSTM({ units: 0 }), /^fusedLSTM: units must be an integer from 1 to 1024, got 0$/],
      [() => fusedSimpleRNN({ units: 2048 }), /^fusedSimpleRNN: units must be an integer from 1 to 1024, got 2048$/],
      [() => fusedGRU({ units: 4, resetAfter: true } as never), /^fusedGRU: resetAfter must be false \(the kernel computes tfjs' GRU, /],
      [() => fusedGRU({ units: 4, unitForgetBias: true } as never), /^fusedGRU: option unitForgetBias is not supported/],
      [() => fusedGRU({ units: 4, recurrentActivation: 'relu' } as never), /^fusedGRU: recurrentActivation must be 'sigmoid' or 'hardSigmoid', got "relu"$/],
      [() => fusedLSTM({ units: 2, kernelInitializer: 'nonsense' }), /^kernelInitializer: unknown initializer "nonsense"$/],
    ];
    for (const [make, message] of refused) expect(make).to.throw(UserError, message);
    // A standard layer's neutral values (no dropout, no regularizer) are what its saved config holds: accepted.
    expect(() => fusedLSTM({ units: 4, dropout: 0, kernelRegularizer: null, stateful: false } as never)).not.to.throw();
    expect(() => fusedGRU({ units: 4, resetAfter: false, recurrentDropout: 0 } as never)).not.to.throw();
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
  });
});
