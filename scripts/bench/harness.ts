// The bench's harness: timing in alternating blocks (wall and CPU time), medians, child processes whose last stdout
// line is JSON, the machine and its load, and the log that --json silences. The suites (suites/) measure; this
// file only times and counts.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as os from 'os';

let quiet = false;

/** With --json the figures go to one JSON line at the end and nothing else to stdout. */
export function setQuiet(value: boolean): void {
  quiet = value;
}

/** A line of the human-readable report (silent under --json). */
export function log(line: string): void {
  if (!quiet) console.log(line);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** x rounded to `digits` decimals, as a number (for the JSON and the tables). */
export const round = (x: number, digits: number): number => +x.toFixed(digits);

/** a ÷ b to two decimals: the form every ratio of the bench takes. */
export const ratio = (a: number, b: number): number => round(a / b, 2);

/**
 * Milliseconds per call: the best block (noise on a shared machine only ever adds time) and the median one; and the
 * process's CPU time per call in its least busy block, which other processes on the machine do not inflate.
 */
export interface Timing {
  best: number;
  median: number;
  cpuBest: number;
}

/** The process's CPU time (user + system) in milliseconds since `since`. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** f timed over `reps` blocks of `calls` calls, after `warmup` calls. */
export function timePerCall(f: () => void, calls: number, reps = 7, warmup = calls): Timing {
  return timeInterleaved([f], calls, reps, warmup)[0];
}

/** Each function timed in alternating blocks, so that a busy moment falls on all of them alike. */
export function timeInterleaved(fs: (() => void)[], calls: number, reps: number, warmup = calls): Timing[] {
  for (const f of fs) for (let i = 0; i < warmup; i++) f();
  const perCall: number[][] = fs.map(() => []);
  const cpuPerCall: number[][] = fs.map(() => []);
  for (let r = 0; r < reps; r++) {
    fs.forEach((f, k) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < calls; i++) f();
      perCall[k].push((performance.now() - start) / calls);
      cpuPerCall[k].push(cpuMsSince(cpu) / calls);
    });
  }
  return perCall.map((ms, k) => ({ best: Math.min(...ms), median: median(ms), cpuBest: Math.min(...cpuPerCall[k]) }));
}

/**
 * As timeInterleaved, for steps that may return a promise (tfjs' trainOnBatch and fit): each call awaited before the
 * next, so a block's time is its steps' time.
 */
export async function timeInterleavedAsync(fs: (() => unknown)[], calls: number, reps: number, warmup = calls): Promise<Timing[]> {
  for (const f of fs) for (let i = 0; i < warmup; i++) await f();
  const perCall: number[][] = fs.map(() => []);
  const cpuPerCall: number[][] = fs.map(() => []);
  for (let r = 0; r < reps; r++) {
    for (const [k, f] of fs.entries()) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < calls; i++) await f();
      perCall[k].push((performance.now() - start) / calls);
      cpuPerCall[k].push(cpuMsSince(cpu) / calls);
    }
  }
  return perCall.map((ms, k) => ({ best: Math.min(...ms), median: median(ms), cpuBest: Math.min(...cpuPerCall[k]) }));
}

/** A child process's wall time and its last stdout line as JSON; a child that printed none is an error naming it. */
export function timedJson(label: string, run: () => SpawnSyncReturns<string>): { seconds: number; json: any } {
  const start = performance.now();
  const result = run();
  const seconds = (performance.now() - start) / 1000;
  const lines = String(result.stdout ?? '').trim().split('\n');
  try {
    return { seconds, json: JSON.parse(lines[lines.length - 1]) };
  } catch {
    throw new Error(`${label} printed no JSON: ${String(result.stderr ?? '').trim().split('\n')[0]}`);
  }
}

/**
 * A child process measured from outside, alike for every program: its wall time as this process sees it, its CPU
 * time (user + system, teardown included, as bash's `times` reports its children's), its last JSON line of stdout.
 * bash's own start adds a few ms of wall time to every run alike.
 */
export function timedProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; cpuSeconds: number; json: any } {
  let times = '';
  const { seconds, json } = timedJson(`${command} ${args.join(' ')}`, () => {
    const result = spawnSync('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', command, ...args], { encoding: 'utf8', env });
    times = result.stderr.trim().split('\n').pop() ?? '';
    return result;
  });
  // The second line of `times`: the children's user and system time, as "0m0.277s 0m0.027s".
  const parts = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => 60 * Number(m[1]) + Number(m[2]));
  if (parts.length !== 2) throw new Error(`${command}: no CPU time from bash's times (got "${times}")`);
  return { seconds, cpuSeconds: round(parts[0] + parts[1], 3), json };
}

/** Runs a command and returns its last stdout line as JSON (spawnSync, output captured). */
export function runJson(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { seconds: number; json: any } {
  return timedJson(`${command} ${args.join(' ')}`, () => spawnSync(command, args, { encoding: 'utf8', env }));
}

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  /** The 1-minute load average when the bench started and when it ended: every figure beside it was taken under it. */
  load: { start: number; end?: number };
}

export function machine(): Machine {
  return { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, load: { start: os.loadavg()[0] } };
}

/** Rows as a table of aligned columns, the first row its header; numbers right-aligned. */
export function table(rows: (string | number)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en') : cell)));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  return cells
    .map((row, r) =>
      row.map((cell, c) => (r > 0 && typeof rows[r][c] === 'number' ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd(),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}
