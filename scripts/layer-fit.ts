// `node dist/scripts/layer-fit.js [--backend wasm|cpu] [--cell simpleRNN|lstm|gru]`: model.fit per epoch with a fused layer against tfjs' own
// layer, the same model and data: T = 100, batch 64, input 2, 256 sequences per epoch, a recurrent layer of 16 or
// 64 units returning every step, Dense(1) per step, Adam. The first epoch is dropped (warm-up); CPU time of the
// next three, median, same run, alternating; every cell, or the one --cell names. docs/kernels.md keeps the figures.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../src/backend';
import { fusedGRU } from '../src/layers/gru';
import { fusedLSTM } from '../src/layers/lstm';
import { fusedSimpleRNN } from '../src/layers/simple-rnn';

const T = 100;
const N = 256;
const cellArg = process.argv.indexOf('--cell');
const only = cellArg >= 0 ? process.argv[cellArg + 1] : undefined;

function model(layer: tfl.layers.Layer): tfl.LayersModel {
  const m = tfl.sequential({ layers: [layer, tfl.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return m;
}

async function epochCpu(m: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const start = process.cpuUsage();
  await m.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const x = tf.randomUniform([N, T, 2], 0, 1, 'float32', 1);
  const y = tf.randomUniform([N, T, 1], 0, 1, 'float32', 2);
  const init = { recurrentInitializer: 'glorotUniform' } as const;
  for (const units of [16, 64]) {
    for (const [name, fused, standard] of [
      ['simpleRNN', () => fusedSimpleRNN({ units, inputShape: [T, 2], returnSequences: true, ...init }), () => tfl.layers.simpleRNN({ units, inputShape: [T, 2], returnSequences: true, ...init })],
      ['lstm', () => fusedLSTM({ units, inputShape: [T, 2], returnSequences: true, ...init }), () => tfl.layers.lstm({ units, inputShape: [T, 2], returnSequences: true, ...init })],
      ['gru', () => fusedGRU({ units, inputShape: [T, 2], returnSequences: true, ...init }), () => tfl.layers.gru({ units, inputShape: [T, 2], returnSequences: true, ...init })],
    ] as const) {
      if (only !== undefined && name !== only) continue;
      const a = model(fused());
      const b = model(standard());
      b.setWeights(a.getWeights());
      const times = { fused: [] as number[], standard: [] as number[] };
      for (let epoch = 0; epoch < 4; epoch++) {
        const ta = await epochCpu(a, x, y);
        const tb = await epochCpu(b, x, y);
        if (epoch > 0) {
          times.fused.push(ta);
          times.standard.push(tb);
        }
      }
      const median = (v: number[]) => [...v].sort((p, q) => p - q)[1];
      const [f, s] = [median(times.fused), median(times.standard)];
      console.log(`${backend}, ${name} ${units} units: fit per epoch fused ${f.toFixed(0)} ms, tfjs ${s.toFixed(0)} ms CPU: ${(s / f).toFixed(1)}×`);
      a.dispose();
      b.dispose();
    }
  }
}

void main();
