// The long-lag tasks (src/tasks/echo.ts, src/tasks/adding-problem.ts): their data worked out independently, their
// solved rules, training the echo with the echo example's settings, a saved echo in plain tfjs, the train flags in-process,
// and a training step's tensor count over many steps.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { seededRng } from '../../src/data/sample';
import { disposeParams, initParams } from '../../src/engine/params';
import { testAddingProblem } from '../../src/eval/adding-problem';
import { scoreEcho } from '../../src/eval/echo';
import { loadAdder, loadModel } from '../../src/io';
import {
  AddingProblemProgress,
  addingProblemBatch,
  RIGHT_WITHIN,
  SOLVED_STREAK,
  TEST_SEQUENCES,
} from '../../src/tasks/adding-problem';
import { echoRight, echoStream, echoWindows } from '../../src/tasks/echo';
import { defaultConfig, defaultTaskConfig, TrainConfig } from '../../src/train/config';
import { chronoBiases } from '../../src/train/chrono';
import { flatLayout, readFlat } from '../../src/train/flat';
import { gradientStep } from '../../src/train/gradient-step';
import { STANDARD_ADAM } from '../../src/train/optimizers';
import { trainNetwork } from '../../src/train/train';
import { saveModel } from '../../src/api/save';
import { parseCli } from '../support/parse';
import { tempDir } from '../support/adders';

const PLAIN_TFJS_PREDICT = path.join(__dirname, '..', 'support', 'plain-tfjs-predict.js');

describe('the echo task', () => {
  it('windows of B streams echo the input k steps back, across window edges, from the stream\'s k-th bit on', () => {
    for (const [rows, window, delay] of [[5, 15, 3], [2, 4, 7], [1, 1, 1]]) {
      const next = echoWindows(rows, window, delay, 3);
      const streams: number[][] = Array.from({ length: rows }, () => []);
      const targets: number[][] = Array.from({ length: rows }, () => []);
      const masks: number[][] = Array.from({ length: rows }, () => []);
      for (let w = 0; w < 6; w++) {
        const batch = next();
        expect(batch).to.include({ batch: rows, steps: window, inputs: 1 });
        for (let b = 0; b < rows; b++) {
          const row = (a: Float32Array) => Array.from(a.subarray(b * window, (b + 1) * window));
          streams[b].push(...row(batch.x));
          targets[b].push(...row(batch.y));
          masks[b].push(...row(batch.mask!));
        }
      }
      for (let b = 0; b < rows; b++) {
        streams[b].forEach((bit, t) => {
          expect(bit === 0 || bit === 1).to.equal(true);
          expect(masks[b][t], `row ${b} step ${t}`).to.equal(t >= delay ? 1 : 0);
          if (t >= delay) expect(targets[b][t], `row ${b} step ${t}`).to.equal(streams[b][t - delay]);
        });
      }
      // Parallel streams are different streams.
      if (rows > 1) expect(streams[0]).to.not.deep.equal(streams[1]);
    }
  });

  it('scores only the steps after the first k, and a perfect echo of a fresh stream is right everywhere', () => {
    const stream = echoStream(seededRng(1), 50, 4);
    const shifted = stream.x.map((_, t) => (t >= 4 ? stream.x[t - 4] : 0.7));
    expect(echoRight(stream, shifted)).to.deep.equal({ right: 46, counted: 46 });
    const flipped = shifted.map((v, t) => (t === 10 ? 1 - v : v));
    expect(echoRight(stream, flipped)).to.deep.equal({ right: 45, counted: 46 });
  });
});

