// The add, eval and grads commands, run as the real binary: stdout, stderr and exit code.
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { batchGradients } from '../../src/check/batch-grads';
import { DEFAULT_MODEL_DIR } from '../../src/cli/model-option';
import { loadModel } from '../../src/io';
import { parsePairs } from '../../src/data/operands';
import { disposeParams, initParams, ParamName } from '../../src/engine/params';
import { editModelJSON, exactAdderParams, saveFixture, snapshot, tempDir } from '../support/adders';
import { CliRun, expectOneLineError, runCli, runCliAll } from '../support/cli';

/** Child processes at once: the machine has 2 cores. */
const CONCURRENCY = 3;
/** float32 sums in the same order on the same backend, printed and re-read: equal up to rounding. */
const SAME_BACKEND_TOL = 1e-6;

// The children inherit RNN_ADDER_BACKEND: they run on the suite's backend, so their gradients match this process's.
const run = (args: string[]): Promise<CliRun> => runCli(args);
const runAll = (cases: string[][]): Promise<CliRun[]> => runCliAll(cases, CONCURRENCY);

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
    for (const name of ['truncated', 'garbage', 'escaping']) dirs[name] = await saveFixture(path.join(root, name), exact);
    [exact, untrained, noBias].forEach(disposeParams);
    const bin = path.join(dirs.truncated, 'weights.bin');
    await fs.writeFile(bin, (await fs.readFile(bin)).subarray(0, 80));
    await fs.writeFile(path.join(dirs.garbage, 'model.json'), '{"modelTopology": ');
    await editModelJSON(dirs.escaping, (j) => (j.weightsManifest[0].paths = ['../exact/weights.bin']));
    dirs.missing = path.join(root, 'missing');
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('refuses bad input with one line on stderr, a non-zero exit, and the models untouched', () => {
    // [arguments, exit code, stderr after "rnn-adder: "], with <name> standing for the fixture directory `name`.
    // One of each kind the binary must turn into one line: a usage error (exit 2), a bad operand or pair list,
    // and a bad model for each command that loads one (exit 1). The parser's refusals: cli-parse.test.ts; the
    // operands': operands.test.ts; every broken model: io-validate.test.ts.
    const cases: [string[], number, string | RegExp][] = [
      [['add', '3', '--model', '<exact>'], 2, 'Not enough non-option arguments: got 1, need at least 2 (see --help)'],
      [['add', '-5', '3', '--model', '<exact>'], 2, 'the first operand must be non-negative, got "-5"'],
      [['grads', '--model', '<exact>', '--pairs', '3+5,300+1'], 1, 'operand 300 needs 9 bits, more than --bits 8 (T = 9 steps)'],
      [['add', '3', '4', '--model', '<truncated>'], 1, '<truncated>/weights.bin holds 80 bytes, but model.json declares 88'],
      [['eval', '--model', '<garbage>'], 1, '<garbage>/model.json is not valid JSON (Unexpected end of JSON input)'],
      [['grads', '--model', '<escaping>', '--pairs', '3+5'], 1, '<escaping>/model.json: weight file path "../exact/weights.bin" is outside the model directory'],
      [['add', '3', '4', '--model', '<missing>'], 1, 'no model at <missing>: the directory does not exist'],
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
      const r = await run(['add', ...big, '--model', dirs.exact]);
      expect([r.status, r.stdout, r.stderr]).to.deep.equal([0, `${BigInt(big[0]) + BigInt(big[1])}\n`, '']);
    });

    it('says so, loudly, when the model gets a sum wrong (exit 3)', async () => {
      const r = await run(['add', '200', '55', '--model', dirs.untrained]);
      expect(r.status).to.equal(3);
      expect(r.stdout).to.match(/^\d+\n$/);
      expect(r.stderr).to.equal(`rnn-adder: the model's sum is wrong: 200 + 55 = 255, the model says ${r.stdout.trim()}\n`);
    });

    it('prints the steps with --trace, and one JSON object with --json', async () => {
      const [trace, traceJson] = await runAll([
        ['add', '200', '55', '--model', dirs.exact, '--trace'],
        ['add', '6', '7', '--model', dirs.exact, '--trace', '--json'],
      ]);
      const out = JSON.parse(traceJson.stdout);
      expect(Object.keys(out)).to.deep.equal(['a', 'b', 'sum', 'expected', 'correct', 'backend', 'model', 'steps']);
      expect(out).to.include({ a: '6', b: '7', sum: '13', expected: '13', correct: true, model: dirs.exact });
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

      const steps = out.steps;
      expect(steps).to.have.length(4);
      expect(steps.map((s: { a: number; b: number; bit: number; want: number }) => [s.a, s.b, s.bit, s.want])).to.deep.equal([
        [0, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 1, 1],
      ]);
      expect(steps[0].state).to.have.length(3);
    });

    it('uses the shipped default model from any working directory, on the backend RNN_ADDER_BACKEND names', async () => {
      const r = await runCli(['add', '3', '4', '--json'], { cwd: root, env: { ...process.env, RNN_ADDER_BACKEND: 'cpu' } });
      const shipped = await fs.stat(DEFAULT_MODEL_DIR).then(() => true, () => false);
      if (shipped) {
        expect([r.status, r.stderr]).to.deep.equal([0, '']);
        expect(JSON.parse(r.stdout)).to.include({ sum: '7', backend: 'cpu', model: DEFAULT_MODEL_DIR });
      } else {
        expectOneLineError(r, `the default model ${DEFAULT_MODEL_DIR} is not there: train it (npm run train:16) or pass --model DIR`, 1);
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
  });
});
