// `npm run lags`: where each cell stops bridging a time lag. Trains every cell on the echo task over a ladder of
// delays and on the adding problem over a ladder of lengths, several seeds each under a fixed sample budget, plus
// truncated BPTT below and above the lag; prints the tables, and (full ladder only) writes docs/long-lags.md's
// results section, docs/long-lags.json and docs/img/long-lags.svg.
//   node dist/scripts/lags.js [--quick | --speed | --render] [--task echo|adding-problem]
// --task trains only that task's rows and keeps the other task's recorded ones. --quick is the CI-sized ladder
// (about half a minute) and writes nothing. --speed times training steps of the adding problem at T = 100 and 500
// per cell and engine instead (docs/long-lags.md). --render trains nothing: it redraws the tables and the picture
// from the recorded docs/long-lags.json, keeping the section's lines on when and where each task's rows ran.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { disposeParams, initBackend, train, TrainOptions, writeSvg } from 'rnn-adder';

/** A run of a long-lag task. */
type TaskTrainOptions = TrainOptions<'echo' | 'adding-problem'>;
import type { TopLevelSpec } from 'vega-lite';
import { LagTask, LagsRequest, measuredLines, measuredPrefix, mergeRows, parseLagsArgs, Row } from './lag-rows';

let request: LagsRequest;
try {
  request = parseLagsArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`lags: ${(error as Error).message}\n`);
  process.exit(2);
}
const quick = request.mode === 'quick';

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
      // The LSTM at delay 8 needed 151,600 and 443,840 stream bits, the GRU 240,720 and 376,640 (the recipe probes).
      echoBudget: 500_000,
      // The LSTM needs 40,000–60,000 sequences at T = 100 (docs/long-lags.md): room for it and for longer lags.
      addingBudget: 100_000,
      echoTbptt: { delay: 8, windows: [4, 8, 16, 32] },
      addingTbptt: { length: 20, windows: [5, 10, 40] },
    };

/**
 * The echo's learning rate per cell, Adam being the adders' (β 0.7, 0.99) and the batch the echo example's 5: the task's
 * lr 0.05 but for the GRU, which stayed near chance at delay 8 with it, where lr 0.01 solved it. The LSTM keeps
 * 0.05: Kingma & Ba's Adam at 0.01 reaches further (delay 16, one seed of two) but needed 761,120 bits at delay 8,
 * past the budget (docs/long-lags.md, "Is the echo's limit the budget?").
 */
const ECHO_LR = { elman: 0.05, lstm: 0.05, gru: 0.01 } as const;
const ECHO_RECIPE_WORDS = "batch 5, the adders' Adam at lr 0.05, the GRU's at 0.01";

const CELLS = ['elman', 'lstm', 'gru'] as const;
type Cell = (typeof CELLS)[number];

/**
 * A cell that failed two lags in a row with every seed is not run at the longer ones: it would spend the whole
 * budget there too (the Elman cell's adding problem at T = 500 took 10–13 minutes a seed to fail), and the
 * table says so.
 */
const GIVE_UP_AFTER = 2;

/**
 * An echo of delay k must hold the last k bits: H = max(4, 2k) gives it room, so that the ladder measures the lag
 * and not the memory; the window reaches past the lag (2k, at least the echo example's 15) unless the experiment says.
 */
function echoRun(cell: Cell, delay: number, seed: number, tbptt = Math.max(15, 2 * delay)): TaskTrainOptions {
  return { task: 'echo', cell, delay, seed, hidden: Math.max(4, 2 * delay), tbptt, lr: ECHO_LR[cell], maxSamples: LADDER.echoBudget };
}

/** The task's defaults for the cell otherwise: chrono for the LSTM (src/train/config.ts). */
function addingRun(cell: Cell, length: number, seed: number, tbptt?: number): TaskTrainOptions {
  return { task: 'adding-problem', cell, length, seed, tbptt, maxSamples: LADDER.addingBudget };
}

/** Runs already measured, by their options: the truncation experiment repeats the ladder's window at its lag. */
const measured = new Map<string, Row>();