describe('the adding problem', () => {
  const T = (n: number) => n;

  it('samples sequences as Hochreiter & Schmidhuber define them (property-based)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 300 }), fc.integer({ min: 1, max: 8 }), fc.nat(), (length, B, seed) => {
        const batch = addingProblemBatch(seededRng(seed), T(length), B);
        expect(batch.inputs).to.equal(2);
        for (let b = 0; b < B; b++) {
          const value = (t: number) => batch.x[2 * (b * batch.steps + t)];
          const marker = (t: number) => batch.x[2 * (b * batch.steps + t) + 1];
          const marked = [...Array(batch.steps).keys()].filter((t) => batch.mask![b * batch.steps + t] === 1);
          expect(marked, 'one step carries the loss').to.have.length(1);
          const L = marked[0] + 1;
          expect(L).to.be.within(length, length + Math.floor(length / 10));
          const ones = [...Array(L).keys()].filter((t) => marker(t) === 1);
          expect(ones).to.have.length(2);
          expect(ones[0], 'one of the first 10').to.be.below(10);
          const span = Math.floor(length / 2) - 1;
          expect(ones.some((a) => a < 10 && ones.some((b) => b !== a && b < span)), `marked ${ones}`).to.equal(true);
          for (const t of [0, L - 1]) if (!ones.includes(t)) expect(marker(t)).to.equal(-1);
          for (let t = 0; t < L; t++) {
            expect(Math.abs(value(t))).to.be.at.most(1);
            if (t > 0 && t < L - 1 && !ones.includes(t)) expect(marker(t)).to.equal(0);
          }
          for (let t = L; t < batch.steps; t++) expect([value(t), marker(t)], 'padding').to.deep.equal([0, 0]);
          // "X1 = 0" when the first step is a marked one: its value is 0, so the target is the marked values' sum.
          if (ones.includes(0)) expect(value(0)).to.equal(0);
          const sum = ones.reduce((s, t) => s + value(t), 0);
          expect(batch.y[b * batch.steps + L - 1]).to.be.closeTo(0.5 + sum / 4, 1e-6);
        }
      }),
      { numRuns: 60 },
    );
  });

  it(`is solved only when the last ${SOLVED_STREAK} sequences were all within ${RIGHT_WITHIN}`, () => {
    const progress = new AddingProblemProgress();
    const good = Array(SOLVED_STREAK - 1).fill(0.03);
    expect(progress.record(good)).to.equal(false);
    expect(progress.record([-0.05])).to.equal(false); // one wrong among the last 2,000
    expect(progress.record(Array(SOLVED_STREAK - 1).fill(-0.01))).to.equal(false);
    expect(progress.record([0.01])).to.equal(true);
  });
});

describe('chrono initialisation', () => {
  it('sets the forget bias to ln u, u in [1, T − 1], the input bias to its negative, and nothing else', () => {
    const layout = flatLayout({ cell: 'lstm', hidden: 8, bias: true });
    const weights = new Float32Array(layout.size).fill(0.25);
    chronoBiases(weights, layout, 8, 110, seededRng(3));
    const at = layout.offsets[layout.names.indexOf('bs')];
    const forget = Array.from(weights.subarray(at + 8, at + 16));
    for (const b of forget) expect(Math.exp(b)).to.be.within(1, 109);
    expect(new Set(forget).size, 'a spread of time scales').to.equal(8);
    expect(Array.from(weights.subarray(at, at + 8))).to.deep.equal(forget.map((b) => Math.fround(-b)));
    const untouched = Array.from(weights).filter((_, i) => i < at || i >= at + 16);
    expect(untouched.every((w) => w === 0.25)).to.equal(true);
  });
});

