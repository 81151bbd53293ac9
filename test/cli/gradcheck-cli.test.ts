// `rnn-adder gradcheck` as a user runs it: the real binary, its stdout, stderr and exit code. Its flags are
// parsed in cli-parse.test.ts; the comparison itself, on every width, loss and bias, in gradients.test.ts.
import { expect } from 'chai';
import { BPTT_VS_AUTODIFF_TOLERANCE, BPTT_VS_FINITE_DIFF_TOLERANCE, GradcheckReport } from '../../src/check/gradcheck';
import { CliRun, runCli } from '../support/cli';

const gradcheck = (...args: string[]): Promise<CliRun> => runCli(['gradcheck', ...args]);

/** The table's rows: param, comparison, …, and ok/FAIL last. */
function rows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => /^(Wx|Ws|bs|Wy|by) /.test(line))
    .map((line) => line.split(/\s{2,}/));
}

describe('rnn-adder gradcheck', () => {
  it('passes on the defaults (8 bits, H 16, batch 8) and prints a row per parameter and comparison', async () => {
    const run = await gradcheck();
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.match(/^gradcheck: elman cell, 8 bits \(T = 9\), hidden 16, batch 8, seed 1, mse, with biases; backend (tensorflow|wasm|cpu)\n/);
    const table = rows(run.stdout);
    expect(table.map((r) => `${r[0]} ${r[1]}`)).to.deep.equal(
      ['bptt vs tf.grad', 'bptt vs finite differences', 'fused vs tf.grad', 'fused vs finite differences'].flatMap((c) =>
        ['Wx', 'Ws', 'bs', 'Wy', 'by'].map((p) => `${p} ${c}`),
      ),
    );
    expect(table.map((r) => r[r.length - 1])).to.deep.equal(new Array(20).fill('ok'));
    expect(run.stdout).to.contain('all gradients within tolerance');
  });

  it('--json prints one JSON object with the backend, the losses and every comparison', async () => {
    const run = await gradcheck('--json', '--bits', '16', '--hidden', '4', '--seed', '7', '--no-bias', '--loss', 'bce');
    expect(run.status).to.equal(0);
    const report = JSON.parse(run.stdout) as GradcheckReport & { backend: string };
    expect(report.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);
    expect(report.config).to.deep.equal({ cell: 'elman', bits: 16, hidden: 4, batch: 8, seed: 7, bias: false, loss: 'bce' });
    expect(report.steps).to.equal(17);
    expect(report.ok).to.equal(true);
    expect(report.comparisons.map((c) => [c.label, c.tolerance])).to.deep.equal([
      ['bptt vs tf.grad', BPTT_VS_AUTODIFF_TOLERANCE],
      ['bptt vs finite differences', BPTT_VS_FINITE_DIFF_TOLERANCE],
      ['fused vs tf.grad', BPTT_VS_AUTODIFF_TOLERANCE],
      ['fused vs finite differences', BPTT_VS_FINITE_DIFF_TOLERANCE],
    ]);
    for (const c of report.comparisons) {
      expect(c.params.map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'Wy']);
      for (const p of c.params) expect(p.relError).to.be.at.most(c.tolerance);
    }
    expect(Math.abs(report.losses.reference - report.losses.bptt)).to.be.below(1e-6);
    expect(Math.abs(report.losses.reference - report.losses.fused!)).to.be.below(1e-6);
  });

  for (const cell of ['lstm', 'gru']) {
    it(`--cell ${cell} passes at 8 and 16 bits, with and without biases, both losses`, async () => {
      for (const args of [['--bits', '8'], ['--bits', '16', '--no-bias', '--loss', 'bce']]) {
        const run = await gradcheck('--cell', cell, '--hidden', '6', '--batch', '4', '--json', ...args);
        expect(run.status, run.stderr).to.equal(0);
        const report = JSON.parse(run.stdout) as GradcheckReport;
        expect(report.config.cell).to.equal(cell);
        expect(report.ok).to.equal(true);
        expect(report.comparisons[0].params.map((p) => p.param)).to.have.length(args.includes('--no-bias') ? 3 : 5);
        // Each cell's fused kernel is the fourth column.
        const fused = ['fused vs tf.grad', 'fused vs finite differences'];
        expect(report.comparisons.map((c) => c.label)).to.deep.equal(['bptt vs tf.grad', 'bptt vs finite differences', ...fused]);
        expect(report.losses.fused).to.be.a('number');
      }
    });
  }
});
