// Work bounds that count everything a command will do: gradflow runs every --cell (and every --model with its
// initial weights), so ten repeated cells are ten times the work of one, refused in one line before any runs.
import { expect } from 'chai';
import { expectOneLineError, runCli } from '../support/cli';

describe('hostile input: work bounds count every network', function () {
  this.timeout(60_000);

  it('refuses gradflow with a repeated --cell whose total work is past the bound, at once', async () => {
    const cells = Array.from({ length: 10 }, () => ['--cell', 'elman']).flat();
    const start = Date.now();
    const run = await runCli(['gradflow', '--random', ...cells, '--hidden', '256', '--bits', '256', '--samples', '100']);
    expectOneLineError(run, /^that is 65.8 million pair-steps \(scaled by \(H\/16\)² for H = 256\), more than the 20 million that finish in about a minute: lower --samples, --bits or the 10 networks$/, 2);
    expect(Date.now() - start).to.be.below(20_000);
  });

  it('runs the same networks once each when the total is within it', async () => {
    const run = await runCli(['gradflow', '--random', '--cell', 'elman', '--cell', 'lstm', '--bits', '4', '--samples', '8', '--json']);
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout).networks).to.have.length(2);
  });
});
