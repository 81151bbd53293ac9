// `npm run lags`: where each cell stops bridging a time lag. Trains every cell on the echo task over a ladder of
// delays and on the adding problem over a ladder of lengths, several seeds each under a fixed sample budget, plus
// truncated BPTT below and above the lag; prints the table, and (full ladder only) writes docs/long-lags.md's
// results section, docs/long-lags.json and docs/img/long-lags.svg.
//   node dist/scripts/lags.js [--quick | --speed]
// --quick is the CI-sized ladder (a minute or two) and writes nothing. --speed times training steps of the adding
// problem at T = 100 and 500 per cell instead (docs/benchmarks.md).
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { disposeParams, initBackend, LongLagResult, TaskTrainOptions, trainOnTask, writeSvg } from 'rnn-adder';
import type { TopLevelSpec } from 'vega-lite';

const quick = process.argv.includes('--quick');

interface Ladder {
  seeds: number[];
  delays: number[];
  lengths: number[];
  /** Stream bits (echo) and sequences (adding problem) a run may use. */
  echoBudget: number;
  addingBudget: number;
  /** The truncation experiment: one lag, windows below and above it. */
  echoTbptt: { delay: number; windows: number[] };
  addingTbptt: { length: number; windows: number[] };
}

const LADDER: Ladder = quick
  ? {
      seeds: [1],
      delays: [1, 4, 8],
      lengths: [10, 20],
      echoBudget: 40_000,
      addingBudget: 5_000,
      echoTbptt: { delay: 4, windows: [2, 8] },
      addingTbptt: { length: 10, windows: [3] },
    }
  : {
      seeds: [1, 2],
      delays: [1, 2, 4, 8, 16, 32],
      lengths: [10, 20, 50, 100, 200, 500],
      echoBudget: 100_000,
      addingBudget: 30_000,
      echoTbptt: { delay: 8, windows: [4, 8, 16, 32] },
      addingTbptt: { length: 20, windows: [5, 10, 40] },
    };

/**
 * The cells the ladder trains. The gated cells have engines now (and bridge the adding problem: docs/long-lags.md
 * has an LSTM run), but a ladder of them takes hours on this machine's wasm; echo is the Elman cell's only.
 */
const CELLS = ['elman'] as const;

interface Row {
  cell: string;
  task: 'echo' | 'adding-problem';
  /** The delay k or the length T. */
  lag: number;
  hidden: number;
  tbptt: number | null;
  seed: number;
  solved: boolean;
  samples: number;
  seconds: number;
  /** Echo: share of a fresh stream's bits right; adding problem: share of 2,560 fresh sequences right. */
  score: number;
}

/**
 * An echo of delay k must hold the last k bits: H = max(4, 2k) gives it room, so that the ladder measures the lag
 * and not the memory; the window reaches past the lag (2k, at least the echo example's 15) unless the experiment says.
 */
function echoRun(delay: number, seed: number, tbptt = Math.max(15, 2 * delay)): TaskTrainOptions {
  return { task: 'echo', delay, seed, hidden: Math.max(4, 2 * delay), tbptt, maxSamples: LADDER.echoBudget };
}

function addingRun(length: number, seed: number, tbptt?: number): TaskTrainOptions {
  return { task: 'adding-problem', length, seed, tbptt, maxSamples: LADDER.addingBudget };
}

async function measure(cell: string, options: TaskTrainOptions): Promise<Row> {
  const result: LongLagResult = await trainOnTask(options);
  disposeParams(result.params);
  const s = result.score;
  const row: Row = {
    cell,
    task: options.task,
    lag: options.task === 'echo' ? options.delay! : options.length!,
    hidden: result.config.hidden,
    tbptt: result.config.tbptt ?? null,
    seed: options.seed!,
    solved: result.solved,
    samples: result.samples,
    seconds: result.seconds,
    score: 'delay' in s ? s.right / s.scored : 1 - s.wrong / s.sequences,
  };
  process.stderr.write(`${JSON.stringify(row)}\n`);
  return row;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
};

/** One line per (cell, task, lag, window): seeds solved, median samples and seconds of the solved runs. */
function table(rows: Row[]): string {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.cell}|${row.task}|${row.lag}|${row.tbptt}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const lines = [
    '| cell | task | lag | H | tbptt | solved | samples to solve (median) | seconds (median) | fresh-data score (median) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const group of groups.values()) {
    const [first] = group;
    const solved = group.filter((r) => r.solved);
    const lag = first.task === 'echo' ? `k = ${first.lag}` : `T = ${first.lag}`;
    const samples = solved.length > 0 ? median(solved.map((r) => r.samples)).toLocaleString('en') : '—';
    const seconds = median((solved.length > 0 ? solved : group).map((r) => r.seconds)).toFixed(1);
    lines.push(
      `| ${first.cell} | ${first.task} | ${lag} | ${first.hidden} | ${first.tbptt ?? 'full'} | ${solved.length}/${group.length} | ` +
        `${samples} | ${seconds} | ${(100 * median(group.map((r) => r.score))).toFixed(1)}% |`,
    );
  }
  return lines.join('\n');
}

