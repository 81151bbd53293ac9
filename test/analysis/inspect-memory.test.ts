// inspect's memory bound: a run whose hidden states would not fit in INSPECT_MAX_BYTES is refused in one line before
// any work (`--bits 64 --samples 20000` once peaked at 2.3 GB), and an allowed run at the widest width, its long
// widths tracked in chunks, stays under a stated peak.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { inspectAdder } from '../../src/analysis/inspect';
import { INSPECT_MAX } from '../../src/analysis/inspect-options';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { UserError } from '../../src/errors';
import { exactAdderParams } from '../support/adders';
import { expectOneLineError, runCli } from '../support/cli';

const MODEL = path.resolve(__dirname, '../../../models/adder-8');
/** A refusal comes before any work: well under the time a run takes. */
const REFUSE_MS = 3_000;
/** Peak RSS of the allowed run below (measured: 160 MB; node and wasm alone take ~90 MB). */
const ALLOWED_PEAK_KB = 300 * 1024;

describe('inspect: memory bound', function () {
  this.timeout(120_000);

  it(`the CLI refuses --bits ${INSPECT_MAX.bits} --samples ${INSPECT_MAX.samples} in one line, before any work`, async () => {
    const start = Date.now();
    const run = await runCli(['inspect', '--model', MODEL, '--bits', '64', '--samples', String(INSPECT_MAX.samples)]);
    expectOneLineError(
      run,
      /^--samples 20,000 at --bits 64 drives 1,300,910 hidden states of 16 units, about 921 MB, more than the 512 MB inspect may hold: lower --samples or --bits$/,
      2,
    );
    expect(Date.now() - start, 'refused before any work').to.be.below(REFUSE_MS);
  });

  it('the API refuses it with a limit error naming samples and bits, leaking no tensor', async () => {
    await initBackend();
    const before = tf.memory().numTensors;
    const params = exactAdderParams();
    let caught: unknown;
    try {
      inspectAdder(params, 64, { samples: INSPECT_MAX.samples });
    } catch (error) {
      caught = error;
    }
    disposeParams(params);
    expect(caught).to.be.instanceOf(UserError);
    expect((caught as UserError).code).to.equal('limit');
    expect((caught as UserError).options).to.deep.equal(['samples', 'bits', 'samples', 'bits']);
    expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  });

  it(`an allowed --bits 64 run, tracked at 64 and 128 bits, peaks under ${ALLOWED_PEAK_KB / 1024} MB`, () => {
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, CLI_MAIN, 'inspect', '--model', MODEL, '--bits', '64', '--samples', '100'], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).to.equal(0);
    const peakKb = Number(run.stderr.trim().split('\n').pop());
    expect(peakKb, `peak RSS ${peakKb} KB`).to.be.below(ALLOWED_PEAK_KB);
  });
});
