// The package as users install it: `npm pack`, installed into a fresh project, where the README's examples
// ("Use it from your code", "Faster RNN training in your own tfjs model") compile against the shipped types and
// run exactly as printed, and the shipped CLI runs with the shipped models. A `files` entry or an export gone
// missing fails here.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { installPacked, readmeExample, REPO } from './support/packed';
import { startServe } from './support/serve';

/** Compiles file.ts beside it as a user's tsconfig would (strict, CommonJS); throws with every diagnostic. */
function compile(file: string): void {
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    // console and process: @types/node is this repository's (a user's project has its own).
    typeRoots: [path.join(REPO, 'node_modules', '@types')],
    types: ['node'],
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => path.dirname(file), getNewLine: () => '\n' }));
  }
}

describe('what the package ships', function () {
  this.timeout(60_000);
  const stray = path.join(REPO, 'models', `zz-trained-by-a-user-${process.pid}`);

  after(async () => {
    await fs.rm(stray, { recursive: true, force: true });
  });

  it('ships the shipped models and nothing else a user trained into models/', async () => {
    await fs.mkdir(stray, { recursive: true });
    await fs.writeFile(path.join(stray, 'model.json'), '{}');
    const listing = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel', 'error'], { cwd: REPO, encoding: 'utf8' });
    const files = (JSON.parse(listing) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    const shipped = execFileSync('git', ['ls-files', 'models'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
    expect(files.filter((f) => f.startsWith('models/')).sort()).to.deep.equal(shipped.sort());
  });
});

describe('the packed package', function () {
  // npm ci of ~100 packages from the cache, a TypeScript compile, an 8-bit training run.
  this.timeout(120_000);
  let project: string;

  before(async () => {
    project = await installPacked();
  });

  after(async () => {
    if (project !== undefined) await fs.rm(path.dirname(project), { recursive: true, force: true });
  });

  it("runs the README's example, as printed, against the installed package's types and code", async () => {
    const example = path.join(project, 'example.ts');
    await fs.writeFile(example, await readmeExample('Use it from your code'));
    compile(example);
    const run = spawnSync(process.execPath, ['example.js'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr, 'stderr').to.equal('');
    expect(run.status, 'exit status').to.equal(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[lines.length - 3], 'the last check during training').to.match(/^after \d+ pairs: 65536 of 65536 sums right$/);
    expect(lines.slice(-2), 'the loaded adder').to.deep.equal(['255n', '510n']);
    expect((await fs.readdir(path.join(project, 'my-adder-8'))).sort()).to.deep.equal(['model.json', 'weights.bin']);
  });

  it("runs the README's tfjs-model example, as printed: a fused GRU trained by fit, loaded by plain tfjs", async () => {
    const example = path.join(project, 'layer-example.ts');
    await fs.writeFile(example, await readmeExample('Faster RNN training in your own tfjs model'));
    compile(example);
    const run = spawnSync(process.execPath, ['layer-example.js'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr, 'stderr').to.equal('');
    expect(run.status, 'exit status').to.equal(0);
    const [trained, loaded] = run.stdout.trim().split('\n');
    const [first, last] = /^loss (\d\.\d+) → (\d\.\d+)$/.exec(trained)!.slice(1).map(Number);
    expect(last, `the loss went down (${trained})`).to.be.below(first / 2);
    expect(loaded).to.equal('loaded as GRU + Dense, outputs equal');
  });

  it('is required from plain Node, and keeps its internals behind the entry point', () => {
    const script = `
      const { add, loadModel, MODEL_JSON } = require('rnn-adder');
      let deep;
      try { require('rnn-adder/dist/src/io'); deep = 'reachable'; } catch (e) { deep = e.code; }
      loadModel('node_modules/rnn-adder/models/adder-8').then((m) => console.log(MODEL_JSON, add(m, 100, 28), deep));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
    expect(out.trim()).to.equal('model.json 128n ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('installs the rnn-adder command, which finds its shipped model', () => {
    const bin = path.join(project, 'node_modules', '.bin', 'rnn-adder');
    const out = execFileSync(bin, ['add', '65535', '1', '--json'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).to.include({ sum: '65536', correct: true });
  });

  it('serves the page from the installed package: the bundle, the tfjs wasm files and the shipped model', async () => {
    const serve = await startServe(path.join(project, 'node_modules', '.bin', 'rnn-adder'), [], project);
    try {
      for (const file of ['/', '/app.js', '/worker.js', '/style.css', '/wasm/tfjs-backend-wasm-simd.wasm', '/model/model.json', '/model/weights.bin']) {
        expect((await fetch(new URL(file, serve.printed.url))).status, file).to.equal(200);
      }
    } finally {
      expect(await serve.stop()).to.deep.equal({ status: 0, stderr: '' });
    }
  });
});
