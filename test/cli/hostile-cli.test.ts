// Hostile and careless command lines: flags given twice, sizes past what finishes in about a minute, allowed
// values that would run for minutes, and the small traps (`--`, `-0`, an operand given as a flag, a percentage
// that rounds up to 100). Every flag of every command in-process; each class once on the real binary, where the
// process matters: one line on stderr, exit 2 for usage, within seconds.
import { expect } from 'chai';
import * as path from 'path';
import { promises as fs } from 'fs';
import yargs, { Argv } from 'yargs';
import { initBackend } from '../../src/backend';
import { COMMANDS } from '../../src/cli/parser';
import { operandsAfterDoubleDash, rejectOperandFlags } from '../../src/cli/options';
import { percent } from '../../src/cli/percent';
import { UsageError } from '../../src/errors';
import { disposeParams } from '../../src/engine/params';
import { parseOperand } from '../../src/data/operands';
import { MAX_OPERAND_DIGITS } from '../../src/limits';
import { exactAdderParams, saveFixture, tempDir } from '../support/adders';
import { expectOneLineError, runCliAll } from '../support/cli';
import { leakyAdderParams } from '../support/leaky-adder';
import { parseCli } from '../support/parse';

/** What a refused command may take at most, start-up included. */
const PROMPT_MS = 10_000;

/** Every flag of a command that takes one value (not a boolean, an array or an operand), from its own builder. */
function valueFlags(module: (typeof COMMANDS)[number]): string[] {
  const parser = yargs();
  (module.builder as (y: Argv) => Argv)(parser);
  // getOptions is yargs' own (untyped) record of the options a builder declared.
  const options = (parser as unknown as { getOptions(): { key: Record<string, boolean>; boolean: string[]; array: string[] } }).getOptions();
  const operands = [...String(module.command).matchAll(/<(\w+)>/g)].map((m) => m[1]);
  return Object.keys(options.key).filter((key) => ![...options.boolean, ...options.array, ...operands].includes(key));
}

