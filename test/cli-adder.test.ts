// The add, eval and grads commands, run as the real binary: stdout, stderr and exit code.
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../src/backend';
import { batchGradients } from '../src/check/batch-grads';
import { DEFAULT_MODEL_DIR } from '../src/cli/commands/add';
import { loadModel } from '../src/io';
import { parsePairs } from '../src/data/operands';
import { disposeParams, initParams, ParamName } from '../src/engine/params';
import { editModelJSON, exactAdderParams, saveFixture, snapshot, tempDir } from './support/adders';
import { CliRun, expectOneLineError, runCli, runCliAll } from './support/cli';

/** Child processes at once: the machine has 2 cores. */
const CONCURRENCY = 3;
/** float32 sums in the same order on the same backend, printed and re-read: equal up to rounding. */
const SAME_BACKEND_TOL = 1e-6;

/** The default backend, whatever backend the suite itself was asked to run on. */
const CLI_ENV = { ...process.env, RNN_ADDER_BACKEND: '' };
const run = (args: string[], cwd?: string): Promise<CliRun> => runCli(args, { cwd, env: CLI_ENV });
const runAll = (cases: string[][]): Promise<CliRun[]> => runCliAll(cases, CONCURRENCY, { env: CLI_ENV });

function maxRelDiff(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    expect(a.length).to.equal(b.length);
    return Math.max(0, ...a.map((v, i) => maxRelDiff(v, b[i])));
  }
  const [x, y] = [a as number, b as number];
  return Math.abs(x - y) / Math.max(1e-12, Math.abs(x), Math.abs(y));
}

