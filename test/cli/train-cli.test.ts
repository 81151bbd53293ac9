// `rnn-adder train` as a user runs it (the real binary: stdout, stderr, exit code, files), and its progress output.
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { PROGRESS_LINE_SECONDS, trainingProgress } from '../../src/cli/progress';
import { disposeParams } from '../../src/engine/params';
import { loadModel } from '../../src/io';
import { TaskName } from '../../src/tasks/task';
import { snapshot, tempDir } from '../support/adders';
import { CliRun, expectOneLineError, runCli } from '../support/cli';

const cli = (args: string[], cwd: string): Promise<CliRun> => runCli(args, { cwd });

describe('rnn-adder train', () => {
  let cwd: string;
  before(async () => {
    await initBackend();
    cwd = await tempDir('train');
  });
  after(async () => {
    await fs.rm(cwd, { recursive: true, force: true });
  });

  it('trains, saves a model that loads, and prints one JSON object', async () => {
    const run = await cli(['train', '--bits', '4', '--seed', '1', '--out', 'adder-4', '--json'], cwd);
    expect(run.stderr).to.equal(''); // no progress with --json
    expect(run.status).to.equal(0);
    const json = JSON.parse(run.stdout);
    expect(json).to.include({ bits: 4, hidden: 16, engine: 'fused', exact: true, out: path.join(cwd, 'adder-4') });
    expect(json.backend).to.be.a('string');
    expect(json.verified).to.deep.equal({ method: 'exhaustive', pairs: 256, accuracy: 1 });
    expect(json.history[0]).to.have.all.keys('samples', 'loss', 'accuracy', 'seconds');
    expect(json.history[json.history.length - 1].samples, 'the last point counts the pairs trained on').to.equal(json.samples);
    const { metadata, params } = await loadModel(path.join(cwd, 'adder-4'));
    disposeParams(params);
    expect(metadata).to.include({ bits: 4, hidden: 16, optimizer: 'adam', engine: 'fused', seed: 1, samples: json.samples });
    expect(metadata.accuracy).to.deep.equal({ value: 1, method: 'exhaustive', count: 256 });
  });

  it('loads only what a fused run uses: no gradient check, analyses, plots, server or package index', async () => {
    const list = path.join(cwd, 'loaded.txt');
    const preload = path.join(__dirname, '..', 'support', 'loaded-modules.js');
    const env = { ...process.env, NODE_OPTIONS: `--require ${preload}`, LOADED_MODULES_FILE: list };
    const run = await runCli(['train', '--bits', '3', '--seed', '2', '--out', 'loads-3', '--json'], { cwd, env });
    expect(run.status, run.stderr).to.equal(0);
    const src = path.resolve(__dirname, '..', '..', 'src');
    const loaded = (await fs.readFile(list, 'utf8')).split('\n').filter((file) => file.startsWith(src + path.sep));
    const own = loaded.map((file) => path.relative(src, file).split(path.sep).join('/'));
    expect(own, 'the run loaded its own modules').to.include.members(['train/train.js', 'engine/fused/elman-kernel.js']);
    // The parser loads every command's flags, with gradcheck's and inspect's tfjs-free defaults.
    const parserDefaults = ['check/gradcheck-config.js', 'analysis/inspect-options.js'];
    const unused = own.filter((file) => /^(check|analysis|plot|serve)\/|^index\.js$/.test(file));
    expect(unused.filter((file) => !parserDefaults.includes(file)), 'modules a fused run does not use').to.deep.equal([]);
  });

  it('says its configuration first, then how the adder was verified and where it went', async () => {
    const run = await cli(['train', '--bits', '3', '--seed', '2', '--out', 'adder-3'], cwd);
    expect(run.status).to.equal(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).to.match(/^3-bit adder, hidden 16, engine fused, backend \w+ \(adam lr 0\.1, batch 64, mse, seed 2\)$/);
    expect(lines[1]).to.match(/^[\d,]+ training pairs in \d+\.\d\d s$/);
    expect(lines.slice(2)).to.deep.equal(['exact: every sum right (exhaustive, 64 pairs)', `saved to ${path.join(cwd, 'adder-3')}`, '']);
  });

  it('names the adding problem\'s Adam and the LSTM\'s chrono initialisation in its configuration line', async () => {
    const argv = ['train', '--task', 'adding-problem', '--length', '10', '--cell', 'lstm', '--max-samples', '64', '--out', 'ap-10'];
    const run = await cli(argv, cwd);
    expect(run.stdout.split('\n')[0]).to.match(
      /^adding problem, T = 10, lstm, hidden 16, engine fused, backend \w+ \(adam β1 0\.9 β2 0\.999 lr 0\.01, batch 64, mse, chrono init, seed 0\)$/,
    );
  });

  it('refuses to replace a model without --force, before training, and leaves it as it was', async () => {
    const before = await snapshot(path.join(cwd, 'adder-4'));
    const run = await cli(['train', '--bits', '4', '--out', 'adder-4'], cwd);
    expectOneLineError(run, `${path.join(cwd, 'adder-4')} already holds a model: pass --force to replace it`, 2);
    expect(await snapshot(path.join(cwd, 'adder-4'))).to.deep.equal(before);
  });

  it('with --force, saves nothing over the model unless the new adder is exact, and exits 1', async () => {
    const before = await snapshot(path.join(cwd, 'adder-4'));
    const run = await cli(['train', '--bits', '8', '--max-samples', '64', '--out', 'adder-4', '--force'], cwd);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.match(/NOT exact: [0-9.]+% of sums right \(exhaustive, 65,536 pairs\)/);
    expect(run.stdout).to.contain('nothing saved');
    expect(await snapshot(path.join(cwd, 'adder-4'))).to.deep.equal(before);
  });

  it('with --force, stops a diverging run with one line and the hint, the model untouched', async () => {
    const before = await snapshot(path.join(cwd, 'adder-4'));
    const run = await cli(['train', '--bits', '4', '--lr', '1000000', '--out', 'adder-4', '--force'], cwd);
    expect(run.stdout, 'the configuration line').to.match(/^4-bit adder, .*\n$/);
    expectOneLineError({ ...run, stdout: '' }, /^training diverged after 64 pairs \(.*\): lower --lr \(it was 1000000\) or clip the gradient with --clip 1$/, 1);
    expect(await snapshot(path.join(cwd, 'adder-4'))).to.deep.equal(before);
  });

  it('stops a run that cannot succeed early, with a hint that fits the cause', async () => {
    const run = await cli(['train', '--hidden', '2', '--out', 'never'], cwd);
    expect(run.status).to.equal(1);
    expect(run.stdout).to.match(
      /\nNOT exact: [0-9.]+% of sums right \(exhaustive, 65,536 pairs\); stopped early: the mean loss (fell only|rose) [0-9.]+% over the last 32,000 pairs: 2 hidden units may be too few, try --hidden 8 or more\nnothing saved\n$/,
    );
    expect(await fs.readdir(cwd)).to.not.include('never');
  });
});

