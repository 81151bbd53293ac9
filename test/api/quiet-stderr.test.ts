// No tfjs or XNNPACK noise on stderr: XNNPACK prints a status line each time it declines an operation (an empty
// matrix product, which tfjs then computes anyway; `gradcheck({ hidden: 0 })` once printed 28 of them), and a
// backend that fails to start warns. Each case runs in its own process, for its stderr alone.
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { runCli } from '../support/cli';

const SRC = path.resolve(__dirname, '../../src');

/** stderr of a Node process that runs `body` (with `tf`, `initBackend` and `api` in scope) on the wasm backend. */
function stderrOf(body: string): string {
  const script = `
    const tf = require('@tensorflow/tfjs-core');
    const { initBackend } = require(${JSON.stringify(path.join(SRC, 'backend'))});
    const api = require(${JSON.stringify(SRC)});
    (async () => { ${body} })().catch((error) => { console.error('failed: ' + error.message); process.exitCode = 1; });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, RNN_ADDER_BACKEND: 'wasm' } });
  expect(run.status, run.stderr).to.equal(0);
  return run.stderr;
}

describe('stderr holds only our lines', function () {
  this.timeout(60_000);

  it('an empty matrix product on wasm prints no XNNPACK status; our own warning still shows', () => {
    const stderr = stderrOf(`
      await initBackend('wasm');
      tf.tidy(() => tf.matMul(tf.zeros([2, 0]), tf.zeros([0, 3])).dataSync());
      console.warn('ours');`);
    expect(stderr).to.equal('ours\n');
  });

  it('gradcheck({ hidden: 0 }) from the API: a typed error and nothing on stderr', () => {
    const stderr = stderrOf(`
      try { await api.gradcheck({ hidden: 0 }); console.error('no error'); }
      catch (error) { if (!(error instanceof api.UserError)) throw error; }`);
    expect(stderr).to.equal('');
  });

  it('rnn-adder gradcheck --hidden 0: one line, ours', async () => {
    const run = await runCli(['gradcheck', '--hidden', '0', '--backend', 'wasm']);
    expect(run.stderr).to.equal('rnn-adder: --hidden must be between 1 and 64, got 0\n');
    expect(run.status).to.equal(2);
  });
});
