// The package's API against callers no type system guards (plain JavaScript): every function exported by
// src/index.ts is either walked here with hostile arguments (null, undefined, wrong types, NaN, huge numbers, a
// million-digit operand), each of which must throw a typed UserError within a time bound with no tensor left, or
// named in NOT_WALKED with the reason. A new export that is in neither fails the first test.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import * as api from '../../src/index';
import { initBackend } from '../../src/backend';
import { UserError } from '../../src/errors';
import { tempDir } from '../support/adders';

/** A refusal does no work: well under a second even on a loaded machine. */
const REFUSE_MS = 2_000;

/** About 10^1,023,501: a million-digit operand, built without printing it. */
const HUGE = 1n << 3_400_000n;
const NOT_INTEGERS = [null, 'x', NaN, Infinity, -1, 1.5, HUGE, {}, []];
const TOO_BIG = [1e9, 1e300];
const BAD_NUMBERS = [undefined, ...NOT_INTEGERS, ...TOO_BIG];
const BAD_ADDERS = [null, undefined, 3, 'x', {}, { params: null }, { params: { Wx: 1 } }];
const BAD_PATHS = [null, undefined, '', 3, {}, 'a\0b'];
const BAD_OPTIONS = [null, 'x', 3];

/** Functions exported but not walked, and why. */
const NOT_WALKED: Record<string, string> = {
  // Training's options are checked by checkConfig (the training pipeline's part); its cases are below.
  train: 'training options', trainOnTask: 'training options', trainConfig: 'training options', saveTaskModel: 'training options',
  checkConfig: 'training options', defaultTaskConfig: 'training options', taskSettings: 'training options',
  defaultConfig: 'training options', defaultEngine: 'training options', resolveConfig: 'training options',
  // The engine's tensor functions take tensors that the checked functions above hand out.
  initParams: 'engine', disposeParams: 'engine', paramShapes: 'engine', backward: 'engine', forward: 'engine',
  lossAndGrads: 'engine', disposeCache: 'engine', statesOf: 'engine', engineFor: 'engine', loss: 'engine',
  autodiffLossAndGrads: 'engine', fusedForward: 'engine', fusedGrads: 'engine', fusedLossAndGrads: 'engine',
  fusedPrefixOutputs: 'engine', ElmanKernel: 'engine', fusedLstmForward: 'engine', fusedLstmLossAndGrads: 'engine',
  LstmKernel: 'engine', fusedEngineFor: 'engine', inputTensor: 'engine', maskTensor: 'engine', targetTensor: 'engine',
  flatLayout: 'engine', paramsFromFlat: 'engine', readFlat: 'engine', gradientStep: 'engine', createOptimizer: 'engine',
  batchSampler: 'engine', lossDrop: 'engine', notExactHint: 'engine', traceAddition: 'engine',
  fusedLstmGrads: 'engine', fusedGruForward: 'engine', fusedGruGrads: 'engine', fusedGruLossAndGrads: 'engine', GruKernel: 'engine',
  // The backward view's parts take the engine's parameters and batches (additionBatch, lossAtStep build them).
  additionBatch: 'engine', gradientTerms: 'engine', lossAtStep: 'engine', stepNorms: 'engine', termSeries: 'engine',
  traceBackward: 'engine', SteppingTrainer: 'engine',
  // The layers' classes are built by tfjs from a checked config (the factories, walked above) or a saved model.
  FusedSimpleRNN: 'layers', FusedLSTM: 'layers', toFusedModel: 'layers', toStandardModel: 'layers',
  // Presentation: plots, report rows, task words, the backend.
  makePlotDirectory: 'plots', writeSvg: 'plots', gradFlowSpec: 'plots', inspectSpec: 'plots', trainingCurvesSpec: 'plots',
  gradcheckRows: 'report rows', describeTask: 'task words', initBackend: 'backend',
  // The errors themselves and the limits' own checks.
  asFlag: 'errors', asOption: 'errors', messageFor: 'errors', named: 'errors', OptionError: 'errors', Template: 'errors',
  UsageError: 'errors', UserError: 'errors', checkBpttStates: 'limits', checkGradcheckWork: 'limits', checkPairSteps: 'limits',
};

type Call = () => unknown;

/** Each argument position of `good` replaced in turn by each of its bad values: the calls, labelled. */
function substitutions(name: string, good: unknown[], bad: unknown[][]): [string, Call][] {
  const fn = (api as unknown as Record<string, (...args: unknown[]) => unknown>)[name];
  const calls: [string, Call][] = [];
  bad.forEach((values, i) =>
    values.forEach((value) => {
      const args = [...good];
      args[i] = value;
      const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? (v === HUGE ? 'HUGE' : `${v}n`) : v);
      const shown = typeof value === 'string' && value.length > 20 ? `'${value.slice(0, 8)}…'` : (JSON.stringify(value, bigints) ?? String(value));
      calls.push([`${name} argument ${i + 1} = ${shown}`, () => fn(...args)]);
    }),
  );
  return calls;
}

