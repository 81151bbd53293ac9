// The console blocks of README.md and docs/*.md against the program: every `$ npx rnn-adder …` line runs as printed
// (wasm backend, in a sandbox holding a copy of the shipped models, so nothing lands in the repository) and must
// print what the block shows, durations and the sandbox's path masked. The commands in SHORTENED take more than a
// few seconds: here they run shortened and only their first lines are compared; `npm run readme` runs them in
// full. A drift fails naming the file, the line of the block and the command, with both outputs. Beside it: no
// example writes into the repository, and every relative link names a file and a heading that exist.
import { expect } from 'chai';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import {
  anchorsOf,
  commandLines,
  consoleBlocks,
  cutLike,
  documentFiles,
  driftReport,
  headingAnchor,
  mask,
  matches,
  relativeLinks,
  REPO,
  runShown,
  sandbox,
  shellWords,
  SHORTENED,
} from '../../scripts/readme-blocks';

describe('readme: console blocks, the check itself', () => {
  it('masks durations only', () => {
    expect(mask('5,568 training pairs in 0.21 s')).to.equal('5,568 training pairs in <time> s');
    expect(mask('exhaustive check 7.9 ms, 65,536 pairs')).to.equal('exhaustive check <time> ms, 65,536 pairs');
    expect(mask('hidden 16, batch 64')).to.equal('hidden 16, batch 64');
  });

  it('matches lines once masked, and a cut (… alone) or a line ending in … as what they leave out', () => {
    expect(matches(['a in 1.0 s', 'b'], ['a in 2.5 s', 'b'])).to.equal(true);
    expect(matches(['a', 'b'], ['a', 'c']), 'a changed line').to.equal(false);
    expect(matches(['a'], ['a', 'b']), 'an extra line').to.equal(false);
    expect(matches(['head', '  …', 'tail'], ['head', 'x', 'y', 'tail'])).to.equal(true);
    expect(matches(['head', '…', 'tail'], ['head', 'x', 'end']), 'the tail differs').to.equal(false);
    expect(matches(['{"loss":0.5,…'], ['{"loss":0.5,"grads":{}}'])).to.equal(true);
    expect(matches(['{"loss":0.5,…'], ['{"loss":0.7,"grads":{}}'])).to.equal(false);
  });

  it('regenerates with the same cuts, keeping the lines that still match as shown', () => {
    expect(cutLike(['h in 1.0 s', '…', 't'], ['h in 2.0 s', 'x', 'y', 'T'])).to.deep.equal(['h in 1.0 s', '…', 'T']);
    expect(cutLike(['{"a":1,…'], ['{"b":2,"c":3}'])).to.deep.equal(['{"b":2,…']);
  });

  it('reads blocks, and quoted arguments as a shell does', () => {
    const text = 'intro\n```console\n$ npx rnn-adder add 1 2\n3\n$ npx rnn-adder grads --pairs "3+5,200+55"\n{}\n```\n';
    const [block] = consoleBlocks('X.md', text);
    expect(block.line).to.equal(2);
    expect(block.commands).to.deep.equal([
      { command: 'npx rnn-adder add 1 2', output: ['3'] },
      { command: 'npx rnn-adder grads --pairs "3+5,200+55"', output: ['{}'] },
    ]);
    expect(shellWords('npx rnn-adder grads --pairs "3+5,200+55" --json')).to.deep.equal(['npx', 'rnn-adder', 'grads', '--pairs', '3+5,200+55', '--json']);
  });
});

describe('readme: every console block prints what it shows', function () {
  // About fifteen commands, the slowest (the echo's training) a few seconds.
  this.timeout(300_000);

  it('runs each command as printed and finds its output as shown, changing no file of the repository', async () => {
    const status = () => execFileSync('git', ['status', '--porcelain'], { cwd: REPO, encoding: 'utf8' });
    const before = status();
    const drifts: string[] = [];
    let ran = 0;
    for (const file of await documentFiles()) {
      const blocks = consoleBlocks(file, await fs.readFile(path.join(REPO, file), 'utf8'));
      if (blocks.length === 0) continue;
      const cwd = await sandbox();
      try {
        for (const block of blocks) {
          for (const shown of block.commands) {
            const short = SHORTENED[shown.command];
            const run = runShown(shown.command, cwd, short?.extra);
            ran++;
            expect(run.status, `${file}:${block.line} "$ ${shown.command}" exit status (${run.stderr.trim()})`).to.equal(short?.status ?? 0);
            const want = short ? shown.output.slice(0, short.compareLines) : shown.output;
            const got = short ? run.stdout.slice(0, short.compareLines) : run.stdout;
            if (!matches(want, got)) drifts.push(driftReport(block, shown, got));
          }
        }
      } finally {
        await fs.rm(cwd, { recursive: true, force: true });
      }
    }
    expect(ran, 'commands run').to.be.greaterThan(0);
    expect(drifts, `\n${drifts.join('\n\n')}\n`).to.deep.equal([]);
    expect(status(), 'git status after the commands').to.equal(before);
  });

  it('draws pictures and writes models outside the repository in every example of a code block', async () => {
    const inside: string[] = [];
    for (const file of await documentFiles()) {
      for (const line of commandLines(await fs.readFile(path.join(REPO, file), 'utf8'))) {
        const words = shellWords(line);
        words.forEach((word, i) => {
          if (['--plot', '--out'].includes(word) && !path.isAbsolute(words[i + 1] ?? '') && !/^models\/my-/.test(words[i + 1] ?? '')) {
            inside.push(`${file}: ${line}`);
          }
        });
      }
    }
    expect(inside, '--plot and --out must name /tmp-like paths (or models/my-…, which git ignores)').to.deep.equal([]);
  });

  it('names every shortened command in some block (a stale entry would check nothing)', async () => {
    const commands = new Set<string>();
    for (const file of await documentFiles()) {
      consoleBlocks(file, await fs.readFile(path.join(REPO, file), 'utf8')).forEach((b) => b.commands.forEach((c) => commands.add(c.command)));
    }
    expect(Object.keys(SHORTENED).filter((c) => !commands.has(c))).to.deep.equal([]);
  });
});

describe('readme: links', () => {
  it('every relative link of README.md and docs/*.md names a file that exists, and a heading of it', async () => {
    const broken: string[] = [];
    for (const file of await documentFiles()) {
      const text = await fs.readFile(path.join(REPO, file), 'utf8');
      for (const link of relativeLinks(text)) {
        const [target, anchor] = link.split('#');
        const where = target === '' ? path.join(REPO, file) : path.resolve(path.dirname(path.join(REPO, file)), target);
        const exists = await fs.stat(where).then(() => true, () => false);
        if (!exists) broken.push(`${file}: ${link} (no such file)`);
        else if (anchor !== undefined && !anchorsOf(await fs.readFile(where, 'utf8')).has(anchor)) broken.push(`${file}: ${link} (no such heading)`);
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it("reads anchors as GitHub makes them", () => {
    expect(headingAnchor("Gradient flow: how far back the last step's loss reaches")).to.equal('gradient-flow-how-far-back-the-last-steps-loss-reaches');
    expect(headingAnchor('The LSTM on the adding problem at T = 100: 74,000 beaten')).to.equal('the-lstm-on-the-adding-problem-at-t--100-74000-beaten');
    expect([...anchorsOf('# A\n```\n# not a heading\n```\n## A\n')]).to.deep.equal(['a', 'a-1']);
  });
});
