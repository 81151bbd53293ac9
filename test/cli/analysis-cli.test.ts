// `rnn-adder gradflow` and `rnn-adder inspect` as a user runs them: the real binary, stdout, stderr, exit code
// (their flags: cli-parse.test.ts).
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeParams, initParams } from '../../src/engine/params';
import { exactAdderParams, saveFixture, snapshot, tempDir } from '../support/adders';
import { leakyAdderParams } from '../support/leaky-adder';
import { CliRun, expectOneLineError, runCli } from '../support/cli';
import { checkSvg, markCounts } from '../support/svg';

const cli = (...args: string[]): Promise<CliRun> => runCli(args);

describe('rnn-adder gradflow and inspect', () => {
  let work: string;
  let exact: string;
  let untrained: string;
  let leaky: string;

  before(async () => {
    await initBackend();
    work = await tempDir('analysis-cli');
    const [p, q, r] = [exactAdderParams(), initParams({ hidden: 6, bias: true }, 1), leakyAdderParams()];
    exact = await saveFixture(path.join(work, 'exact'), p, 4);
    untrained = await saveFixture(path.join(work, 'untrained'), q, 4);
    leaky = await saveFixture(path.join(work, 'leaky'), r, 8);
    [p, q, r].forEach(disposeParams);
  });

  it('gradflow --random prints the norm for every lag and writes gradflow.svg with both curves', async () => {
    const plots = path.join(work, 'plots-random');
    const run = await cli('gradflow', '--random', '--bits', '6', '--samples', '16', '--plot', plots);
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).to.match(/^‖∂ℓ_T\/∂s_k‖ over 16 random 6-bit additions \(mse\), backend (tensorflow|wasm|cpu)$/);
    expect(lines[1].trim().split(/\s{2,}/)).to.deep.equal(['lag', 'untrained (seed 0)', 'clipped']);
    expect(lines.slice(2, 9).map((l) => Number(l.trim().split(/\s+/)[0]))).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(run.stdout).to.match(/untrained \(seed 0\): lag 1 \/ lag 6 = \d\.\d\de[+-]\d+; ‖∇θL‖ = /);
    expect(run.stdout).to.contain(`wrote ${path.join(plots, 'gradflow.svg')}`);
    const svg = await fs.readFile(path.join(plots, 'gradflow.svg'), 'utf8');
    checkSvg(svg);
    expect(markCounts(svg).get('line mark')).to.equal(2);
  });

  it('gradflow --model --json compares the model with its initial weights (the seed in its metadata)', async () => {
    const run = await cli('gradflow', '--model', untrained, '--bits', '5', '--samples', '8', '--clip', '1e-4', '--json');
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(0);
    const result = JSON.parse(run.stdout);
    expect(result).to.include({ bits: 5, steps: 6, samples: 8, loss: 'mse' });
    expect(result.networks.map((n: { network: string }) => n.network)).to.deep.equal([
      'trained',
      'untrained (its initial weights, seed 1)',
    ]);
    // The "trained" fixture is initParams(…, seed 1) itself, so both rows are the same network.
    const [trained, initial] = result.networks.map((n: { flow: { norms: number[] } }) => n.flow);
    expect(trained.norms).to.have.length(6);
    expect(trained.norms).to.deep.equal(initial.norms);
    expect(trained.clipScale).to.be.below(1);
    expect(trained.clipScale).to.be.closeTo(1e-4 / trained.gradNorm, 1e-9);
  });

  it('inspect finds the carry automaton in the hand-made adder and says it is proven at every width', async () => {
    const plots = path.join(work, 'plots-inspect');
    const run = await cli('inspect', '--model', exact, '--samples', '100', '--plot', plots);
    expect(run.stderr).to.equal('');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.contain(
      'k-means: 2 clusters, 2 automaton states after merging the clusters one transition enters, 2 after minimising',
    );
    expect(run.stdout).to.contain('learned (minimised)       full adder');
    expect(run.stdout).to.contain('q0    1 1 -> q1   0       0     1 1 -> 1     0');
    expect(run.stdout).to.contain('verdict: the learned automaton IS the carry automaton');
    expect(run.stdout).to.contain('interval proof: closed.');
    expect(run.stdout).to.contain('so: this network adds exactly at every width');
    expect(run.stdout).to.match(/\n  64 bits: 100\.0% of 2014 sampled pairs exact; of 7410 steps, 100\.0% inside the box of the predicted cluster, 100\.0% with its output/);
    expect(run.stdout).to.match(/\n  128 bits: 100\.0% of 2014 sampled pairs exact; of 14706 steps, 100\.0% inside the box of the predicted cluster, 100\.0% with its output/);
    const svg = await fs.readFile(path.join(plots, 'inspect.svg'), 'utf8');
    expect(checkSvg(svg).texts.filter((t) => t === '✓')).to.have.length(8);
  });

  it('inspect says when the automaton of the training width does not hold at 64 bits', async () => {
    const run = await cli('inspect', '--model', leaky, '--samples', '100');
    expect(run.status).to.equal(0);
    expect(run.stdout).to.contain('verdict: the learned automaton IS the carry automaton');
    expect(run.stdout).to.match(/\ninterval proof: not closed: the readout of state \d on symbol \d is not surely [01] /);
    expect(run.stdout).to.match(/\nso: the network follows the carry automaton at 8 bits but not at every width: at 64 bits \d+\.\d% of sums are wrong\n/);
  });

  it('inspect --json on an untrained network: no carry automaton, no claim', async () => {
    const run = await cli('inspect', '--model', untrained, '--samples', '50', '--json');
    expect(run.status).to.equal(0);
    const result = JSON.parse(run.stdout);
    expect(result).to.include({ isCarryAutomaton: false, provenAtAnyWidth: false, bits: 4 });
    expect(result).not.to.have.property('projection');
  });

  it('train --plot writes training.svg: the loss and accuracy curves of the run', async () => {
    const plots = path.join(work, 'plots-train');
    const out = path.join(work, 'trained-4');
    const run = await cli('train', '--bits', '4', '--out', out, '--plot', plots, '--json');
    expect(run.stderr).to.equal('');
    const result = JSON.parse(run.stdout);
    expect(result.plot).to.equal(path.join(plots, 'training.svg'));
    expect(result.history.length, 'points to draw').to.be.above(1);
    const svg = await fs.readFile(result.plot, 'utf8');
    const { texts } = checkSvg(svg);
    expect(markCounts(svg).get('line mark'), 'loss and accuracy').to.equal(2);
    expect(texts).to.include.members(['loss (log scale)', 'exact sums in the training batches']);
  });

  it('bad input the parser cannot see: one line on stderr, exit 1, nothing written', async () => {
    const before = await snapshot(exact);
    const file = path.join(work, 'a-file');
    await fs.writeFile(file, 'not a directory');
    const cases: [string[], string][] = [
      [['gradflow', '--model', path.join(work, 'nowhere')], `no model at ${path.join(work, 'nowhere')}: the directory does not exist`],
      [['inspect', '--model', work], `${path.join(work, 'model.json')} is missing`],
      [['gradflow', '--random', '--bits', '3', '--samples', '4', '--plot', file], `--plot ${file}: expected a directory, but a file is in the way`],
      [['train', '--bits', '2', '--out', path.join(work, 'never'), '--plot', file], `--plot ${file}: expected a directory, but a file is in the way`],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(...args)));
    runs.forEach((run, i) => expectOneLineError(run, cases[i][1], 1));
    expect(await snapshot(exact)).to.deep.equal(before);
    expect(await fs.readdir(work), 'train saved nothing').to.not.include('never');
  });
});