/** Left: the longest lag each cell solved (every seed) per task. Right: solved seeds against the window K. */
function picture(ladderRows: Row[], tbpttRows: Row[]): TopLevelSpec {
  const longest = CELLS.flatMap((cell) =>
    (['echo', 'adding-problem'] as const).map((task) => {
      const lags = [...new Set(ladderRows.filter((r) => r.cell === cell && r.task === task).map((r) => r.lag))];
      const solved = lags.filter((lag) => ladderRows.filter((r) => r.cell === cell && r.task === task && r.lag === lag).every((r) => r.solved));
      return { cell, task, longest: solved.length > 0 ? Math.max(...solved) : 0 };
    }),
  );
  const windows = tbpttRows.map((r) => ({ ...r, experiment: `${r.task} ${r.task === 'echo' ? 'k' : 'T'} = ${r.lag}` }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    hconcat: [
      {
        title: 'Longest lag solved by every seed',
        data: { values: longest },
        mark: 'bar',
        encoding: {
          x: { field: 'task', type: 'nominal', title: null },
          xOffset: { field: 'cell' },
          y: { field: 'longest', type: 'quantitative', title: 'echo delay k / adding-problem length T' },
          color: { field: 'cell', type: 'nominal' },
        },
        width: 260,
        height: 220,
      },
      {
        title: 'Truncated BPTT below and above the lag',
        data: { values: windows },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'tbptt', type: 'quantitative', scale: { type: 'log', base: 2 }, title: 'tbptt K (steps)' },
          y: { aggregate: 'mean', field: 'score', type: 'quantitative', title: 'fresh-data score (mean over seeds)', scale: { domain: [0, 1] } },
          color: { field: 'experiment', type: 'nominal' },
          strokeDash: { field: 'cell', type: 'nominal' },
        },
        width: 260,
        height: 220,
      },
    ],
  } as TopLevelSpec;
}

async function writeResults(rows: Row[], ladderRows: Row[], tbpttRows: Row[], seconds: number): Promise<void> {
  const docs = path.join(__dirname, '..', '..', 'docs');
  await fs.writeFile(path.join(docs, 'long-lags.json'), JSON.stringify(rows, null, 1) + '\n');
  await writeSvg(path.join(docs, 'img'), 'long-lags.svg', picture(ladderRows, tbpttRows));
  const file = path.join(docs, 'long-lags.md');
  const text = await fs.readFile(file, 'utf8');
  const [begin, end] = ['<!-- results:begin -->', '<!-- results:end -->'];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}`;
  const section = [
    begin,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, wasm backend, ${(seconds / 60).toFixed(1)} minutes in all ` +
      `(seeds ${LADDER.seeds.join(', ')}; budgets ${LADDER.echoBudget.toLocaleString('en')} stream bits, ` +
      `${LADDER.addingBudget.toLocaleString('en')} sequences):`,
    '',
    table(rows),
    '',
    '![Longest lag solved per cell, and truncated BPTT below and above the lag](img/long-lags.svg)',
    end,
  ].join('\n');
  const at = text.indexOf(begin);
  const after = text.indexOf(end);
  if (at < 0 || after < 0) throw new Error(`${file} has no ${begin} … ${end} section to fill`);
  await fs.writeFile(file, text.slice(0, at) + section + text.slice(after + end.length));
}

/** Training steps per second and sequences per second on the adding problem: batch 64, full BPTT, warm process. */
async function speed(): Promise<void> {
  const lines = ['| cell | T | steps/s | sequences/s | time steps/s |', '|---|---:|---:|---:|---:|'];
  for (const cell of ['elman', 'lstm', 'gru'] as const) {
    for (const length of [100, 500]) {
      // One short run to warm up (wasm compiles, tfjs caches kernels), then the timed one.
      const steps = length === 100 ? 40 : 10;
      for (const timed of [false, true]) {
        const result = await trainOnTask({ task: 'adding-problem', cell, length, seed: 1, maxSamples: 64 * (timed ? steps : 2) });
        disposeParams(result.params);
        if (!timed) continue;
        const perSecond = (n: number) => Math.round(n / result.seconds).toLocaleString('en');
        // Lengths are T … T + T/10, padded to the batch's longest: about 1.1·T steps each.
        const timeSteps = result.samples * length * 1.1;
        lines.push(`| ${cell} | ${length} | ${(result.steps / result.seconds).toFixed(1)} | ${perSecond(result.samples)} | ${perSecond(timeSteps)} |`);
      }
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  await initBackend('wasm');
  if (process.argv.includes('--speed')) return speed();
  const start = performance.now();
  const ladderRows: Row[] = [];
  const tbpttRows: Row[] = [];
  for (const cell of CELLS) {
    for (const seed of LADDER.seeds) {
      for (const delay of LADDER.delays) ladderRows.push(await measure(cell, echoRun(delay, seed)));
      for (const length of LADDER.lengths) ladderRows.push(await measure(cell, addingRun(length, seed)));
      for (const K of LADDER.echoTbptt.windows) tbpttRows.push(await measure(cell, echoRun(LADDER.echoTbptt.delay, seed, K)));
      for (const K of LADDER.addingTbptt.windows) tbpttRows.push(await measure(cell, addingRun(LADDER.addingTbptt.length, seed, K)));
    }
  }
  const rows = [...ladderRows, ...tbpttRows];
  const order = (r: Row) => `${r.cell}|${r.task}|${String(r.lag).padStart(4, '0')}|${String(r.tbptt ?? 9999).padStart(4, '0')}`;
  rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  process.stdout.write(table(rows) + '\n');
  if (!quick) await writeResults(rows, ladderRows, tbpttRows, (performance.now() - start) / 1000);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
