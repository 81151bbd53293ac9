// The work of `rnn-adder add`: load the adder, add (with the per-step table on --trace), say when it is wrong.
import * as fs from 'fs';
import {
  add,
  additionBatch,
  AdditionTrace,
  BackendName,
  BackwardTrace,
  disposeParams,
  loadAdder,
  parseOperand,
  stepNorms,
  traceAddition,
  traceBackward,
  UserError,
} from '../../index';
import { CellName } from '../../names';
import { WRONG_SUM_EXIT } from '../exit-codes';
import { DEFAULT_MODEL_DIR } from '../model-option';
import { CommonArgs, emit, reportError } from '../run';

export interface AddArgs extends CommonArgs {
  a: string;
  b: string;
  model?: string;
  trace: boolean;
  backward: boolean;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** A state in (low, 1) as one character per unit, ▁ near low … █ near 1. */
function sparkline(state: number[], low: number): string {
  return state.map((v) => SPARK[Math.min(SPARK.length - 1, Math.floor(((v - low) / (1 - low)) * SPARK.length))]).join('');
}

/** The per-step table; the states are the Elman cell's sigmoids in (0, 1) or the gated cells' h_t in (−1, 1). */
function traceTable(trace: AdditionTrace, cell: CellName): string {
  const H = trace.steps[0].state.length;
  const low = cell === 'elman' ? 0 : -1;
  const width = Math.max(2, String(trace.steps.length - 1).length);
  const name = cell === 'elman' ? 's_t' : 'h_t';
  const header = `${'t'.padStart(width)}  a b   ŷ_t    bit true   ${name} (H = ${H}: ▁ near ${low} … █ near 1)`;
  const rows = trace.steps.map((s) =>
    [
      String(s.t).padStart(width),
      ` ${s.a} ${s.b}`,
      s.p.toFixed(4).padStart(7),
      `   ${s.bit}   ${s.want}${s.bit === s.want ? ' ' : '✗'}`,
      `  ${sparkline(s.state, low)}`,
    ].join(' '),
  );
  return [header, ...rows].join('\n');
}

/** The backward pass per step: t, ∂L/∂ŷ_t, ‖dS_t‖, ‖δ_t‖ and ‖step t's share of dWs‖. */
function backwardTable(view: BackwardTrace): string {
  const width = Math.max(2, String(view.steps.length - 1).length);
  const number = (v: number) => v.toExponential(3).padStart(11);
  const header = `${'t'.padStart(width)} ${'∂L/∂ŷ_t'.padStart(11)} ${'‖dS_t‖'.padStart(11)} ${'‖δ_t‖'.padStart(11)} ${'‖dWs share‖'.padStart(12)}`;
  const rows = view.steps.map((step) => {
    const norms = stepNorms(step);
    return [String(step.t).padStart(width), number(step.dYhat), number(norms.dS), number(norms.delta), ` ${number(norms.dWs)}`].join(' ');
  });
  const total = Math.hypot(...view.total.Ws.flat());
  return [`backward pass, loss ${view.loss.toExponential(6)} (mean over ${view.steps.length} steps)`, header, ...rows, `‖dWs‖ = ${total.toExponential(3)}, the sum of the shares`].join('\n');
}

async function loadDefaultAdder(dir: string | undefined) {
  if (dir === undefined && !fs.existsSync(DEFAULT_MODEL_DIR)) {
    throw new UserError(`the default model ${DEFAULT_MODEL_DIR} is not there: train it (npm run train:16) or pass --model DIR`);
  }
  return loadAdder(dir ?? DEFAULT_MODEL_DIR);
}

export async function run(args: AddArgs, backend: BackendName): Promise<void> {
  const a = parseOperand(args.a, 'the first operand');
  const b = parseOperand(args.b, 'the second operand');
  const modelDir = args.model ?? DEFAULT_MODEL_DIR;
  const { params, config, metadata } = await loadDefaultAdder(args.model);
  let trace: AdditionTrace | undefined;
  let backward: BackwardTrace | undefined;
  let sum: bigint;
  try {
    // The backward view runs on the model's width, as `grads --pairs "A+B"` encodes the pair, so the totals agree.
    const bits = args.backward ? metadata.bits : 0;
    trace = args.trace || args.backward ? traceAddition(params, a, b, bits) : undefined;
    backward = args.backward ? traceBackward(params, additionBatch(a, b, bits), metadata.loss) : undefined;
    sum = trace?.sum ?? add({ params }, a, b);
  } finally {
    disposeParams(params);
  }
  const expected = a + b;
  const result = {
    a: String(a), b: String(b), sum: String(sum), expected: String(expected), correct: sum === expected,
    backend, model: modelDir, ...(trace ? { steps: trace.steps } : {}),
    ...(backward ? { backward: { loss: backward.loss, steps: backward.steps, total: backward.total, flow: backward.flow } } : {}),
  };
  emit(args, result, () =>
    trace
      ? `${a} + ${b} on ${trace.steps.length} steps, model ${modelDir} (H = ${config.hidden}), backend ${backend}\n` +
        `${traceTable(trace, config.cell ?? 'elman')}\n${backward ? `${backwardTable(backward)}\n` : ''}${sum}`
      : String(sum),
  );
  if (sum !== expected) {
    reportError(new Error(`the model's sum is wrong: ${a} + ${b} = ${expected}, the model says ${sum}`), WRONG_SUM_EXIT);
  }
}
