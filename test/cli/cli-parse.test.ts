// The command line, parsed in-process: what each command receives, and the one-line usage error (exit 2) for
// everything the parser refuses, before any work starts and without loading tfjs. One table; add a row per case.
import { expect } from 'chai';
import { promises as fs } from 'fs';
import * as path from 'path';
import { tempDir } from '../support/adders';
import { parseCli } from '../support/parse';

interface ParseCase {
  /** The arguments, split on spaces; `<name>` stands for the fixture path `name` (below). */
  argv: string;
  env?: NodeJS.ProcessEnv;
  /** The command and the arguments it must receive (only the keys listed are compared). */
  parsed?: Record<string, unknown>;
  /** The usage error's line after "rnn-adder: ": equal to a string, or matching a RegExp. */
  usage?: string | RegExp;
}

// The width, hidden size, batch and budget default per task: the parser leaves them unset and resolveConfig fills
// them in (test/train/long-lags.test.ts).
const TRAIN_DEFAULTS = {
  command: 'train', task: 'add', bits: undefined, cell: 'elman', hidden: undefined, batch: undefined, lr: undefined, optimizer: 'adam', engine: undefined,
  loss: 'mse', clip: undefined, init: undefined, bias: true, seed: 0, maxSamples: undefined, force: false, out: '<fresh>', plot: undefined,
  delay: undefined, length: undefined, tbptt: undefined, beta1: undefined, beta2: undefined, epsilon: undefined,
};