describe('training progress', () => {
  const point = (seconds: number) => ({ samples: 1000 * seconds, loss: 0.01, accuracy: 0.5, seconds });

  /** Feeds history points at `seconds` to the progress of a stream that is or is not a terminal. */
  function written(seconds: number[], options: { isTTY: boolean; json: boolean; task?: TaskName }): string[] {
    const lines: string[] = [];
    const stream = { isTTY: options.isTTY, write: (text: string) => lines.push(text) > 0 };
    const progress = trainingProgress(options.json, options.task ?? 'add', stream);
    for (const s of seconds) progress?.hooks.onProgress?.(point(s));
    progress?.stop();
    return lines;
  }

  it(`off a terminal, prints a plain line every ${PROGRESS_LINE_SECONDS} s or so, not at every point`, () => {
    const seconds = [0.5, 1, 4.9, 5.2, 6, 9, 10.1, 10.3, 16];
    expect(written(seconds, { isTTY: false, json: false })).to.deep.equal([
      'training: 5,200 pairs, loss 1.00e-2, 50% exact sums, 1,000 pairs/s, 5 s\n',
      'training: 10,300 pairs, loss 1.00e-2, 50% exact sums, 1,000 pairs/s, 10 s\n',
      'training: 16,000 pairs, loss 1.00e-2, 50% exact sums, 1,000 pairs/s, 16 s\n',
    ]);
  });

  it('speaks of what each long-lag task trains on and of its own rule, not of pairs and sums', () => {
    expect(written([5], { isTTY: false, json: false, task: 'echo' })).to.deep.equal([
      'training: 5,000 stream bits, loss 1.00e-2, 50% bits echoed, 1,000 stream bits/s, 5 s\n',
    ]);
    expect(written([5], { isTTY: false, json: false, task: 'adding-problem' })).to.deep.equal([
      'training: 5,000 sequences, loss 1.00e-2, 50% sequences right, 1,000 sequences/s, 5 s\n',
    ]);
  });

  it('prints nothing with --json, on a terminal or not', () => {
    expect(written([1, 6, 12], { isTTY: false, json: true })).to.deep.equal([]);
    expect(trainingProgress(true, 'add', { isTTY: true, write: () => true })).to.equal(undefined);
  });
});
