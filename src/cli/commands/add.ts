// `rnn-adder add A B`: the trained network adds two non-negative integers of any size (T grows with them).
import * as fs from 'fs';
import * as path from 'path';
import type { Argv } from 'yargs';
import { add, AdditionTrace, disposeParams, loadAdder, parseOperand, traceAddition, UserError } from '../../index';
import { modelOption } from '../model-option';
import { CommonArgs, emit, handler as run, reportError } from '../run';

/** The shipped 16-bit adder, found from this file so `add` works from any working directory. */
export const DEFAULT_MODEL_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'models', 'adder-16');

/** Exit code when the model's sum is wrong: the command ran, but the answer must not pass for right. */
export const WRONG_SUM_EXIT = 3;

interface AddArgs extends CommonArgs {
  a: string;
  b: string;
  model?: string;
  trace: boolean;
}

export const command = 'add <a> <b>';
export const describe = 'Add two non-negative integers of any size with a trained adder';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<AddArgs> {
  return yargs
    .positional('a', { describe: 'First operand: a non-negative integer, any number of digits', type: 'string' })
    .positional('b', { describe: 'Second operand: a non-negative integer, any number of digits', type: 'string' })
    .options({
      model: modelOption('Model directory (default: the shipped models/adder-16)', false),
      trace: { describe: 'Show every step: input bits, output probability, predicted and true bit, hidden state', type: 'boolean', default: false },
    })
    .epilogue(`Exits with ${WRONG_SUM_EXIT} (and says so on stderr) if the model's sum is not the true sum.`)
    .example('$0 add 200 55', 'prints 255')
    .example('$0 add 65535 1 --model models/adder-16', 'prints 65536')
    .example('$0 add 12345678901234567890 1 --trace', 'the per-step table, then the sum') as unknown as Argv<AddArgs>;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** s_t in (0, 1) as one character per unit, ▁ near 0 … █ near 1. */
function sparkline(state: number[]): string {
  return state.map((v) => SPARK[Math.min(SPARK.length - 1, Math.floor(v * SPARK.length))]).join('');
}

function traceTable(trace: AdditionTrace): string {
  const H = trace.steps[0].state.length;
  const width = Math.max(2, String(trace.steps.length - 1).length);
  const header = `${'t'.padStart(width)}  a b   ŷ_t    bit true   s_t (H = ${H}: ▁ near 0 … █ near 1)`;
  const rows = trace.steps.map((s) =>
    [
      String(s.t).padStart(width),
      ` ${s.a} ${s.b}`,
      s.p.toFixed(4).padStart(7),
      `   ${s.bit}   ${s.want}${s.bit === s.want ? ' ' : '✗'}`,
      `  ${sparkline(s.state)}`,
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

async function loadDefaultAdder(dir: string | undefined) {
  if (dir === undefined && !fs.existsSync(DEFAULT_MODEL_DIR)) {
    throw new UserError(`the default model ${DEFAULT_MODEL_DIR} is not there: train it (npm run train:16) or pass --model DIR`);
  }
  return loadAdder(dir ?? DEFAULT_MODEL_DIR);
}

export const handler = run<AddArgs>(async (args, backend) => {
  const a = parseOperand(args.a, 'the first operand');
  const b = parseOperand(args.b, 'the second operand');
  const modelDir = args.model ?? DEFAULT_MODEL_DIR;
  const { params, config } = await loadDefaultAdder(args.model);
  let trace: AdditionTrace | undefined;
  let sum: bigint;
  try {
    trace = args.trace ? traceAddition(params, a, b) : undefined;
    sum = trace?.sum ?? add({ params }, a, b);
  } finally {
    disposeParams(params);
  }
  const expected = a + b;
  const result = {
    a: String(a), b: String(b), sum: String(sum), expected: String(expected), correct: sum === expected,
    backend, model: modelDir, ...(trace ? { steps: trace.steps } : {}),
  };
  emit(args, result, () =>
    trace
      ? `${a} + ${b} on ${trace.steps.length} steps, model ${modelDir} (H = ${config.hidden}), backend ${backend}\n` +
        `${traceTable(trace)}\n${sum}`
      : String(sum),
  );
  if (sum !== expected) {
    reportError(new Error(`the model's sum is wrong: ${a} + ${b} = ${expected}, the model says ${sum}`), WRONG_SUM_EXIT);
  }
});