const CASES: ParseCase[] = [
  // Global: the backend is --backend, else RNN_ADDER_BACKEND, else auto; a bad name from either is refused.
  { argv: 'add 200 55', parsed: { command: 'add', a: '200', b: '55', model: undefined, trace: false, json: false, backend: 'auto' } },
  { argv: 'add 3 4 --json', env: { RNN_ADDER_BACKEND: 'cpu' }, parsed: { json: true, backend: 'cpu' } },
  { argv: 'add 3 4', env: { RNN_ADDER_BACKEND: '' }, parsed: { backend: 'auto' } },
  { argv: 'add 3 4 --backend wasm', env: { RNN_ADDER_BACKEND: 'cpu' }, parsed: { backend: 'wasm' } },
  { argv: 'add 3 4 --backend auto', env: { RNN_ADDER_BACKEND: 'bogus' }, parsed: { backend: 'auto' } },
  { argv: 'add 3 4', env: { RNN_ADDER_BACKEND: 'bogus' }, usage: 'RNN_ADDER_BACKEND is "bogus": expected one of auto, tensorflow, wasm, cpu' },
  { argv: 'gradcheck', env: { RNN_ADDER_BACKEND: 'CPU' }, usage: 'RNN_ADDER_BACKEND is "CPU": expected one of auto, tensorflow, wasm, cpu' },
  { argv: 'add 1 2 --backend foo', usage: 'Invalid values: Argument: backend, Given: "foo", Choices: "auto", "tensorflow", "wasm", "cpu" (see --help)' },
  { argv: 'add 1 2 --model m --backend', usage: '--backend needs a value (see --help)' },
  { argv: 'frob', usage: 'unknown command "frob"; the commands are add, eval, grads, gradcheck, gradflow, inspect, serve, train (see --help)' },
  // A mistyped command or flag gets the name it was nearest to (one edit in three letters, a swap counting one).
  { argv: 'trian --bits 8', usage: 'unknown command "trian": did you mean train? (see --help)' },
  { argv: 'ad 1 2', usage: 'unknown command "ad": did you mean add? (see --help)' },
  { argv: 'add 1 2 --modle m', usage: 'unknown flag --modle: did you mean --model? (see --help)' },
  { argv: 'train --optimzer adam', usage: 'unknown flag --optimzer: did you mean --optimizer? (see --help)' },
  { argv: 'train --max-smples 500', usage: 'unknown flag --max-smples: did you mean --max-samples? (see --help)' },
  { argv: 'train --no-bais', usage: 'unknown flag --no-bais: did you mean --no-bias? (see --help)' },
  { argv: 'gradcheck --jsn', usage: 'unknown flag --jsn: did you mean --json? (see --help)' },
  { argv: 'add 1 2 3', usage: '"3" is not an operand of add (see --help)' },
  { argv: '--frob', usage: 'Name a command (see --help)' },
  { argv: '', usage: 'Name a command (see --help)' },

  // add
  { argv: 'add 12345678901234567890 1 --model m --trace', parsed: { a: '12345678901234567890', b: '1', model: 'm', trace: true } },
  // A malformed operand is a usage error, found by the parser before any model is read.
  { argv: 'add -5 3', usage: 'the first operand must be non-negative, got "-5"' },
  { argv: 'add 5 1.5', usage: 'the second operand must be a whole number, got "1.5"' },
  { argv: 'add 3 --model m', usage: 'Not enough non-option arguments: got 1, need at least 2 (see --help)' },
  { argv: 'add 3 4 --model m --frob', usage: 'unknown flag --frob (see --help)' },
  { argv: 'add 3 4 --model', usage: '--model needs a value (see --help)' },

  // eval
  { argv: 'eval --model m', parsed: { command: 'eval', model: 'm', bits: undefined, samples: undefined, seed: 0 } },
  { argv: 'eval --model m --bits 12 --samples 50 --seed 3', parsed: { bits: 12, samples: 50, seed: 3 } },
  { argv: 'eval --model m --bits 0', usage: '--bits must be between 1 and 1024, got 0' },
  { argv: 'eval --model m --bits abc', usage: '--bits expects a number, got "abc"' },
  { argv: 'eval --model m --bits 2.5', usage: '--bits expects an integer, got "2.5"' },
  { argv: 'eval --model m --samples 0', usage: '--samples must be between 1 and 100000, got 0' },
  { argv: 'eval', usage: 'Missing required argument: model (see --help)' },
  { argv: 'eval --model', usage: '--model needs a value (see --help)' },
  { argv: 'eval --model m --frob', usage: 'unknown flag --frob (see --help)' },
  { argv: 'eval --model m extra', usage: '"extra" is not an operand of eval (see --help)' },
  { argv: 'eval --model m --bits', usage: '--bits needs a value (see --help)' },
  { argv: 'eval --model m --samples --bits 4', usage: '--samples needs a value (see --help)' },
  { argv: 'eval --model m --bits 4 --bits 5', usage: '--bits is given twice ("4", "5"); give it once' },

  // grads
  { argv: 'grads --model m --pairs 3+5,200+55', parsed: { command: 'grads', pairs: '3+5,200+55', bits: undefined, loss: undefined } },
  { argv: 'grads --model m --pairs 255+1 --bits 12 --loss bce', parsed: { bits: 12, loss: 'bce' } },
  { argv: 'grads --model m --pairs 3+5 --bits 0', usage: '--bits must be between 1 and 1024, got 0' },
  { argv: 'grads --model m --pairs 3+5 --loss foo', usage: 'Invalid values: Argument: loss, Given: "foo", Choices: "mse", "bce" (see --help)' },
  { argv: 'grads --model m', usage: 'Missing required argument: pairs (see --help)' },
  { argv: 'grads --model m --pairs', usage: '--pairs needs a value (see --help)' },
  { argv: 'grads --model m --pairs 3+x', usage: 'the right operand of pair 1 ("3+x") must be a non-negative integer in decimal digits, got "x"' },
  { argv: 'grads --model m --pairs 3+5 --json --frob', usage: 'unknown flag --frob (see --help)' },
  { argv: 'grads --model m --pairs 3+5 --bits 2.5', usage: '--bits expects an integer, got "2.5"' },
  { argv: 'grads --model m --pairs 3+5 --loss', usage: '--loss needs a value (see --help)' },

  // gradcheck
  { argv: 'gradcheck', parsed: { command: 'gradcheck', cell: 'elman', bits: 8, hidden: 16, batch: 8, seed: 1, bias: true, loss: 'mse' } },
  { argv: 'gradcheck --cell lstm', parsed: { cell: 'lstm' } },
  { argv: 'gradcheck --cell gru --bits 16', parsed: { cell: 'gru', bits: 16 } },
  { argv: 'gradcheck --cell rnn', usage: 'Invalid values: Argument: cell, Given: "rnn", Choices: "elman", "lstm", "gru" (see --help)' },
  { argv: 'gradcheck --cell', usage: '--cell needs a value (see --help)' },
  { argv: 'gradcheck --bits 16 --no-bias --loss bce --hidden 3', parsed: { bits: 16, hidden: 3, bias: false, loss: 'bce' } },
  { argv: 'gradcheck --bits 0', usage: '--bits must be between 1 and 256, got 0' },
  { argv: 'gradcheck --bits 257', usage: '--bits must be between 1 and 256, got 257' },
  { argv: 'gradcheck --bits abc', usage: '--bits expects a number, got "abc"' },
  { argv: 'gradcheck --hidden 0', usage: '--hidden must be between 1 and 64, got 0' },
  { argv: 'gradcheck --hidden 1600', usage: '--hidden must be between 1 and 64, got 1600' },
  { argv: 'gradcheck --batch 2.5', usage: '--batch expects an integer, got "2.5"' },
  { argv: 'gradcheck --seed 1.5', usage: '--seed expects an integer, got "1.5"' },
  { argv: 'gradcheck --loss foo', usage: 'Invalid values: Argument: loss, Given: "foo", Choices: "mse", "bce" (see --help)' },
  { argv: 'gradcheck --unknown', usage: 'unknown flag --unknown (see --help)' },
  { argv: 'gradcheck --bits', usage: '--bits needs a value (see --help)' },
  { argv: 'gradcheck --hidden --batch 2', usage: '--hidden needs a value (see --help)' },
  { argv: 'gradcheck --loss', usage: '--loss needs a value (see --help)' },

  // gradflow
  { argv: 'gradflow --random', parsed: { command: 'gradflow', random: true, cell: ['elman'], hidden: 16, bits: 16, samples: 256, seed: 0, clip: 1 } },
  { argv: 'gradflow --model m --clip 1e-4 --loss bce', parsed: { model: ['m'], clip: 1e-4, loss: 'bce' } },
  { argv: 'gradflow --model m --model n --bits 100', parsed: { model: ['m', 'n'], bits: 100 } },
  { argv: 'gradflow --random --cell lstm --cell gru', parsed: { cell: ['lstm', 'gru'] } },
  { argv: 'gradflow --random --cell rnn', usage: 'Invalid values: Argument: cell, Given: "rnn", Choices: "elman", "lstm", "gru" (see --help)' },
  { argv: 'gradflow', usage: 'name a network: --model DIR or --random' },
  { argv: 'gradflow --random --model m', usage: 'Arguments model and random are mutually exclusive (see --help)' },
  { argv: 'gradflow --random --bits 0', usage: '--bits must be between 1 and 256, got 0' },
  { argv: 'gradflow --random --clip -1', usage: '--clip must be greater than 0, got -1' },
  { argv: 'gradflow --random --clip', usage: '--clip needs a value (see --help)' },
  { argv: 'gradflow --random --samples x', usage: '--samples expects a number, got "x"' },
  { argv: 'gradflow --random --frob', usage: 'unknown flag --frob (see --help)' },
  { argv: 'gradflow --model m --loss', usage: '--loss needs a value (see --help)' },

  // inspect
  { argv: 'inspect --model m', parsed: { command: 'inspect', model: 'm', bits: undefined, samples: 500, seed: 0, plot: undefined } },
  { argv: 'inspect', usage: 'Missing required argument: model (see --help)' },
  { argv: 'inspect --model m --samples many', usage: '--samples expects a number, got "many"' },
  { argv: 'inspect --model m --samples 20001', usage: '--samples must be between 1 and 20000, got 20001' },
  { argv: 'inspect --model m --seed', usage: '--seed needs a value (see --help)' },
  { argv: 'inspect --model m --frob', usage: 'unknown flag --frob (see --help)' },

  // serve
  { argv: 'serve', parsed: { command: 'serve', port: 8080, model: undefined } },
  { argv: 'serve --port 0 --model models/adder-8', parsed: { command: 'serve', port: 0, model: 'models/adder-8' } },
  { argv: 'serve --port abc', usage: '--port expects a number, got "abc"' },
  { argv: 'serve --port 80.5', usage: '--port expects an integer, got "80.5"' },
  { argv: 'serve --port 65536', usage: '--port must be between 0 and 65535, got 65536' },
  { argv: 'serve --port -1', usage: '--port must be between 0 and 65535, got -1' },
  { argv: 'serve --port', usage: '--port needs a value (see --help)' },
  { argv: 'serve --model', usage: '--model needs a value (see --help)' },
  { argv: 'serve --frob', usage: 'unknown flag --frob (see --help)' },

  // train: the defaults, and never over an existing model without --force (an empty directory is free)
  { argv: 'train --out <fresh>', parsed: TRAIN_DEFAULTS },
  { argv: 'train --bits 4 --no-bias --optimizer sgd --lr 0.5 --max-samples 1000 --clip 1 --out <fresh>', parsed: { bits: 4, bias: false, optimizer: 'sgd', lr: 0.5, maxSamples: 1000, clip: 1 } },
  { argv: 'train --out <empty>', parsed: { out: '<empty>', force: false } },
  { argv: 'train --out <model> --force', parsed: { out: '<model>', force: true } },
  { argv: 'train --out <model>', usage: '<model> already holds a model: pass --force to replace it' },
  { argv: 'train --cell lstm --out <fresh>', parsed: { cell: 'lstm' } },
  { argv: 'train --cell gru --bits 16', parsed: { cell: 'gru', out: path.resolve('trained', 'gru-16') } },
  { argv: 'train --cell foo', usage: 'Invalid values: Argument: cell, Given: "foo", Choices: "elman", "lstm", "gru" (see --help)' },
  { argv: 'train --bits 16 --out <model> --json', usage: '<model> already holds a model: pass --force to replace it' },
  { argv: 'train --out <file> --force', usage: '--out <file> is a file, not a model directory' },
  { argv: 'train --lr -1', usage: '--lr must be greater than 0, got -1' },
  { argv: 'train --batch 0', usage: '--batch must be between 1 and 4096, got 0' },
  { argv: 'train --hidden 0', usage: '--hidden must be between 1 and 1024, got 0' },
  { argv: 'train --optimizer rmsprop', usage: 'Invalid values: Argument: optimizer, Given: "rmsprop", Choices: "sgd", "momentum", "adam" (see --help)' },
  { argv: 'train --engine tape', usage: /^Invalid values: Argument: engine, Given: "tape", Choices: "fused", "bptt", "autodiff"/ },
  { argv: 'train --bits abc', usage: '--bits expects a number, got "abc"' },
  { argv: 'train --bits 65', usage: '--bits must be between 1 and 64, got 65' },
  { argv: 'train --clip 0', usage: '--clip must be greater than 0, got 0' },
  { argv: 'train --bits', usage: '--bits needs a value (see --help)' },
  { argv: 'train --lr', usage: '--lr needs a value (see --help)' },
  { argv: 'train --optimizer', usage: '--optimizer needs a value (see --help)' },
  { argv: 'train --bits 2 --plot', usage: '--plot needs a value (see --help)' },
  { argv: 'train --max-samples 1e9x', usage: '--max-samples expects a number, got "1e9x"' },
  { argv: 'train --frob', usage: 'unknown flag --frob (see --help)' },
  // Adam's settings: each in (0, 1), ε > 0, and only with --optimizer adam
  { argv: 'train --beta1 0.9 --beta2 0.999 --epsilon 1e-8 --out <fresh>', parsed: { optimizer: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
  { argv: 'train --task adding-problem --beta1 0.5 --out <fresh>', parsed: { beta1: 0.5, beta2: undefined, epsilon: undefined } },
  { argv: 'train --beta1 0', usage: '--beta1 must be between 0 and 1 (both excluded), got 0' },
  { argv: 'train --beta1 1', usage: '--beta1 must be between 0 and 1 (both excluded), got 1' },
  { argv: 'train --beta2 -0.5', usage: '--beta2 must be between 0 and 1 (both excluded), got -0.5' },
  { argv: 'train --beta2 abc', usage: '--beta2 expects a number, got "abc"' },
  { argv: 'train --epsilon 0', usage: '--epsilon must be greater than 0, got 0' },
  { argv: 'train --beta1', usage: '--beta1 needs a value (see --help)' },
  { argv: 'train --beta1 0.9 --beta1 0.8', usage: '--beta1 is given twice ("0.9", "0.8"); give it once' },
  { argv: 'train --optimizer sgd --beta1 0.9', usage: '--beta1 belongs to --optimizer adam, not sgd' },
  { argv: 'train --optimizer momentum --epsilon 1e-8', usage: '--epsilon belongs to --optimizer adam, not momentum' },
];

describe('cli: the command line, parsed in-process', () => {
  const fixtures: Record<string, string> = {};
  const fill = (text: string): string => text.replace(/<(\w+)>/g, (_, name: string) => fixtures[name]);
  let root: string;

  before(async () => {
    root = await tempDir('parse');
    fixtures.fresh = path.join(root, 'fresh');
    fixtures.empty = path.join(root, 'empty');
    fixtures.model = path.join(root, 'model');
    fixtures.file = path.join(root, 'a-file');
    await fs.mkdir(fixtures.empty);
    await fs.mkdir(fixtures.model);
    await fs.writeFile(path.join(fixtures.model, 'model.json'), '{}');
    await fs.writeFile(fixtures.file, 'not a model');
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  for (const c of CASES) {
    const env = c.env ? ` (${Object.entries(c.env).map(([k, v]) => `${k}=${v}`).join(' ')})` : '';
    it(`${c.argv || '(nothing)'}${env}: ${c.usage ? 'refused' : 'parsed'}`, async () => {
      const result = await parseCli(c.argv === '' ? [] : fill(c.argv).split(' '), c.env);
      if (c.usage !== undefined) {
        expect(result.command, `no command may run after a usage error`).to.equal(undefined);
        if (c.usage instanceof RegExp) expect(result.usage).to.match(c.usage);
        else expect(result.usage).to.equal(fill(c.usage));
        return;
      }
      expect(result.usage, 'usage error').to.equal(undefined);
      const { command, ...expected } = c.parsed!;
      if (command !== undefined) expect(result.command).to.equal(command);
      const got = Object.fromEntries(Object.keys(expected).map((key) => [key, result.args![key]]));
      const want = Object.fromEntries(Object.entries(expected).map(([key, v]) => [key, typeof v === 'string' ? fill(v) : v]));
      expect(got).to.deep.equal(want);
    });
  }

  it('resolves a relative --out against the working directory', async () => {
    const result = await parseCli(['train', '--out', 'some/relative-dir']);
    expect(result.args!.out).to.equal(path.resolve('some/relative-dir'));
  });

  it('prints help with usage, options and examples, running nothing', async () => {
    const top = await parseCli(['--help']);
    expect(top.command).to.equal(undefined);
    for (const name of ['add', 'eval', 'grads', 'gradcheck', 'gradflow', 'inspect', 'serve', 'train']) {
      expect(top.output).to.match(new RegExp(`\\n  rnn-adder ${name}\\b`));
    }
    expect(top.output).to.contain('$RNN_ADDER_BACKEND');
    const add = await parseCli(['add', '--help']);
    expect(add.output).to.contain('Examples:').and.to.contain('rnn-adder add 200 55');
    const train = await parseCli(['train', '--help']);
    expect(train.output).to.match(/--force\s+Replace the model already at --out/);
    expect(train.output, 'the adders\' β1 and the adding problem\'s').to.match(/--beta1\s[^-]*\[default: 0\.7; adding-problem\s+0\.9\]/);
    const evalHelp = (await parseCli(['eval', '--help'])).output;
    const bitsHelp = /\n\s+--bits\s[\s\S]*?(?=\n\s+--)/.exec(evalHelp)?.[0];
    expect(bitsHelp, 'eval --help describes --bits').to.contain('Operand width');
    expect(bitsHelp, 'a number flag is not labelled [string]').to.not.contain('[string]');
  });
});
