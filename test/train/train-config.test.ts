// A training run's options, resolved and checked once where they enter: the API's wording, the CLI's flags, the
// default --out that never names a shipped model, and --plot refused inside the model directory. Free of tfjs.
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultModelDir, TRAINED_DIR } from '../../src/cli/train-config';
import { asFlag, OptionError, UsageError } from '../../src/errors';
import { defaultConfig, defaultTaskConfig, resolveConfig, TrainOptions } from '../../src/train/config';
import { parseCli } from '../support/parse';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('training options, resolved once', () => {
  it('fill in the task\'s defaults for the cell and optimizer, as `rnn-adder train` does', () => {
    expect(resolveConfig()).to.deep.equal(defaultConfig(8));
    expect(resolveConfig({ bits: 16, optimizer: 'sgd' })).to.deep.equal(defaultConfig(16, 'sgd'));
    expect(resolveConfig({ task: 'echo' })).to.deep.equal(defaultTaskConfig('echo'));
    // The engine follows the cell, the task and the truncation; chrono the adding problem's LSTM.
    expect(resolveConfig({ tbptt: 4 })).to.include({ engine: 'bptt', tbptt: 4 });
    expect(resolveConfig({ task: 'adding-problem', cell: 'lstm' })).to.include({ init: 'chrono', engine: 'fused', length: 100 });
  });

  const refused: [TrainOptions | unknown, RegExp, string?][] = [
    [{ lr: -1 }, /^lr must be a number greater than 0, got -1$/, '--lr must be a number greater than 0, got -1'],
    [{ task: 'echo', tbptt: 2001, maxSamples: 10_000 }, /^tbptt 2001 is longer than the stream it would cut \(2000 steps: maxSamples \/ batch\)$/,
      '--tbptt 2001 is longer than the stream it would cut (2000 steps: --max-samples / --batch)'],
    [{ task: 'echo', bits: 8 }, /^bits belongs to task add, not echo$/, '--bits belongs to --task add, not echo'],
    [{ optimizer: 'momentum', adam: { epsilon: 1e-8 } }, /^epsilon belongs to optimizer adam, not momentum$/],
    [{ maxSamples: 0 }, /^maxSamples must be an integer from 1 to 100000000, got 0$/, '--max-samples must be an integer from 1 to 100000000, got 0'],
    [{ hidden: 1024, batch: 4096 }, /^4096 × 9 steps × H 1024 is 37\.7 million hidden states .*: lower batch, bits or hidden$/],
    [{ loss: 'bogus' }, /^loss must be one of mse, bce, got "bogus"$/],
    [{ optimizer: 'bogus' }, /^optimizer must be one of sgd, momentum, adam, got "bogus"$/],
    [{ engine: 'gpu' }, /^engine must be one of fused, bptt, autodiff, got "gpu"$/],
    [{ bits: '8' }, /^bits must be a number, got "8"$/],
    [{ bias: 'no' }, /^bias must be true or false, got "no"$/],
    [{ adam: null }, /^adam must be an object such as \{ beta1: 0\.9 \}, got null$/],
    [{ adam: { beta: 0.9 } }, /^adam takes beta1, beta2, epsilon, not "beta"$/],
  ];
  for (const [options, api, cli] of refused) {
    it(`refuse ${JSON.stringify(options)} with an OptionError that names the option`, () => {
      let error: unknown;
      try {
        resolveConfig(options as TrainOptions);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).to.be.instanceOf(OptionError);
      expect((error as OptionError).message).to.match(api);
      if (cli !== undefined) expect((error as OptionError).worded(asFlag)).to.equal(cli);
    });
  }

  it('refuse what is not an object of known options as a usage error, with the option meant', () => {
    for (const [options, message] of [
      [null, 'training options must be an object such as { bits: 8 }, got null'],
      [8, 'training options must be an object such as { bits: 8 }, got 8'],
      [{ bitz: 8 }, '"bitz" is not a training option (did you mean bits?)'],
      [{ learningRate: 0.1 }, '"learningRate" is not a training option'],
    ] as const) {
      expect(() => resolveConfig(options as unknown as TrainOptions), JSON.stringify(options)).to.throw(UsageError, message);
    }
  });
});

describe('train\'s default --out', () => {
  const shipped = execFileSync('git', ['ls-files', 'models'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file.endsWith('/model.json'))
    .map((file) => path.dirname(file));

  it('names the cell, the width or the task\'s setting, and a seed other than 0, in an untracked folder', () => {
    const names: [TrainOptions, string][] = [
      [{}, 'adder-8'],
      [{ bits: 16 }, 'adder-16'],
      [{ cell: 'lstm' }, 'lstm-8'],
      [{ cell: 'gru', bits: 16, seed: 2 }, 'gru-16-seed-2'],
      [{ task: 'echo' }, 'echo-3'],
      [{ task: 'echo', cell: 'lstm', delay: 5, seed: 1 }, 'lstm-echo-5-seed-1'],
      [{ task: 'adding-problem' }, 'adding-problem-100'],
      [{ task: 'adding-problem', cell: 'lstm', length: 20 }, 'lstm-adding-problem-20'],
    ];
    for (const [options, name] of names) expect(defaultModelDir(resolveConfig(options)), JSON.stringify(options)).to.equal(path.join(TRAINED_DIR, name));
  });

  it(`never points at a shipped model (${shipped.length} of them), and ${TRAINED_DIR}/ is ignored by git`, async () => {
    expect(shipped).to.include.members(['models/adder-8', 'models/adder-16', 'models/lstm-8', 'models/gru-8']);
    for (const cell of ['elman', 'lstm', 'gru'] as const) {
      for (const bits of [8, 16]) expect(shipped).to.not.include(defaultModelDir(resolveConfig({ cell, bits })));
    }
    const ignored = execFileSync('git', ['check-ignore', '--no-index', path.join(TRAINED_DIR, 'adder-8', 'model.json')], { cwd: ROOT, encoding: 'utf8' });
    expect(ignored.trim()).to.equal(path.join(TRAINED_DIR, 'adder-8', 'model.json'));
  });

  it('--plot inside the model directory is refused before training; beside it, taken', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-train-plot-'));
    try {
      const out = path.join(root, 'model');
      for (const plot of [out, path.join(out, 'pictures')]) {
        const { usage, command } = await parseCli(['train', '--out', out, '--plot', plot]);
        expect(command).to.equal(undefined);
        expect(usage).to.equal(`--plot ${plot} is inside the model directory ${out}: write the picture elsewhere`);
      }
      const beside = await parseCli(['train', '--out', out, '--plot', path.join(root, 'model-pictures')]);
      expect(beside.usage).to.equal(undefined);
      expect(beside.command).to.equal('train');
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