describe('cli: add, eval and grads on the real binary', function () {
  this.timeout(120000);
  let root: string;
  const dirs: Record<string, string> = {};

  before(async () => {
    await initBackend();
    root = await tempDir('cli');
    const exact = exactAdderParams();
    const untrained = initParams({ hidden: 4, bias: true }, 1);
    const noBias = initParams({ hidden: 3, bias: false }, 2);
    dirs.exact = await saveFixture(path.join(root, 'exact'), exact);
    dirs.untrained = await saveFixture(path.join(root, 'untrained'), untrained);
    dirs.noBias = await saveFixture(path.join(root, 'no-bias'), noBias);
    for (const name of ['truncated', 'garbage', 'escaping', 'tanh']) dirs[name] = await saveFixture(path.join(root, name), exact);
    [exact, untrained, noBias].forEach(disposeParams);
    const bin = path.join(dirs.truncated, 'weights.bin');
    await fs.writeFile(bin, (await fs.readFile(bin)).subarray(0, 80));
    await fs.writeFile(path.join(dirs.garbage, 'model.json'), '{"modelTopology": ');
    await editModelJSON(dirs.escaping, (j) => (j.weightsManifest[0].paths = ['../exact/weights.bin']));
    await editModelJSON(dirs.tanh, (j) => (j.modelTopology.config.layers[0].config.activation = 'tanh'));
    dirs.empty = path.join(root, 'empty');
    await fs.mkdir(dirs.empty);
    dirs.missing = path.join(root, 'missing');
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('refuses bad input with one line on stderr, a non-zero exit, and the models untouched', () => {
    // [arguments, exit code, stderr after "rnn-adder: "], with <name> standing for the fixture directory `name`.
    const cases: [string[], number, string | RegExp][] = [
      [['add', '-5', '3', '--model', '<exact>'], 1, 'the first operand must be non-negative, got "-5"'],
      [['add', '3', '1.5', '--model', '<exact>'], 1, 'the second operand must be a whole number, got "1.5"'],
      [['add', 'abc', '3', '--model', '<exact>'], 1, 'the first operand must be a non-negative integer in decimal digits, got "abc"'],
      [['add', '1e3', '3', '--model', '<exact>'], 1, 'the first operand must be written out in decimal digits, not as an exponent: got "1e3"'],
      [['add', '3', '--model', '<exact>'], 2, 'Not enough non-option arguments: got 1, need at least 2 (see --help)'],
      [['add', '3', '4', '--model', '<exact>', '--frob'], 2, 'Unknown argument: frob (see --help)'],
      [['add', '3', '4', '--model'], 2, '--model needs a value (see --help)'],
      [['add', '3', '4', '--model', '<missing>'], 1, 'no model at <missing>: the directory does not exist'],
      [['add', '3', '4', '--model', '<empty>'], 1, 'no model in <empty>: the directory is empty'],
      [['add', '3', '4', '--model', '<truncated>'], 1, '<truncated>/weights.bin holds 80 bytes, but model.json declares 88'],
      [['add', '3', '4', '--model', '<garbage>'], 1, '<garbage>/model.json is not valid JSON (Unexpected end of JSON input)'],
      [['add', '3', '4', '--model', '<escaping>'], 1, '<escaping>/model.json: weight file path "../exact/weights.bin" is outside the model directory'],
      [['add', '3', '4', '--model', '<tanh>'], 1, '<tanh>/model.json: layer rnn has activation "tanh", expected "sigmoid"'],
      [['eval', '--model', '<exact>', '--bits', '0'], 2, '--bits must be between 1 and 1024, got 0'],
      [['eval', '--model', '<exact>', '--bits', 'abc'], 2, '--bits expects a number, got "abc"'],
      [['eval', '--model', '<exact>', '--bits', '2.5'], 2, '--bits expects an integer, got "2.5"'],
      [['eval', '--model', '<exact>', '--samples', '0'], 2, '--samples must be between 1 and 100000, got 0'],
      [['eval'], 2, 'Missing required argument: model (see --help)'],
      [['eval', '--model'], 2, '--model needs a value (see --help)'],
      [['eval', '--model', '<exact>', '--frob'], 2, 'Unknown argument: frob (see --help)'],
      [['eval', '--model', '<exact>', 'extra'], 2, 'Unknown argument: extra (see --help)'],
      [['eval', '--model', '<exact>', '--bits'], 2, '--bits needs a value (see --help)'],
      [['eval', '--model', '<exact>', '--samples', '--bits', '4'], 2, '--samples needs a value (see --help)'],
      [['eval', '--model', '<exact>', '--bits', '4', '--bits', '5'], 2, '--bits is given twice ("4", "5"); give it once'],
      [['eval', '--model', '<truncated>'], 1, '<truncated>/weights.bin holds 80 bytes, but model.json declares 88'],
      [['eval', '--model', '<empty>'], 1, 'no model in <empty>: the directory is empty'],
      [['grads', '--model', '<exact>', '--pairs', '3-5'], 1, 'pair 1 of --pairs is "3-5": expected A+B, as in "3+5,200+55"'],
      [['grads', '--model', '<exact>', '--pairs', '-3+5'], 1, 'the left operand of pair 1 ("-3+5") must be non-negative, got "-3"'],
      [['grads', '--model', '<exact>', '--pairs', '3+5,300+1'], 1, 'operand 300 needs 9 bits, more than --bits 8 (T = 9 steps)'],
      [['grads', '--model', '<exact>', '--pairs', '3+5', '--bits', '0'], 2, '--bits must be between 1 and 1024, got 0'],
      [['grads', '--model', '<exact>', '--pairs', '3+5', '--loss', 'foo'], 2, 'Invalid values: Argument: loss, Given: "foo", Choices: "mse", "bce" (see --help)'],
      [['grads', '--model', '<exact>'], 2, 'Missing required argument: pairs (see --help)'],
      [['grads', '--model', '<exact>', '--pairs'], 2, '--pairs needs a value (see --help)'],
      [['grads', '--model', '<exact>', '--pairs', '3+5', '--json', '--frob'], 2, 'Unknown argument: frob (see --help)'],
      [['grads', '--model', '<exact>', '--pairs', '3+5', '--bits', '2.5'], 2, '--bits expects an integer, got "2.5"'],
      [['grads', '--model', '<exact>', '--pairs', '3+5', '--loss'], 2, '--loss needs a value (see --help)'],
      [['grads', '--model', '<escaping>', '--pairs', '3+5'], 1, '<escaping>/model.json: weight file path "../exact/weights.bin" is outside the model directory'],
      [['grads', '--model', '<garbage>', '--pairs', '3+5'], 1, '<garbage>/model.json is not valid JSON (Unexpected end of JSON input)'],
      [['frob'], 2, 'Unknown argument: frob (see --help)'],
      [['--frob'], 2, 'Name a command (see --help)'],
      [['add', '1', '2', '--model', '<exact>', '--backend'], 2, '--backend needs a value (see --help)'],
      [['add', '1', '2', '--backend', 'foo'], 2, 'Invalid values: Argument: backend, Given: "foo", Choices: "auto", "tensorflow", "wasm", "cpu" (see --help)'],
    ];
    const fill = (text: string) => text.replace(/<(\w+)>/g, (_, name: string) => dirs[name]);
    let results: CliRun[];
    let untouched: Record<string, Record<string, string>>;

    before(async () => {
      untouched = {};
      for (const [name, dir] of Object.entries(dirs)) {
        if (await fs.stat(dir).then((s) => s.isDirectory(), () => false)) untouched[name] = await snapshot(dir);
      }
      results = await runAll(cases.map(([args]) => args.map(fill)));
    });

    cases.forEach(([args, code, message], i) => {
      it(args.join(' '), () => {
        expectOneLineError(results[i], message instanceof RegExp ? message : fill(message), code);
      });
    });

    it('left every model directory byte for byte as it was', async () => {
      for (const [name, files] of Object.entries(untouched)) expect(await snapshot(dirs[name]), name).to.deep.equal(files);
      expect(await fs.stat(dirs.missing).then(() => true, () => false), 'a missing model was created').to.equal(false);
    });
  });

  describe('answers', () => {
    it('adds exactly, at any size, with a model that adds exactly', async () => {
      const big = ['123456789012345678901234567890', '987654321098765432109876543210'];
      const [a, b, c, d] = await runAll([
        ['add', '200', '55', '--model', dirs.exact],
        ['add', '65535', '1', '--model', dirs.exact],
        ['add', ...big, '--model', dirs.exact],
        ['add', '0', '0', '--model', dirs.exact],
      ]);
      expect([a, b, c, d].map((r) => [r.status, r.stdout, r.stderr])).to.deep.equal([
        [0, '255\n', ''],
        [0, '65536\n', ''],
        [0, `${BigInt(big[0]) + BigInt(big[1])}\n`, ''],
        [0, '0\n', ''],
      ]);
    });

    it('says so, loudly, when the model gets a sum wrong (exit 3)', async () => {
      const r = await run(['add', '200', '55', '--model', dirs.untrained]);
      expect(r.status).to.equal(3);
      expect(r.stdout).to.match(/^\d+\n$/);
      expect(r.stderr).to.equal(`rnn-adder: the model's sum is wrong: 200 + 55 = 255, the model says ${r.stdout.trim()}\n`);
    });

    it('prints one JSON object with --json, and the steps with --trace', async () => {
      const [json, trace, traceJson] = await runAll([
        ['add', '3', '5', '--model', dirs.exact, '--json'],
        ['add', '200', '55', '--model', dirs.exact, '--trace'],
        ['add', '6', '7', '--model', dirs.exact, '--trace', '--json'],
      ]);
      const out = JSON.parse(json.stdout);
      expect(Object.keys(out)).to.deep.equal(['a', 'b', 'sum', 'expected', 'correct', 'backend', 'model']);
      expect(out).to.include({ a: '3', b: '5', sum: '8', expected: '8', correct: true, model: dirs.exact });
      expect(out.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);

      const lines = trace.stdout.trimEnd().split('\n');
      expect(lines[0]).to.match(/^200 \+ 55 on 9 steps, model .*exact \(H = 3\), backend (wasm|cpu|tensorflow)$/);
      expect(lines[1]).to.match(/^ t {2}a b {3}ŷ_t {4}bit true {3}s_t \(H = 3/);
      expect(lines).to.have.length(2 + 9 + 1);
      // 200 = 11001000, 55 = 00110111 (LSB first: t = 0 is 0 and 1): never a carry, so at every step one unit,
      // "at least one 1", is on (█) and the others off (▁); the last step has no input and no carry-out.
      expect(lines[2]).to.equal(' 0  0 1  1.0000    1   1    █▁▁');
      expect(lines[10]).to.equal(' 8  0 0  0.0000    0   0    ▁▁▁');
      expect(lines[11]).to.equal('255');

      const steps = JSON.parse(traceJson.stdout).steps;
      expect(steps).to.have.length(4);
      expect(steps.map((s: { a: number; b: number; bit: number; want: number }) => [s.a, s.b, s.bit, s.want])).to.deep.equal([
        [0, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 1, 1],
      ]);
      expect(steps[0].state).to.have.length(3);
    });

    it('uses the shipped default model from any working directory, or says it is missing', async () => {
      const r = await run(['add', '200', '55'], root);
      const shipped = await fs.stat(DEFAULT_MODEL_DIR).then(() => true, () => false);
      if (shipped) {
        expect([r.status, r.stdout, r.stderr]).to.deep.equal([0, '255\n', '']);
      } else {
        expect(r.status).to.equal(1);
        expect(r.stderr).to.equal(
          `rnn-adder: the default model ${DEFAULT_MODEL_DIR} is not there: train it (npm run train:16) or pass --model DIR\n`,
        );
      }
    });

    it('evaluates: exhaustive at the width, per bit, and at 16, 32 and 64 bits', async () => {
      const [json, text] = await runAll([
        ['eval', '--model', dirs.exact, '--bits', '4', '--samples', '50', '--json'],
        ['eval', '--model', dirs.exact, '--bits', '3', '--samples', '20'],
      ]);
      expect(json.status, json.stderr).to.equal(0);
      const out = JSON.parse(json.stdout);
      expect(out.accuracy).to.include({ bits: 4, method: 'exhaustive', pairs: 256, correct: 256, accuracy: 1 });
      expect(out.accuracy.bitAccuracy).to.deep.equal([1, 1, 1, 1, 1]);
      expect(out.lengthGeneralization.map((g: { bits: number; pairs: number; accuracy: number; method: string }) =>
        [g.bits, g.method, g.pairs, g.accuracy])).to.deep.equal([
        [16, 'sampled', 64, 1], [32, 'sampled', 64, 1], [64, 'sampled', 64, 1],
      ]);
      expect(text.stdout).to.contain('3 bits: 100.00% exact (64 of 64 pairs, exhaustive)');
      expect(text.stdout).to.contain('  64 bits: 100.00% exact (34 of 34 pairs, sampled)');
    });

    it('prints the hand-BPTT loss and gradients as {"loss", "grads"} in the parameter shapes', async () => {
      const [withBias, noBias, bce] = await runAll([
        ['grads', '--model', dirs.untrained, '--pairs', '3+5,200+55', '--json'],
        ['grads', '--model', dirs.noBias, '--pairs', '3+5', '--json'],
        ['grads', '--model', dirs.untrained, '--pairs', '255+1,0+0', '--bits', '10', '--loss', 'bce', '--json'],
      ]);
      const checks: [CliRun, string, string, number, 'mse' | 'bce', string[]][] = [
        [withBias, dirs.untrained, '3+5,200+55', 8, 'mse', ['Wx', 'Ws', 'bs', 'Wy', 'by']],
        [noBias, dirs.noBias, '3+5', 8, 'mse', ['Wx', 'Ws', 'Wy']],
        [bce, dirs.untrained, '255+1,0+0', 10, 'bce', ['Wx', 'Ws', 'bs', 'Wy', 'by']],
      ];
      for (const [r, dir, pairs, bits, kind, names] of checks) {
        expect(r.status, r.stderr).to.equal(0);
        const out = JSON.parse(r.stdout);
        expect(Object.keys(out)).to.deep.equal(['loss', 'grads']);
        expect(Object.keys(out.grads)).to.deep.equal(names);
        const { params, config } = await loadModel(dir);
        const H = config.hidden;
        const shapes: Record<string, number[]> = { Wx: [2, H], Ws: [H, H], bs: [H], Wy: [H, 1], by: [1] };
        for (const name of names) {
          const g = out.grads[name];
          const shape = Array.isArray(g[0]) ? [g.length, g[0].length] : [g.length];
          expect(shape, name).to.deep.equal(shapes[name]);
        }
        const expected = batchGradients(params, parsePairs(pairs), bits, kind);
        disposeParams(params);
        const lossDiff = maxRelDiff(out.loss, expected.loss);
        expect(lossDiff, `loss ${out.loss} vs ${expected.loss}`).to.be.at.most(SAME_BACKEND_TOL);
        for (const name of names) {
          const diff = maxRelDiff(out.grads[name], expected.grads[name as ParamName]);
          expect(diff, `d${name}: max relative difference ${diff.toExponential(2)} (${pairs}, ${kind})`).to.be.at.most(SAME_BACKEND_TOL);
        }
      }
    });

    it('has --help with examples for each command', async () => {
      const results = await runAll([['add', '--help'], ['eval', '--help'], ['grads', '--help']]);
      for (const r of results) {
        expect(r.status).to.equal(0);
        expect(r.stdout).to.contain('Examples:');
      }
      expect(results[0].stdout).to.contain('rnn-adder add 200 55');
      const bitsHelp = /\n\s+--bits\s[\s\S]*?(?=\n\s+--)/.exec(results[1].stdout)?.[0];
      expect(bitsHelp, 'eval --help describes --bits').to.contain('Operand width');
      expect(bitsHelp, 'a number flag is not labelled [string]').to.not.contain('[string]');
    });
  });
});
