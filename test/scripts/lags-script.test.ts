// `npm run lags`'s arguments and how a run of one task's rows joins the recorded ones (scripts/lag-rows.ts),
// in-process: the script itself trains for minutes, and CI runs its --quick ladder end to end.
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { LAG_TASKS, measuredLines, measuredPrefix, mergeRows, parseLagsArgs, Row } from '../../scripts/lag-rows';

const row = (task: Row['task'], lag: number, seed: number): Row => ({
  experiment: 'ladder',
  cell: 'elman',
  task,
  lag,
  hidden: 4,
  tbptt: 15,
  seed,
  solved: true,
  samples: 1000 * lag,
  seconds: 1,
  score: 1,
});

describe('npm run lags: arguments', () => {
  it('trains both tasks unless --task names one, in either spelling', () => {
    expect(parseLagsArgs([])).to.deep.equal({ mode: 'ladder', tasks: [...LAG_TASKS] });
    expect(parseLagsArgs(['--task', 'echo'])).to.deep.equal({ mode: 'ladder', tasks: ['echo'] });
    expect(parseLagsArgs(['--task=adding-problem'])).to.deep.equal({ mode: 'ladder', tasks: ['adding-problem'] });
    expect(parseLagsArgs(['--quick', '--task', 'echo'])).to.deep.equal({ mode: 'quick', tasks: ['echo'] });
    expect(parseLagsArgs(['--render'])).to.deep.equal({ mode: 'render', tasks: [...LAG_TASKS] });
  });

  it('refuses a bad argument, naming it', () => {
    const cases: [string[], string][] = [
      [['--task', 'add'], '--task must be echo or adding-problem, got add'],
      [['--task'], '--task must be echo or adding-problem, got nothing'],
      [['--fast'], 'unknown argument --fast'],
      [['--quick', '--render'], '--quick and --render do not go together: pick one'],
      [['--render', '--task', 'echo'], '--task picks the rows to train: --render trains none'],
      [['--speed', '--task', 'echo'], '--task picks the rows to train: --speed trains none'],
    ];
    for (const [argv, message] of cases) expect(() => parseLagsArgs(argv), argv.join(' ')).to.throw(message);
  });
});

describe('npm run lags --task: the rows and lines it keeps', () => {
  it("replaces the task's recorded rows by the new ones and keeps the other task's", () => {
    const recorded = [row('echo', 4, 1), row('adding-problem', 10, 1), row('echo', 8, 1), row('adding-problem', 20, 2)];
    const fresh = [row('echo', 8, 1), row('echo', 16, 2)].map((r) => ({ ...r, solved: false }));
    const merged = mergeRows(recorded, fresh, ['echo']);
    expect(merged.filter((r) => r.task === 'adding-problem')).to.deep.equal([recorded[1], recorded[3]]);
    expect(merged.filter((r) => r.task === 'echo')).to.deep.equal(fresh);
    expect(mergeRows(recorded, fresh, [...LAG_TASKS])).to.deep.equal(fresh);
  });

  it("writes a fresh line for each task trained and keeps the other task's recorded line", () => {
    const recorded = [`${measuredPrefix('adding-problem')} then.`, '', `${measuredPrefix('echo')} then.`, '', '| cell | …'];
    expect(measuredLines(recorded, { echo: `${measuredPrefix('echo')} now.` })).to.deep.equal([
      `${measuredPrefix('echo')} now.`,
      `${measuredPrefix('adding-problem')} then.`,
    ]);
    expect(measuredLines(recorded, {})).to.deep.equal([`${measuredPrefix('echo')} then.`, `${measuredPrefix('adding-problem')} then.`]);
    expect(measuredLines(['| cell | …'], { 'adding-problem': 'fresh' })).to.deep.equal(['fresh']);
  });
});

describe('npm run lags: the recorded rows', () => {
  const repo = path.join(__dirname, '..', '..', '..');

  it('live beside the script, in scripts/data/long-lags.json, one per run of the ladder and the truncation experiment', async () => {
    const rows = JSON.parse(await fs.readFile(path.join(repo, 'scripts', 'data', 'long-lags.json'), 'utf8')) as Row[];
    expect(rows.length, 'recorded rows').to.be.greaterThan(0);
    expect([...new Set(rows.map((r) => r.experiment))].sort()).to.deep.equal(['ladder', 'tbptt']);
    expect([...new Set(rows.map((r) => r.task))].sort()).to.deep.equal([...LAG_TASKS].sort());
  });

  it('leave docs/ to what a reader reads: no data files there', async () => {
    expect((await fs.readdir(path.join(repo, 'docs'))).filter((f) => f.endsWith('.json'))).to.deep.equal([]);
  });
});
