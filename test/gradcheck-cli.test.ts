// `rnn-adder gradcheck` as a user runs it: the real binary, its stdout, stderr and exit code.
import { expect } from 'chai';
import { BPTT_VS_AUTODIFF_TOLERANCE, BPTT_VS_FINITE_DIFF_TOLERANCE, GradcheckReport } from '../src/check/gradcheck';
import { CliRun, expectOneLineError, runCli } from './support/cli';

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
    expect(run.stdout).to.match(/^gradcheck: 8 bits \(T = 9\), hidden 16, batch 8, seed 1, mse, with biases; backend (tensorflow|wasm|cpu)\n/);
    const table = rows(run.stdout);
    expect(table.map((r) => `${r[0]} ${r[1]}`)).to.deep.equal(
      ['bptt vs tf.grad', 'bptt vs finite differences', 'fused vs tf.grad', 'fused vs finite differences'].flatMap((c) =>
        ['Wx', 'Ws', 'bs', 'Wy', 'by'].map((p) => `${p} ${c}`),
      ),
    );
    expect(table.map((r) => r[r.length - 1])).to.deep.equal(new Array(20).fill('ok'));
    expect(run.stdout).to.contain('all gradients within tolerance');
  });

  it('passes on 16 bits', async () => {
    const run = await gradcheck('--bits', '16');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.match(/^gradcheck: 16 bits \(T = 17\)/);
    expect(run.stdout).to.contain('all gradients within tolerance');
  });

  it('--no-bias checks Wx, Ws and Wy only', async () => {
    const run = await gradcheck('--no-bias', '--bits', '16');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.contain('without biases');
    expect(rows(run.stdout).map((r) => r[0])).to.deep.equal(new Array(4).fill(['Wx', 'Ws', 'Wy']).flat());
  });

  it('--loss bce passes', async () => {
    const run = await gradcheck('--loss', 'bce', '--hidden', '3', '--batch', '32');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.match(/^gradcheck: 8 bits \(T = 9\), hidden 3, batch 32, seed 1, bce, with biases/);
    expect(run.stdout).to.contain('all gradients within tolerance');
  });

  it('--json prints one JSON object with the backend, the losses and every comparison', async () => {
    const run = await gradcheck('--json', '--bits', '16', '--hidden', '4', '--seed', '7', '--no-bias', '--loss', 'bce');
    expect(run.status).to.equal(0);
    const report = JSON.parse(run.stdout) as GradcheckReport & { backend: string };
    expect(report.backend).to.be.oneOf(['tensorflow', 'wasm', 'cpu']);
    expect(report.config).to.deep.equal({ bits: 16, hidden: 4, batch: 8, seed: 7, bias: false, loss: 'bce' });
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
    expect(Math.abs(report.losses.reference - report.losses.fused)).to.be.below(1e-6);
  });

  it('--help lists the options and examples', async () => {
    const run = await gradcheck('--help');
    expect(run.status).to.equal(0);
    for (const flag of ['--bits', '--hidden', '--batch', '--seed', '--bias', '--loss', '--json', 'Examples:']) {
      expect(run.stdout).to.contain(flag);
    }
  });

  const bad: [string[], string | RegExp][] = [
    [['--bits', '0'], '--bits must be between 1 and 256, got 0'],
    [['--bits', 'abc'], '--bits expects a number, got "abc"'],
    [['--hidden', '0'], '--hidden must be between 1 and 64, got 0'],
    [['--hidden', '1600'], '--hidden must be between 1 and 64, got 1600'],
    [['--bits', '257'], '--bits must be between 1 and 256, got 257'],
    [['--batch', '2.5'], '--batch expects an integer, got "2.5"'],
    [['--loss', 'foo'], /^Invalid values: .*loss.*"foo".*"mse", "bce"/],
    [['--unknown'], /^Unknown argument: unknown/],
    [['--bits'], '--bits needs a value (see --help)'],
    [['--hidden', '--batch', '2'], '--hidden needs a value (see --help)'],
    [['--loss'], '--loss needs a value (see --help)'],
    [['--seed', '1.5'], '--seed expects an integer, got "1.5"'],
  ];
  for (const [args, message] of bad) {
    it(`${args.join(' ')}: one line on stderr, nothing on stdout, a non-zero exit`, async () => {
      expectOneLineError(await gradcheck(...args), message);
    });
  }
});