describe('hostile command lines', function () {
  this.timeout(120_000);

  describe('a flag given twice', () => {
    for (const module of COMMANDS) {
      const name = String(module.command).split(' ')[0];
      it(`${name}: every value flag given twice is a usage error naming the flag`, async () => {
        const operands = name === 'add' ? ['1', '2'] : [];
        const flags = valueFlags(module);
        expect(flags.length, `${name} has value flags`).to.be.above(0);
        for (const flag of flags) {
          const result = await parseCli([name, ...operands, `--${flag}`, '1', `--${flag}`, '2']);
          expect(result.command, `--${flag}: nothing may run`).to.equal(undefined);
          expect(result.usage, `--${flag}`).to.equal(`--${flag} is given twice ("1", "2"); give it once`);
        }
      });
    }
  });

  describe('the small traps', () => {
    it('a flag named like an operand is refused; one that is not is left alone', () => {
      expect(() => rejectOperandFlags(['add', '1', '2', '--a', '5'], COMMANDS)).to.throw(UsageError, '--a is not a flag: a is an operand');
      expect(() => rejectOperandFlags(['add', '1', '2', '--b=5'], COMMANDS)).to.throw(UsageError, '--b is not a flag');
      expect(() => rejectOperandFlags(['add', '1', '2', '--model', 'm'], COMMANDS)).to.not.throw();
      expect(() => rejectOperandFlags(['eval', '--a', '1'], COMMANDS), 'eval has no operand a').to.not.throw();
    });

    it('operands after -- are read as operands, unless something there could be a flag', () => {
      expect(operandsAfterDoubleDash(['add', '--', '5', '1'])).to.deep.equal(['add', '5', '1']);
      expect(operandsAfterDoubleDash(['add', '--model', 'm', '--', '-5', '1'])).to.deep.equal(['add', '--model', 'm', '-5', '1']);
      expect(operandsAfterDoubleDash(['add', '--', '--model', '1'])).to.deep.equal(['add', '--', '--model', '1']);
      expect(operandsAfterDoubleDash(['add', '5', '1'])).to.deep.equal(['add', '5', '1']);
    });

    it('-0 is zero; -1 is negative; an operand past the digit limit is refused before BigInt sees it', () => {
      expect(parseOperand('-0', 'x')).to.equal(0n);
      expect(parseOperand('-000', 'x')).to.equal(0n);
      expect(() => parseOperand('-1', 'x')).to.throw('x must be non-negative, got "-1"');
      const wide = '9'.repeat(MAX_OPERAND_DIGITS + 1);
      expect(() => parseOperand(wide, 'x')).to.throw(`x is 10,001 characters long; operands have at most 10,000 digits`);
      expect(parseOperand('9'.repeat(MAX_OPERAND_DIGITS), 'x').toString().length).to.equal(MAX_OPERAND_DIGITS);
    });

    it('a percentage is 100% only when all are right and 0% only when none are', () => {
      expect(percent(1)).to.equal('100.00%');
      expect(percent(0)).to.equal('0.00%');
      expect(percent(0.99996)).to.equal('99.99%');
      expect(percent(1 - 1e-12)).to.equal('99.99%');
      expect(percent(1e-7)).to.equal('0.01%');
      expect(percent(0.5)).to.equal('50.00%');
      expect(percent(0.99996, 1)).to.equal('99.9%');
      expect(percent(0.29)).to.equal('29.00%');
    });
  });

  describe('on the real binary', () => {
    let root: string;
    let exact: string;
    let leaky: string;
    before(async () => {
      await initBackend();
      root = await tempDir('hostile-cli');
      const params = exactAdderParams();
      exact = await saveFixture(path.join(root, 'exact'), params);
      disposeParams(params);
      const leakyParams = leakyAdderParams();
      leaky = await saveFixture(path.join(root, 'leaky'), leakyParams);
      disposeParams(leakyParams);
    });
    after(async () => {
      await fs.rm(root, { recursive: true, force: true });
    });

    it('size-like flags past their maxima, and a flag given twice, are usage errors at once', async () => {
      const started = Date.now();
      const runs = await runCliAll(
        [
          ['eval', '--model', exact, '--samples', '1000000000'],
          ['train', '--batch', '100000000'],
          ['train', '--hidden', '100000'],
          ['add', '9'.repeat(130_000), '1', '--model', exact],
          ['grads', '--model', exact, '--pairs', '1+2', '--pairs', '3+4'],
          ['train', '--optimizer', 'sgd', '--optimizer', 'adam'],
        ],
        2,
      );
      expect(Date.now() - started, 'ms for all six').to.be.below(3 * PROMPT_MS);
      expectOneLineError(runs[0], '--samples must be between 1 and 100000, got 1000000000', 2);
      expectOneLineError(runs[1], '--batch must be between 1 and 4096, got 100000000', 2);
      expectOneLineError(runs[2], '--hidden must be between 1 and 1024, got 100000', 2);
      expectOneLineError(runs[3], 'the first operand is 130,000 characters long; operands have at most 10,000 digits', 2);
      expectOneLineError(runs[4], '--pairs is given twice ("1+2", "3+4"); give it once', 2);
      expectOneLineError(runs[5], '--optimizer is given twice ("sgd", "adam"); give it once', 2);
    });

    it('allowed values that would run for minutes are refused before any work, naming what to lower', async () => {
      const started = Date.now();
      const runs = await runCliAll(
        [
          ['gradcheck', '--hidden', '64', '--bits', '256', '--batch', '1024'],
          ['eval', '--model', exact, '--bits', '1024', '--samples', '100000'],
          ['grads', '--model', exact, '--bits', '1024', '--pairs', Array(4096).fill('1+2').join(',')],
          ['train', '--batch', '4096', '--bits', '64', '--hidden', '1024'],
        ],
        2,
      );
      expect(Date.now() - started, 'ms for all four').to.be.below(3 * PROMPT_MS);
      expectOneLineError(runs[0], /^--hidden 64 --bits 256 --batch 1024 is 1\.[0-9]e\+13 operations of finite differences, more than the 3e\+9 that finish in about a minute: lower one of them$/, 2);
      expectOneLineError(runs[1], /^that is 11[0-9](\.[0-9])? million pair-steps, more than the 20 million that finish in about a minute: lower --samples or --bits$/, 2);
      expectOneLineError(runs[2], /^4096 × 1025 steps × H 3 is 12\.6 million hidden states for one backward pass, .*: lower the number of --pairs or --bits$/, 2);
      expectOneLineError(runs[3], /^4096 × 65 steps × H 1024 is 272\.6 million hidden states/, 2);
    });

    it('add reads operands after --, refuses --a, takes -0; eval never shows 100% with a wrong sum', async () => {
      const runs = await runCliAll(
        [
          ['add', '--model', exact, '--', '5', '1'],
          ['add', '1', '2', '--a', '5', '--model', exact],
          ['add', '-0', '1', '--model', exact],
          // 3 wrong of 70,014 at 18 bits: 99.996%, which rounding to two decimals used to print as 100.00%.
          ['eval', '--model', leaky, '--bits', '18', '--samples', '70000', '--seed', '1'],
        ],
        2,
      );
      expect(runs[0].stdout).to.equal('6\n');
      expect(runs[0].status).to.equal(0);
      expectOneLineError(runs[1], '--a is not a flag: a is an operand, given by its place (see --help)', 2);
      expect(runs[2].stdout).to.equal('1\n');
      expect(runs[2].status).to.equal(0);
      const evalOut = runs[3].stdout;
      const line = /^18 bits: (\S+) exact \(([\d,]+) of ([\d,]+) pairs/m.exec(evalOut);
      expect(line, evalOut).to.not.equal(null);
      const [, shown, correct, pairs] = line!;
      expect(correct, 'the leaky adder gets some 18-bit carry chains wrong').to.not.equal(pairs);
      expect(evalOut).to.contain('wrong: ');
      expect(shown).to.not.equal('100.00%');
    });
  });
});
