// What the binary loads before it answers: --help, --version and usage errors must not load tfjs (a command's work,
// tfjs with it, is imported only when the command runs).
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { constants, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { tempDir } from '../support/adders';

const HOOK = path.join(__dirname, '..', 'support', 'loaded-modules.js');

/** Runs the binary with the hook; its exit status, stdout, the @tensorflow packages and the files of dist/src/ it loaded. */
function loadedBy(args: string[], file: string): { status: number | null; stdout: string; tfjs: string[]; src: string[] } {
  const run = spawnSync(process.execPath, ['--require', HOOK, CLI_MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LOADED_MODULES_FILE: file },
  });
  const modules = readFileSync(file, 'utf8').split('\n');
  const packages = modules.flatMap((module) => /node_modules\/(@tensorflow\/[^/]+)/.exec(module)?.[1] ?? []);
  const src = modules.flatMap((module) => /dist\/src\/(.+)\.js$/.exec(module)?.[1] ?? []);
  return { status: run.status, stdout: run.stdout, tfjs: [...new Set(packages)], src };
}

describe('cli: start-up', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('startup');
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const quick: [string[], number][] = [
    [['--help'], 0],
    [['--version'], 0],
    [['train', '--help'], 0],
    [['train', '--bits', 'abc'], 2],
    [['add', '3', '4', '--backend', 'foo'], 2],
    [['frob'], 2],
    [['add', '-5', '3'], 2],
    [['add', '1', '2', '--modle', 'm'], 2],
  ];
  quick.forEach(([args, status], i) => {
    it(`${args.join(' ')} answers (exit ${status}) without loading tfjs`, () => {
      const run = loadedBy(args, path.join(dir, `quick-${i}`));
      expect(run.status).to.equal(status);
      expect(run.tfjs, 'tfjs packages loaded').to.deep.equal([]);
    });
  });

  it('the built binary is executable, so `npx rnn-adder` runs it after any rebuild', async () => {
    await fs.access(CLI_MAIN, constants.X_OK);
    const run = spawnSync(CLI_MAIN, ['--version'], { encoding: 'utf8' });
    expect(run.error, 'spawning dist/src/cli/main.js itself').to.equal(undefined);
    expect(run.status).to.equal(0);
    expect(run.stdout.trim()).to.match(/^\d+\.\d+\.\d+$/);
  });

  it('a fused Elman train on wasm loads neither the cpu backend nor the other cells\' engines and kernels', () => {
    const out = path.join(dir, 'fused-elman');
    const args = ['train', '--bits', '4', '--seed', '1', '--backend', 'wasm', '--out', out];
    const run = loadedBy(args, path.join(dir, 'fused-train'));
    expect(run.status, run.stdout).to.equal(0);
    expect(run.stdout).to.include('engine fused, backend wasm');
    expect(run.tfjs, 'tfjs packages loaded').to.include('@tensorflow/tfjs-backend-wasm').and.not.include('@tensorflow/tfjs-backend-cpu');
    expect(run.src, 'the Elman kernel runs').to.include('engine/fused/elman-kernel');
    const unused = ['engine/lstm', 'engine/gru', 'engine/fused/lstm-kernel', 'engine/fused/gru-kernel', 'engine/fused/lstm-kernel-wasm', 'engine/fused/gru-kernel-wasm'];
    expect(run.src.filter((file) => unused.includes(file)), 'modules of cells not trained').to.deep.equal([]);
  });

  it('--backend cpu loads the cpu backend, and an LSTM train its own engine\'s kernel', () => {
    const args = ['train', '--bits', '2', '--cell', 'lstm', '--seed', '1', '--backend', 'cpu', '--out', path.join(dir, 'fused-lstm')];
    const run = loadedBy(args, path.join(dir, 'lstm-train'));
    expect(run.status, run.stdout).to.equal(0);
    expect(run.tfjs).to.include('@tensorflow/tfjs-backend-cpu').and.not.include('@tensorflow/tfjs-backend-wasm');
    expect(run.src).to.include('engine/fused/lstm-kernel').and.not.include('engine/fused/gru-kernel');
  });

  it('the code cache is written, and bytecode V8 refuses (garbage here) only costs its saving', async () => {
    const cache = path.join(path.dirname(CLI_MAIN), '..', '..', '.code-cache');
    const sum = () => spawnSync(process.execPath, [CLI_MAIN, 'add', '3', '4', '--backend', 'wasm'], { encoding: 'utf8' });
    // Only this command's modules, so that the second run loads every file the cache holds.
    await fs.rm(cache, { recursive: true, force: true });
    expect(sum().stdout.trim()).to.equal('7');
    const files = await fs.readdir(cache);
    expect(files.length, 'cache files after a run').to.be.above(20);
    const garbage = Buffer.from('not bytecode');
    await Promise.all(files.map((file) => fs.writeFile(path.join(cache, file), garbage)));
    const run = sum();
    expect(run.stderr).to.equal('');
    expect(run.stdout.trim()).to.equal('7');
    const rewritten = await Promise.all(files.map((file) => fs.readFile(path.join(cache, file))));
    expect(rewritten.filter((bytes) => bytes.equals(garbage)).length, 'refused caches left in place').to.equal(0);
  });

  it('under the code cache, a module\'s import() of an ES module still loads it', async () => {
    const esm = path.join(dir, 'answer.mjs');
    const cjs = path.join(dir, 'imports.js');
    await fs.writeFile(esm, 'export const answer = 42;\n');
    await fs.writeFile(cjs, `module.exports = import(${JSON.stringify(esm)});\n`);
    const hook = path.join(path.dirname(CLI_MAIN), 'code-cache.js');
    const script = `require(${JSON.stringify(hook)}); require(${JSON.stringify(cjs)}).then((m) => console.log(m.answer));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).to.equal('');
    expect(run.stdout.trim()).to.equal('42');
  });

  it('a command that runs does load tfjs (so the check above can see it)', () => {
    const run = loadedBy(['gradcheck', '--bits', '2', '--hidden', '2', '--batch', '2', '--json'], path.join(dir, 'runs'));
    expect(run.status).to.equal(0);
    expect(run.tfjs).to.include('@tensorflow/tfjs-core');
  });
});
