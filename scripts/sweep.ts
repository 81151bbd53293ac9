// The measurement behind the training defaults (docs/benchmarks.md): trains an adder with each configuration
// of a grid, several seeds each, in this process, and prints the median steps, pairs and seconds to exact.
//   node dist/scripts/sweep.js [--bits 8] [--seeds 8] [--cell elman|lstm|gru] [--defaults] [--json]
// --cell sweeps that cell's grid; --defaults runs the defaults alone (the 16-bit confirmation).
// Seconds are those of a warm process (the grid runs one after another), so they rank configurations by
// their compute; a fresh `rnn-adder train` pays a start-up and a warm-up on top (bench.ts measures those).
import * as tf from '@tensorflow/tfjs-core';
import { CellName, CELLS, defaultConfig, disposeParams, initBackend, train, TrainConfig } from 'rnn-adder';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const bits = flag('bits', 8);
const seeds = flag('seeds', 8);
const json = process.argv.includes('--json');
const cellAt = process.argv.indexOf('--cell');
const cell = (cellAt >= 0 ? process.argv[cellAt + 1] : 'elman') as CellName;
if (!CELLS.includes(cell)) throw new Error(`--cell must be one of ${CELLS.join(', ')}, got ${cell}`);

type Change = Partial<TrainConfig>;
const elmanGrid: Change[] = [
  ...[32, 64, 128, 256].flatMap((batch) => [0.05, 0.1, 0.2].map((lr) => ({ optimizer: 'adam', batch, lr }) as Change)),
  ...[8, 16, 32].map((lr) => ({ optimizer: 'sgd', lr }) as Change),
  ...[2.5, 5, 10].map((lr) => ({ optimizer: 'momentum', lr }) as Change),
  { bias: false },
  { init: 'glorot' },
  { loss: 'bce' },
];
/** The gated cells: adam's rate and batch around the Elman defaults, a smaller H, and the other options. */
const gatedGrid: Change[] = [
  ...[32, 64, 128].flatMap((batch) => [0.05, 0.1, 0.2].map((lr) => ({ batch, lr }) as Change)),
  { hidden: 8 },
  { bias: false },
  { init: 'glorot' },
  { loss: 'bce' },
];
const grid: Change[] = process.argv.includes('--defaults') ? [{}] : cell === 'elman' ? elmanGrid : gatedGrid;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1];
};

async function sweep(): Promise<void> {
  const backend = await initBackend();
  const rows = [];
  for (const change of grid) {
    const runs = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const result = await train({ bits, cell, maxSamples: 200_000, ...change, seed });
      disposeParams(result.params);
      runs.push({ exact: result.solved, steps: result.steps, samples: result.samples, seconds: result.seconds });
    }
    const exact = runs.filter((r) => r.exact);
    const row = {
      change,
      exact: exact.length,
      runs: runs.length,
      medianSteps: median(exact.map((r) => r.steps)),
      medianSamples: median(exact.map((r) => r.samples)),
      medianSeconds: +median(exact.map((r) => r.seconds)).toFixed(3),
      steps: runs.map((r) => (r.exact ? r.steps : null)),
    };
    rows.push(row);
    if (!json) {
      const label = Object.entries(change).map(([k, v]) => `${k} ${v}`).join(', ') || 'defaults';
      console.log(
        `${label.padEnd(32)} exact ${row.exact}/${row.runs}  steps ${String(row.medianSteps).padStart(4)}  ` +
          `pairs ${String(row.medianSamples).padStart(6)}  ${row.medianSeconds.toFixed(3)} s  [${row.steps.join(' ')}]`,
      );
    }
  }
  if (json) console.log(JSON.stringify({ backend, bits, cell, seeds, defaults: { ...defaultConfig(bits), cell }, rows }));
  else console.log(`(${cell}, ${bits} bits, seeds 1-${seeds}, backend ${backend}, tensors left ${tf.memory().numTensors})`);
}

sweep().catch((error) => {
  console.error(`sweep: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
