// Time to an exact 8- and 16-bit adder, whole process: `rnn-adder train` as a user runs it and the numpy peer
// (scripts/numpy_peer.py, through the interpreter's real binary), alternating, seeds 1–3; medians of wall and CPU
// time, their ratios, and the pairs each run took.
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliRun, trainProcess } from '../cli-run';
import { log, median, ratio, round, table } from '../harness';
import { runPeer } from '../peer';
import { Suite } from '../suite';
import { WIDTHS } from '../training-step';

export const SEEDS = [1, 2, 3];

type RunFigure = CliRun;

interface ExactFigure {
  runs: RunFigure[];
  medianWallSeconds: number;
  medianCpuSeconds: number;
  medianSamples: number;
}

function summarise(runs: RunFigure[]): ExactFigure {
  return {
    runs,
    medianWallSeconds: round(median(runs.map((r) => r.wallSeconds)), 3),
    medianCpuSeconds: round(median(runs.map((r) => r.cpuSeconds)), 3),
    medianSamples: median(runs.map((r) => r.samples)),
  };
}

const pairsOf = (f: ExactFigure) => f.runs.map((r) => `${r.samples.toLocaleString('en')}${r.exact ? '' : ' (NOT exact)'}`).join(' / ');

export const wholeProcess: Suite = {
  name: 'whole-process',
  describe: 'time to an exact adder, whole process, seeds 1–3: rnn-adder train against the numpy peer',
  async run({ backend, peer }) {
    log(`\ntime to an exact adder (whole process, medians of seeds ${SEEDS.join(', ')}; rnn-adder and numpy alternate):`);
    if (peer === undefined) log('  numpy peer: skipped (python3 with numpy is not available here)');
    else log(`  numpy ${peer.version} at ${peer.python}, OpenBLAS kernel ${peer.blas.core}, ${peer.blas.threads} thread(s)`);
    const timeToExact: Record<string, ExactFigure> = {};
    const numpy: Record<string, ExactFigure> = {};
    const ratios: Record<string, number> = {};
    const cpuRatios: Record<string, number> = {};
    const rows: (string | number)[][] = [['run', 'wall s', 'CPU s', 'pairs to exact (seeds 1 / 2 / 3)']];
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-bench-'));
    try {
      for (const bits of WIDTHS) {
        const ours: RunFigure[] = [];
        const theirs: RunFigure[] = [];
        for (const seed of SEEDS) {
          ours.push(await trainProcess(bits, seed, backend, dir));
          if (peer === undefined) continue;
          const { seconds, cpuSeconds, json } = runPeer(peer, ['--bits', String(bits), '--seed', String(seed)]);
          theirs.push({
            seed,
            wallSeconds: round(seconds, 3),
            cpuSeconds,
            trainSeconds: round(json.seconds, 3),
            samples: json.samples,
            exact: json.exact,
          });
        }
        timeToExact[bits] = summarise(ours);
        rows.push([`rnn-adder train --bits ${bits}`, timeToExact[bits].medianWallSeconds, timeToExact[bits].medianCpuSeconds, pairsOf(timeToExact[bits])]);
        if (peer === undefined) continue;
        numpy[bits] = summarise(theirs);
        ratios[bits] = ratio(timeToExact[bits].medianWallSeconds, numpy[bits].medianWallSeconds);
        cpuRatios[bits] = ratio(timeToExact[bits].medianCpuSeconds, numpy[bits].medianCpuSeconds);
        rows.push([`numpy peer --bits ${bits}`, numpy[bits].medianWallSeconds, numpy[bits].medianCpuSeconds, pairsOf(numpy[bits])]);
        rows.push([`rnn-adder ÷ numpy, ${bits} bits`, ratios[bits], cpuRatios[bits], 'target < 1, then ≤ 0.5']);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    log(table(rows));
    return {
      timeToExact,
      numpy: peer === undefined ? null : { version: peer.version, python: peer.python, blas: peer.blas, timeToExact: numpy },
      ratios,
      cpuRatios,
    };
  },
};
