// Where each millisecond of `rnn-adder train --bits 8` and `--bits 16` goes, whole process, seeds 1–3: Node's own
// start, the loading of each module group (npm package, or folder of src/), the backend, the training loop, its
// exactness checks, saving, and the rest (the CLI's parsing and printing, the exit). CPU time and wall time,
// medians over the seeds of each row, from the profile hook (profile-hook.ts); the whole process's CPU time as bash
// measures it from outside (teardown included), so the rows add up to a little less. The hook's own cost shows as
// the difference between these processes' CPU time and the unprofiled ones' of the whole-process suite.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { profiledTrainProcess } from '../cli-run';
import { log, median, round, table } from '../harness';
import type { Account, Profile } from '../profile-hook';
import { Suite } from '../suite';
import { WIDTHS } from '../training-step';
import { SEEDS } from './whole-process';

/** The profile hook's phases, as the table names them. */
const PHASE_ROWS: Record<string, string> = {
  backend: 'backend',
  training: 'training (without its checks)',
  'pre-checks': 'pre-checks (1,038 pairs each)',
  'full checks': 'full checks',
  saving: 'saving',
  other: 'other (CLI parsing, printing, exit)',
};

/** Groups of modules below this much CPU time (median) are summed into one row. */
const SMALL_GROUP_MS = 2;

interface StartupRow {
  part: string;
  cpuMs: number;
  wallMs: number;
}

interface StartupFigure {
  bits: number;
  /** Medians over the seeds: the whole process as the parent saw it, and its CPU time. */
  wallMs: number;
  cpuMs: number;
  rows: StartupRow[];
  /** Every account of every run, for anyone who wants more than the medians. */
  runs: { seed: number; samples: number; checks: Record<string, number>; accounts: Record<string, Account>; nodeStart: { wallMs: number; cpuMs: number } }[];
}

/** The rows of one width: node start, each module group (small ones summed), the phases, other. */
function rowsOf(runs: { profile: Profile }[]): StartupRow[] {
  const labels = new Set(runs.flatMap((r) => Object.keys(r.profile.accounts)));
  const medianOf = (label: string, key: 'cpuMs' | 'wallMs') => median(runs.map((r) => r.profile.accounts[label]?.[key] ?? 0));
  const loads = [...labels].filter((l) => l.startsWith('load ')).sort((a, b) => medianOf(b, 'cpuMs') - medianOf(a, 'cpuMs'));
  const big = loads.filter((l) => medianOf(l, 'cpuMs') >= SMALL_GROUP_MS);
  const small = loads.filter((l) => !big.includes(l));
  const row = (part: string, cpuMs: number, wallMs: number): StartupRow => ({ part, cpuMs: round(cpuMs, 1), wallMs: round(wallMs, 1) });
  const sumOf = (ls: string[], key: 'cpuMs' | 'wallMs') =>
    median(runs.map((r) => ls.reduce((sum, l) => sum + (r.profile.accounts[l]?.[key] ?? 0), 0)));
  return [
    row('node start (before the first module)', median(runs.map((r) => r.profile.nodeStart.cpuMs)), median(runs.map((r) => r.profile.nodeStart.wallMs))),
    row('loading modules, all', sumOf(loads, 'cpuMs'), sumOf(loads, 'wallMs')),
    ...big.map((l) => row(`  ${l.slice(5)}`, medianOf(l, 'cpuMs'), medianOf(l, 'wallMs'))),
    row(`  ${small.length} smaller groups`, sumOf(small, 'cpuMs'), sumOf(small, 'wallMs')),
    ...Object.entries(PHASE_ROWS).map(([phase, part]) => row(part, medianOf(phase, 'cpuMs'), medianOf(phase, 'wallMs'))),
  ];
}

export const startup: Suite = {
  name: 'startup',
  describe: 'where each ms of rnn-adder train --bits 8|16 goes: node start, module groups, backend, training, checks, saving',
  async run({ backend }) {
    log(`\nwhere the time of rnn-adder train goes (whole process, medians of seeds ${SEEDS.join(', ')}; load ${os.loadavg()[0].toFixed(1)}):`);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-startup-'));
    const startup: StartupFigure[] = [];
    try {
      for (const bits of WIDTHS) {
        const runs = [];
        for (const seed of SEEDS) runs.push(await profiledTrainProcess(bits, seed, backend, dir));
        const missing = [...new Set(runs.flatMap((r) => r.profile.missing))];
        if (missing.length > 0) log(`  not found, so not timed as a phase: ${missing.join(', ')}`);
        const figure: StartupFigure = {
          bits,
          wallMs: round(median(runs.map((r) => r.wallSeconds * 1000)), 1),
          cpuMs: round(median(runs.map((r) => r.cpuSeconds * 1000)), 1),
          rows: rowsOf(runs),
          runs: runs.map((r) => ({
            seed: r.seed,
            samples: r.samples,
            checks: { pre: r.profile.accounts['pre-checks']?.count ?? 0, full: r.profile.accounts['full checks']?.count ?? 0 },
            accounts: r.profile.accounts,
            nodeStart: r.profile.nodeStart,
          })),
        };
        startup.push(figure);
        log(`\n  rnn-adder train --bits ${bits}: ${figure.cpuMs} ms CPU, ${figure.wallMs} ms wall (the whole process)`);
        log(table([['part', 'CPU ms', 'wall ms'], ...figure.rows.map((r) => [r.part, r.cpuMs, r.wallMs])]));
        log(`  pre-checks / full checks per run (seeds ${SEEDS.join(', ')}): ${figure.runs.map((r) => `${r.checks.pre} / ${r.checks.full}`).join(', ')}`);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    return { startup };
  },
};