/** Calls f and asserts a UserError, thrown or rejected, within REFUSE_MS and leaving no tensor. */
async function expectRefusal(label: string, f: Call): Promise<void> {
  const before = tf.memory().numTensors;
  const start = Date.now();
  let caught: unknown;
  try {
    await f();
  } catch (error) {
    caught = error;
  }
  const ms = Date.now() - start;
  expect(caught, `${label}: ${caught === undefined ? 'no error' : (caught as Error).stack}`).to.be.instanceOf(UserError);
  expect((caught as Error).message, label).to.not.include('\n');
  expect(ms, `${label} took ${ms} ms`).to.be.below(REFUSE_MS);
  expect(tf.memory().numTensors, `${label}: tensors leaked`).to.equal(before);
}

describe('hostile input: every export of the API', function () {
  this.timeout(120_000);
  let adder: { params: api.Params };
  let echo: { params: api.Params };
  let dir: string;
  const cases: [string, Call][] = [];

  before(async () => {
    await initBackend();
    adder = { params: api.initParams({ cell: 'elman', hidden: 3, bias: true }, 1) };
    echo = { params: api.initParams({ cell: 'elman', hidden: 3, bias: true, inputs: 1 }, 1) };
    dir = await tempDir('hostile-api');
    const rng = api.seededRng(1);
    const p = adder.params;
    const pairs = { a: [1n], b: [2n] };
    const flow = { bits: 4, samples: 4, seed: 0, loss: 'mse', clip: 1 };
    cases.push(
      ...substitutions('add', [adder, 1n, 2n], [BAD_ADDERS, [undefined, ...NOT_INTEGERS, 1e300, -1n, '12'], [undefined, ...NOT_INTEGERS, -1n]]),
      ...substitutions('evaluate', [adder, 4, {}], [BAD_ADDERS, [...BAD_NUMBERS, 0], [...BAD_OPTIONS, { samples: 1e9 }, { samples: NaN }, { seed: -1 }, { sampled: 'yes' }]]),
      ...substitutions('toLayersModel', [adder], [BAD_ADDERS]),
      ...substitutions('saveModel', [`${dir}/model`, adder], [BAD_PATHS, BAD_ADDERS]),
      ...substitutions('loadModel', [dir], [BAD_PATHS]),
      ...substitutions('loadAdder', [dir], [BAD_PATHS]),
      ...substitutions('lockModelDirectory', [`${dir}/lock`], [BAD_PATHS]),
      ...substitutions('gradcheck', [{}], [[...BAD_OPTIONS, { batch: 1e9 }, { hidden: 0 }, { hidden: NaN }, { bits: 1e6 }, { cell: 'bogus' }, { loss: 'bogus' }, { bias: 'yes' }, { seed: -1 }, { hidden: 64, batch: 1024 }]]),
      ...substitutions('encodePairs', [[1], [2], 3], [[null, 'x', [null], [-1], [HUGE], [1, 2]], [null, 'x', [null]], [...BAD_NUMBERS, 0]]),
      ...substitutions('decodeBits', [[0.9], 0, 1], [[null, 3, 'x'], [-1, NaN, 5], [1e9, NaN, -1]]),
      ...substitutions('stepsFor', [3], [[...BAD_NUMBERS, 0]]),
      ...substitutions('seededRng', [1], [[undefined, null, 'x', NaN, 1.5, HUGE, {}]]),
      ...substitutions('randomPairs', [rng, 4, 2], [[null, 3], BAD_NUMBERS, BAD_NUMBERS]),
      ...substitutions('exhaustivePairs', [3], [[...BAD_NUMBERS, 30]]),
      ...substitutions('carryChainPairs', [3], [[...BAD_NUMBERS, 1e6]]),
      ...substitutions('parseOperand', ['12', 'a'], [[null, undefined, 3, '9'.repeat(1e6), '-1'], [null, 3]]),
      ...substitutions('parsePairs', ['1+2'], [[null, undefined, 3, '1+2,'.repeat(5000)]]),
      ...substitutions('lengthGeneralization', [p, {}], [BAD_ADDERS, [...BAD_OPTIONS, { samples: 1e9 }, { widths: [1e6] }, { widths: 'x' }]]),
      ...substitutions('scoreEcho', [echo.params, 3, 0], [[...BAD_ADDERS, p], [...BAD_NUMBERS, 0], [undefined, ...NOT_INTEGERS]]),
      ...substitutions('testAddingProblem', [p, 100, 0], [BAD_ADDERS, [...BAD_NUMBERS, 0], [undefined, ...NOT_INTEGERS]]),
      ...substitutions('batchGradients', [p, pairs, 4, 'mse'], [BAD_ADDERS, [null, 3, { a: null, b: [] }], [...BAD_NUMBERS, 0], [null, 'bogus']]),
      ...substitutions('echoStream', [rng, 10, 3], [[null, 3], [...BAD_NUMBERS, 0], [...BAD_NUMBERS, 0]]),
      ...substitutions('addingProblemBatch', [rng, 100, 2], [[null, 3], [...BAD_NUMBERS, 0], [...BAD_NUMBERS, 0]]),
      ...substitutions('gradientFlow', [p, flow], [BAD_ADDERS, [...BAD_OPTIONS, undefined, { ...flow, bits: 1e9 }, { ...flow, samples: 1e9 }, { ...flow, loss: 'bogus' }, { ...flow, clip: 0 }]]),
      ...substitutions('inspectAdder', [p, 4, {}], [BAD_ADDERS, [...BAD_NUMBERS, 0], [...BAD_OPTIONS, { samples: 1e9 }, { maxStates: 1e9 }, { longWidths: [1e6] }]]),
      ...substitutions('fusedLSTM', [{ units: 4 }], [[...BAD_OPTIONS, undefined, {}, { units: 0 }, { units: 1e9 }, { units: 4, dropout: 0.5 }, { units: 4, activation: 'relu' }]]),
      ...substitutions('fusedSimpleRNN', [{ units: 4 }], [[...BAD_OPTIONS, undefined, {}, { units: 1.5 }, { units: 1e9 }, { units: 4, stateful: true }]]),
      ...substitutions('startServer', [{ port: 0, modelDir: dir }], [[...BAD_OPTIONS, undefined, { port: -1, modelDir: dir }, { port: 0, modelDir: null }]]),
    );
  });
  after(() => {
    api.disposeParams(adder.params);
    api.disposeParams(echo.params);
  });

  it('walks every exported function, or says why not', () => {
    const walked = new Set(cases.map(([label]) => label.split(' ')[0]));
    const functions = Object.entries(api).filter(([, value]) => typeof value === 'function').map(([name]) => name);
    const unclassified = functions.filter((name) => !walked.has(name) && NOT_WALKED[name] === undefined);
    expect(unclassified, 'exports neither walked nor in NOT_WALKED').to.deep.equal([]);
  });

  it('refuses every hostile argument with a typed one-line error, in time, leaving no tensor', async () => {
    expect(cases.length).to.be.greaterThan(300);
    const failures: string[] = [];
    for (const [label, call] of cases) {
      try {
        await expectRefusal(label, call);
      } catch (error) {
        failures.push((error as Error).message.split('\n')[0]);
      }
    }
    expect(failures, `${failures.length} of ${cases.length} calls`).to.deep.equal([]);
  });

  // Training's options, checked by the training pipeline's checkConfig: walked here as well.
  for (const [label, options] of [
    ['no options object', null],
    ['a string', 'x'],
    ['loss bogus', { loss: 'bogus' }],
    ['init bogus', { init: 'bogus' }],
    ['engine bogus', { engine: 'bogus' }],
    ['optimizer bogus', { optimizer: 'bogus' }],
    ['cell bogus', { cell: 'bogus' }],
    ['task bogus', { task: 'bogus' }],
    ['bias yes', { bias: 'yes' }],
    ['adam null', { adam: null }],
    ['bits 1e9', { bits: 1e9 }],
    ['bits NaN', { bits: NaN }],
    ['batch 1e9', { batch: 1e9 }],
    ['hidden 0', { hidden: 0 }],
    ['lr -1', { lr: -1 }],
    ['maxSamples 1e300', { maxSamples: 1e300 }],
    ['seed a huge bigint', { seed: HUGE }],
  ] as [string, unknown][]) {
    it(`train refuses ${label} before training`, async () => {
      await expectRefusal(`train(${label})`, () => (api.train as (o: unknown) => unknown)(options));
    });
  }

  it('names the option in the API\'s words, with a stable code', async () => {
    const error = await api.gradcheck({ batch: 1e9 }).catch((e) => e);
    expect(error).to.be.instanceOf(api.OptionError);
    expect(error.code).to.equal('limit');
    expect(error.options).to.deep.equal(['batch']);
    expect(error.message).to.equal('batch must be an integer from 1 to 1024, got 1000000000');
    expect(error.worded(api.asFlag)).to.equal('--batch must be an integer from 1 to 1024, got 1000000000');
  });
});
