// Every command's --help examples write only outside the repository or where git ignores: an example run as printed
// on a fresh checkout must change no tracked file (the gradflow and inspect examples once plotted into docs/img).
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TRAINED_DIR } from '../../src/cli/train-config';

const REPO = path.resolve(__dirname, '../../..');
const COMMANDS = path.resolve(__dirname, '../../src/cli/commands');
/** The flags that name where a command writes. */
const WRITING_FLAGS = ['--out', '--plot'];

/** The examples a command's builder declares, read with a stand-in for yargs that records `.example` calls. */
function examplesOf(file: string): string[] {
  const examples: string[] = [];
  const recorder: object = new Proxy(() => recorder, {
    get: (_, key) => (key === 'example' ? (example: string) => (examples.push(example), recorder) : () => recorder),
  });
  (require(file) as { builder: (yargs: object) => unknown }).builder(recorder);
  return examples;
}

const isIgnored = (file: string): boolean => spawnSync('git', ['check-ignore', '-q', file], { cwd: REPO }).status === 0;

describe('--help examples write nothing tracked', () => {
  const files = fs.readdirSync(COMMANDS).filter((name) => name.endsWith('.js'));

  it('every command declares examples', () => {
    expect(files.length).to.be.at.least(8);
    for (const name of files) expect(examplesOf(path.join(COMMANDS, name)), name).to.not.be.empty;
  });

  for (const name of files) {
    it(`${name.replace(/\.js$/, '')}: every --out and --plot is outside the repository or ignored by git`, () => {
      for (const example of examplesOf(path.join(COMMANDS, name))) {
        const words = example.split(/\s+/);
        words.forEach((word, i) => {
          if (!WRITING_FLAGS.includes(word)) return;
          const target = path.resolve(REPO, words[i + 1]);
          const inside = !path.relative(REPO, target).startsWith('..');
          expect(!inside || isIgnored(path.join(target, 'x')), `${example}: ${word} ${words[i + 1]} is tracked ground`).to.equal(true);
        });
      }
    });
  }

  it(`train's default --out, ${TRAINED_DIR}/, is ignored by git`, () => {
    expect(isIgnored(path.join(TRAINED_DIR, 'adder-8', 'model.json'))).to.equal(true);
  });
});