describe('training on the long-lag tasks', () => {
  let root: string;
  before(async () => {
    await initBackend();
    root = await tempDir('lags');
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('solves the echo with the echo example\'s settings (delay 3, H 4, batch 5, truncation 15), and a saved echo echoes in plain tfjs', async () => {
    const before = tf.memory().numTensors;
    const config = defaultTaskConfig('echo');
    expect(config).to.include({ delay: 3, hidden: 4, batch: 5, tbptt: 15 });
    const result = trainNetwork(config);
    const dir = path.join(root, 'echo-3');
    try {
      expect(result.solved).to.equal(true);
      expect(result.score).to.deep.include({ bits: 2000, scored: 1997, right: 1997, exact: true });
      expect(result.samples).to.equal(result.steps * 5 * 15);
      // Checked again on a longer stream it never saw.
      expect(scoreEcho(result.params, 3, 99, 5000).exact).to.equal(true);
      await saveModel(dir, result);
    } finally {
      disposeParams(result.params);
    }
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);

    const loaded = await loadModel(dir);
    disposeParams(loaded.params);
    expect(loaded.config.inputs).to.equal(1);
    expect(loaded.metadata).to.include({ task: 'echo', delay: 3, tbptt: 15, bits: 0 });
    let refused: unknown;
    await loadAdder(dir).catch((error) => (refused = error));
    expect((refused as Error).message).to.equal(`${dir} holds a network trained on the echo task, not an adder (train one with --task add)`);

    // One call over a whole 300-step stream, returnSequences: the echo of every bit after the third.
    const stream = echoStream(seededRng(7), 300, 3);
    const x = [Array.from(stream.x, (bit) => [bit])];
    const run = spawnSync(process.execPath, [PLAIN_TFJS_PREDICT, dir, JSON.stringify(x)], { encoding: 'utf8' });
    expect(run.stderr).to.equal('');
    const probabilities: number[] = JSON.parse(run.stdout).probabilities;
    expect(probabilities).to.have.length(300);
    expect(echoRight(stream, probabilities)).to.deep.equal({ right: 297, counted: 297 });
  });

  for (const cell of ['lstm', 'gru'] as const) {
    it(`solves the echo with the ${cell} cell, its state carried from window to window (the echo example's settings)`, () => {
      const before = tf.memory().numTensors;
      const result = trainNetwork({ ...defaultTaskConfig('echo'), cell });
      try {
        expect(result.solved).to.equal(true);
        expect(result.score).to.deep.include({ scored: 1997, right: 1997, exact: true });
        expect(result.samples).to.be.below(30_000);
      } finally {
        disposeParams(result.params);
      }
      expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    });
  }

  it('trains the adding problem at T = 10 on a small budget, tests it on fresh sequences, and leaks nothing', () => {
    const before = tf.memory().numTensors;
    const config: TrainConfig = { ...defaultTaskConfig('adding-problem'), length: 10, maxSamples: 640, batch: 32 };
    const result = trainNetwork(config);
    try {
      expect(result.solved).to.equal(false); // 640 sequences are far too few; the test still runs
      expect(result.samples).to.equal(640);
      expect(result.score).to.include({ length: 10, sequences: TEST_SEQUENCES });
      expect(result.score).to.deep.equal(testAddingProblem(result.params, 10, config.seed));
    } finally {
      disposeParams(result.params);
    }
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('tests a gated cell on the adding problem through its own engine', () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const params = initParams({ cell, hidden: 3, inputs: 2, bias: true }, 1);
      try {
        const score = testAddingProblem(params, 10, 1, 40);
        expect(score).to.include({ length: 10, sequences: 40 });
        expect(score.mse).to.be.above(0);
      } finally {
        disposeParams(params);
      }
    }
  });

  for (const cell of ['elman', 'lstm', 'gru'] as const) {
    it(`keeps a training step's tensor count bounded: 1,000 ${cell} echo windows with the state carried leave nothing behind`, () => {
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      // Short windows keep it quick; a delay of 20 is not solved in 1,000 steps.
      const config: TrainConfig = { ...defaultTaskConfig('echo', cell), hidden: 3, batch: 2, tbptt: 5, maxSamples: 1000 * 2 * 5, delay: 20 };
      const result = trainNetwork(config, { onProgress: () => counts.push(tf.memory().numTensors) });
      disposeParams(result.params);
      expect(result.steps).to.equal(1000);
      expect(tf.memory().numTensors).to.equal(before);
      // Mid-step, at every history point from the 5th step to the 1,000th: the same count, so none piles up.
      expect(counts.length).to.be.above(10);
      expect(new Set(counts), `tensors mid-step: ${counts}`).to.have.property('size', 1);
    });
  }
});

describe('a stream read in windows', () => {
  before(() => initBackend());

  for (const cell of ['elman', 'lstm', 'gru'] as const) {
    it(`${cell}: two windows, the state carried from the first into the second, give the ŷ of one pass over both`, () => {
      const config = { cell, hidden: 3, inputs: 1, bias: true };
      const layout = flatLayout(config);
      const initial = initParams(config, 4);
      const weights = readFlat(initial, layout, new Float32Array(layout.size));
      disposeParams(initial);
      const grads = new Float32Array(layout.size);
      const next = echoWindows(2, 6, 2, 4);
      const [first, second] = [next(), next()];
      // The same two streams as one window of 12 steps: row b is row b of the first window, then of the second.
      const x = new Float32Array(2 * 12);
      for (let b = 0; b < 2; b++) {
        x.set(first.x.subarray(6 * b, 6 * b + 6), 12 * b);
        x.set(second.x.subarray(6 * b, 6 * b + 6), 12 * b + 6);
      }
      const whole = { batch: 2, steps: 12, inputs: 1, x, y: new Float32Array(24) };
      const before = tf.memory().numTensors;
      const once = gradientStep('bptt', weights, layout, whole, 'mse', grads);
      const start = gradientStep('bptt', weights, layout, first, 'mse', grads);
      const state = start.lastState();
      expect(Object.keys(state)).to.deep.equal(cell === 'lstm' ? ['h', 'c'] : ['h']);
      const carried = gradientStep('bptt', weights, layout, second, 'mse', grads, { initial: state, tbptt: 6 });
      const fresh = gradientStep('bptt', weights, layout, second, 'mse', grads, { tbptt: 6 });
      for (let b = 0; b < 2; b++) {
        const later = Array.from(once.yhat.subarray(12 * b + 6, 12 * b + 12));
        Array.from(carried.yhat.subarray(6 * b, 6 * b + 6)).forEach((v, t) => expect(v, `row ${b}, step ${t}`).to.be.closeTo(later[t], 1e-6));
      }
      // Without the state carried in, the second window starts from zeros and comes out otherwise.
      expect(Array.from(fresh.yhat)).to.not.deep.equal(Array.from(carried.yhat));
      tf.dispose(state);
      for (const step of [once, start, carried, fresh]) step.dispose();
      expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    });
  }
});

describe('the fused kernel and the long-lag tasks', () => {
  before(() => initBackend());

  it('refuses a loss mask, a carried state or truncation rather than train another objective, leaking nothing', () => {
    const config = { hidden: 4, bias: true };
    const layout = flatLayout(config);
    const initial = initParams(config, 1);
    const weights = readFlat(initial, layout, new Float32Array(layout.size));
    disposeParams(initial);
    const grads = new Float32Array(layout.size);
    const masked = addingProblemBatch(seededRng(1), 10, 2);
    const whole = { ...masked, mask: undefined };
    const before = tf.memory().numTensors;
    const refusal = /^the elman cell's fused kernel computes whole additions with full BPTT only: no (loss mask|truncation) \(use the bptt engine\)$/;
    expect(() => gradientStep('fused', weights, layout, masked, 'mse', grads)).to.throw(refusal);
    expect(() => gradientStep('fused', weights, layout, whole, 'mse', grads, { tbptt: 4 })).to.throw(refusal);
    expect(tf.memory().numTensors, 'tensors left behind by a refused step').to.equal(before);
  });
});

describe('train --task flags (parsed in-process)', () => {
  it('fill in each task\'s defaults: the adder\'s as before, the echo example\'s, the adding problem at T = 100', async () => {
    const root = await tempDir('lags-parse');
    const configOf = async (argv: string) => {
      const { args } = await parseCli([...argv.split(' '), '--out', path.join(root, 'm')]);
      return args!.config as TrainConfig;
    };
    try {
      expect(await configOf('train')).to.deep.equal({ ...defaultConfig(8) });
      expect(await configOf('train --bits 16 --optimizer sgd')).to.deep.equal({ ...defaultConfig(16, 'sgd') });
      expect(await configOf('train --task echo')).to.deep.equal({ ...defaultTaskConfig('echo') });
      // The Elman cell's fused kernel computes whole additions with full BPTT: anything else falls back to the tensor
      // engine. The LSTM's computes every task it trains on.
      expect(await configOf('train --tbptt 4')).to.include({ engine: 'bptt', tbptt: 4 });
      expect(await configOf('train --task echo --delay 5')).to.include({ engine: 'bptt' });
      expect(await configOf('train --task adding-problem --cell lstm')).to.include({ cell: 'lstm', init: 'chrono', length: 100, engine: 'fused' });
      expect(await configOf('train --task adding-problem --cell lstm --tbptt 10')).to.include({ engine: 'fused', tbptt: 10 });
      expect(await configOf('train --task adding-problem --cell lstm --init glorot')).to.include({ init: 'glorot' });
      expect(await configOf('train --task echo --cell lstm')).to.include({ cell: 'lstm', engine: 'fused', init: 'uniform' });
      // Kingma & Ba's Adam for the adding problem (docs/long-lags.md), the adders' own for addition and the echo.
      expect((await configOf('train --task adding-problem')).adam).to.deep.equal(STANDARD_ADAM);
      expect((await configOf('train --task echo --cell gru')).adam).to.equal(undefined);
      expect((await configOf('train --cell lstm')).adam).to.equal(undefined);
      expect(await configOf('train --task adding-problem --length 20 --hidden 8')).to.deep.equal({
        ...defaultTaskConfig('adding-problem'),
        length: 20,
        hidden: 8,
      });
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  const cases: { argv: string; usage?: string; args?: Record<string, unknown> }[] = [
    { argv: 'train --task echo', args: { task: 'echo' } },
    { argv: 'train --task echo --delay 8 --tbptt 20', args: { delay: 8, tbptt: 20 } },
    { argv: 'train --task adding-problem --length 50 --tbptt 10', args: { length: 50, tbptt: 10 } },
    { argv: 'train --tbptt 4', args: { task: 'add', tbptt: 4 } },
    { argv: 'train --delay 3', usage: '--delay belongs to --task echo, not add' },
    { argv: 'train --task echo --length 50', usage: '--length belongs to --task adding-problem, not echo' },
    { argv: 'train --task adding-problem --delay 2', usage: '--delay belongs to --task echo, not adding-problem' },
    { argv: 'train --task echo --bits 8', usage: '--bits belongs to --task add, not echo' },
    { argv: 'train --task echo --delay 0', usage: '--delay must be between 1 and 256, got 0' },
    { argv: 'train --task adding-problem --length 9', usage: '--length must be between 10 and 1000, got 9' },
    { argv: 'train --task echo --tbptt 0', usage: '--tbptt must be at least 1, got 0' },
    {
      argv: 'train --task echo --tbptt 2001 --max-samples 10000',
      usage: '--tbptt 2001 is longer than the stream it would cut (2000 steps: --max-samples / --batch)',
    },
    { argv: 'train --task adding-problem --cell lstm', args: { cell: 'lstm' } },
    {
      argv: 'train --task echo --engine fused',
      usage: '--engine fused computes the elman cell on whole additions with full BPTT only: train other tasks and --tbptt with --engine bptt',
    },
    {
      argv: 'train --tbptt 4 --engine fused',
      usage: '--engine fused computes the elman cell on whole additions with full BPTT only: train other tasks and --tbptt with --engine bptt',
    },
    { argv: 'train --init chrono', usage: '--init chrono sets an LSTM\'s gate biases: it needs --cell lstm with biases, not elman' },
    { argv: 'train --task sums', usage: 'Invalid values: Argument: task, Given: "sums", Choices: "add", "echo", "adding-problem" (see --help)' },
  ];
  for (const c of cases) {
    it(`${c.argv}: ${c.usage ? 'refused' : 'parsed'}`, async () => {
      const root = await tempDir('lags-parse');
      try {
        const result = await parseCli([...c.argv.split(' '), '--out', path.join(root, 'm')]);
        if (c.usage) {
          expect(result.usage).to.equal(c.usage);
          expect(result.command).to.equal(undefined);
        } else {
          expect(result.usage).to.equal(undefined);
          expect(result.command).to.equal('train');
          expect(result.args).to.include(c.args);
        }
      } finally {
        await fs.rm(root, { recursive: true, force: true });
      }
    });
  }
});