async function measure(experiment: Row['experiment'], cell: Cell, options: TaskTrainOptions): Promise<Row> {
  const key = JSON.stringify(options);
  const done = measured.get(key);
  if (done) return { ...done, experiment };
  const result = await train(options);
  disposeParams(result.params);
  const s = result.score;
  const row: Row = {
    experiment,
    cell,
    task: options.task!,
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
  measured.set(key, row);
  return row;
}

/** One cell up one task's ladder, every seed at each lag, until it has failed GIVE_UP_AFTER lags in a row. */
async function climb(cell: Cell, lags: number[], run: (lag: number, seed: number) => TaskTrainOptions): Promise<Row[]> {
  const rows: Row[] = [];
  let failed = 0;
  for (const lag of lags) {
    if (failed >= GIVE_UP_AFTER) break;
    const atLag: Row[] = [];
    for (const seed of LADDER.seeds) atLag.push(await measure('ladder', cell, run(lag, seed)));
    failed = atLag.some((r) => r.solved) ? 0 : failed + 1;
    rows.push(...atLag);
  }
  return rows;
}

/** The lowest and the highest of the seeds' values, "a–b", or the one value when they agree. */
function range(values: number[], show: (value: number) => string): string {
  const [low, high] = [Math.min(...values), Math.max(...values)].map(show);
  return low === high ? low : `${low}–${high}`;
}

/**
 * One line per (cell, task, lag, window) of one experiment: seeds solved, the samples each solved seed used, and
 * the range of the seeds' seconds and fresh-data scores (with two seeds a median would be their mean, which hides
 * a lag one seed bridges and the other does not).
 */
function table(rows: Row[]): string {
  const order = (r: Row) => `${r.cell}|${r.task}|${String(r.lag).padStart(4, '0')}|${String(r.tbptt ?? 9999).padStart(4, '0')}`;
  const groups = new Map<string, Row[]>();
  for (const row of [...rows].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : a.seed - b.seed))) {
    groups.set(order(row), [...(groups.get(order(row)) ?? []), row]);
  }
  const lines = [
    '| cell | task | lag | H | tbptt | solved | samples to solve (each solved seed) | seconds (range over seeds) | fresh-data score (range over seeds) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const group of groups.values()) {
    const [first] = group;
    const solved = group.filter((r) => r.solved);
    const lag = first.task === 'echo' ? `k = ${first.lag}` : `T = ${first.lag}`;
    const samples = solved.length > 0 ? solved.map((r) => r.samples.toLocaleString('en')).join(', ') : '—';
    const seconds = range(group.map((r) => r.seconds), (v) => v.toFixed(1));
    const score = range(group.map((r) => r.score), (v) => `${(100 * v).toFixed(1)}%`);
    lines.push(
      `| ${first.cell} | ${first.task} | ${lag} | ${first.hidden} | ${first.tbptt ?? 'full'} | ${solved.length}/${group.length} | ` +
        `${samples} | ${seconds} | ${score} |`,
    );
  }
  return lines.join('\n');
}

/** The ladder's table, then the truncation experiment's, each under its own heading. */
function tables(rows: Row[]): string {
  const ladder = rows.filter((r) => r.experiment === 'ladder');
  const skipped = CELLS.flatMap((cell) =>
    (['echo', 'adding-problem'] as const).flatMap((task) => {
      const run = new Set(ladder.filter((r) => r.cell === cell && r.task === task).map((r) => r.lag));
      const lags = (task === 'echo' ? LADDER.delays : LADDER.lengths).filter((lag) => !run.has(lag));
      return lags.length > 0 ? [`${cell} ${task} ${task === 'echo' ? 'k' : 'T'} = ${lags.join(', ')}`] : [];
    }),
  );
  return [
    '**The ladder** (the window past the lag, or full BPTT):',
    '',
    table(ladder),
    '',
    ...(skipped.length > 0
      ? [`Not run, the cell having failed ${GIVE_UP_AFTER} shorter lags in a row with every seed: ${skipped.join('; ')}.`, '']
      : []),
    '**Truncated BPTT** below and above one lag of each task:',
    '',
    table(rows.filter((r) => r.experiment === 'tbptt')),
  ].join('\n');
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

const DOCS = path.join(__dirname, '..', '..', 'docs');
const RESULTS = path.join(DOCS, 'long-lags.json');
const [BEGIN, END] = ['<!-- results:begin -->', '<!-- results:end -->'];

/** The rows recorded by the last run (none before the first). */
async function recordedRows(): Promise<Row[]> {
  const text = await fs.readFile(RESULTS, 'utf8').catch(() => '[]');
  return JSON.parse(text) as Row[];
}

/**
 * Writes the rows, the picture and docs/long-lags.md's results section; `fresh` holds the section's line on when,
 * where and with what budget each task just trained was measured (the other tasks keep theirs).
 */
async function writeResults(rows: Row[], fresh: Partial<Record<LagTask, string>>): Promise<void> {
  await fs.writeFile(RESULTS, JSON.stringify(rows, null, 1) + '\n');
  const ladder = rows.filter((r) => r.experiment === 'ladder');
  await writeSvg(path.join(DOCS, 'img'), 'long-lags.svg', picture(ladder, rows.filter((r) => r.experiment === 'tbptt')));
  const file = path.join(DOCS, 'long-lags.md');
  const text = await fs.readFile(file, 'utf8');
  const at = text.indexOf(BEGIN);
  const after = text.indexOf(END);
  if (at < 0 || after < 0) throw new Error(`${file} has no ${BEGIN} … ${END} section to fill`);
  const recorded = text.slice(at + BEGIN.length, after).trim().split('\n');
  const section = [
    BEGIN,
    ...measuredLines(recorded, fresh).flatMap((line) => [line, '']),
    tables(rows),
    '',
    '![Longest lag solved per cell, and truncated BPTT below and above the lag](img/long-lags.svg)',
    END,
  ].join('\n');
  await fs.writeFile(file, text.slice(0, at) + section + text.slice(after + END.length));
}

/** When, where, how long and with what budget one task's rows were measured. */
function measuredLine(task: LagTask, seconds: number): string {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown cpu'}, Node ${process.version}`;
  const budget =
    task === 'echo'
      ? `${LADDER.echoBudget.toLocaleString('en')} stream bits a run, ${ECHO_RECIPE_WORDS}`
      : `${LADDER.addingBudget.toLocaleString('en')} sequences a run, the task's defaults`;
  return (
    `${measuredPrefix(task)} ${new Date().toISOString().slice(0, 10)} on ${machine}, wasm backend, ` +
    `${(seconds / 60).toFixed(1)} minutes (seeds ${LADDER.seeds.join(', ')}; ${budget}).`
  );
}

/** The median of a few numbers. */
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Training steps per second and sequences per second on the adding problem: batch 64, full BPTT, warm process,
 * each cell on its default engine and the LSTM on its tensor engine too. The runs alternate over three rounds
 * (the machine is shared: a burst of load hits every row alike) and the table shows each row's median. Wall time
 * is the training loop's own; CPU time per step is the difference between a long and a short run of the same row,
 * which cancels what every run spends once (the test on 2,560 fresh sequences, the set-up).
 */
async function speed(): Promise<void> {
  const rows = [
    { cell: 'elman', engine: 'bptt' },
    { cell: 'lstm', engine: 'fused' },
    { cell: 'lstm', engine: 'bptt' },
    { cell: 'gru', engine: 'bptt' },
  ] as const;
  const lines = [
    '| cell | engine | T | steps/s | sequences/s | time steps/s | CPU ms per step |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const length of [100, 500]) {
    const [short, long] = length === 100 ? [10, 40] : [3, 12];
    const run = async (row: (typeof rows)[number], steps: number) => {
      const cpu = process.cpuUsage();
      const result = await train({ task: 'adding-problem', ...row, length, seed: 1, maxSamples: 64 * steps });
      const used = process.cpuUsage(cpu);
      disposeParams(result.params);
      return { seconds: result.seconds, cpu: (used.user + used.system) / 1e6 };
    };
    // A short run each to warm up (wasm compiles, tfjs caches kernels).
    for (const row of rows) await run(row, 2);
    const rounds: { seconds: number; cpuPerStep: number }[][] = rows.map(() => []);
    for (let round = 0; round < 3; round++) {
      for (const [i, row] of rows.entries()) {
        const few = await run(row, short);
        const many = await run(row, long);
        rounds[i].push({ seconds: many.seconds, cpuPerStep: (many.cpu - few.cpu) / (long - short) });
      }
    }
    for (const [i, row] of rows.entries()) {
      const seconds = median(rounds[i].map((r) => r.seconds));
      const samples = 64 * long;
      const perSecond = (k: number) => Math.round(k / seconds).toLocaleString('en');
      // Lengths are T … T + T/10, padded to the batch's longest: about 1.1·T steps each.
      const timeSteps = samples * length * 1.1;
      const cpuPerStep = 1000 * median(rounds[i].map((r) => r.cpuPerStep));
      lines.push(
        `| ${row.cell} | ${row.engine} | ${length} | ${(long / seconds).toFixed(1)} | ${perSecond(samples)} | ${perSecond(timeSteps)} | ${cpuPerStep.toFixed(1)} |`,
      );
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  await initBackend('wasm');
  if (request.mode === 'speed') return speed();
  const recorded = request.mode === 'quick' ? [] : await recordedRows();
  if (request.mode === 'render') return writeResults(recorded, {});
  const rows: Row[] = [];
  const lines: Partial<Record<LagTask, string>> = {};
  for (const task of request.tasks) {
    const start = performance.now();
    for (const cell of CELLS) rows.push(...(await (task === 'echo' ? echoRows(cell) : addingRows(cell))));
    lines[task] = measuredLine(task, (performance.now() - start) / 1000);
  }
  process.stdout.write(tables(rows) + '\n');
  if (!quick) await writeResults(mergeRows(recorded, rows, request.tasks), lines);
}

/** A cell up the echo's ladder of delays, then its truncation rows. */
async function echoRows(cell: Cell): Promise<Row[]> {
  const rows = await climb(cell, LADDER.delays, (delay, seed) => echoRun(cell, delay, seed));
  for (const seed of LADDER.seeds) {
    for (const K of LADDER.echoTbptt.windows) rows.push(await measure('tbptt', cell, echoRun(cell, LADDER.echoTbptt.delay, seed, K)));
  }
  return rows;
}

/** A cell up the adding problem's ladder of lengths, then its truncation rows. */
async function addingRows(cell: Cell): Promise<Row[]> {
  const rows = await climb(cell, LADDER.lengths, (length, seed) => addingRun(cell, length, seed));
  for (const seed of LADDER.seeds) {
    for (const K of LADDER.addingTbptt.windows) rows.push(await measure('tbptt', cell, addingRun(cell, LADDER.addingTbptt.length, seed, K)));
  }
  return rows;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exitCode = 1;
});
