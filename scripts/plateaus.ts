// The measurement behind the stall detector (src/train/stall.ts, docs/benchmarks.md): trains healthy runs
// (default and other settings that reach exact, several seeds and widths) and runs that cannot succeed, records
// every progress point's batch loss, and prints for each run how much the mean loss fell from one window of
// pairs to the next at its flattest (the smallest drop, as the detector measures it), for several window lengths.
//   node dist/scripts/plateaus.js [--seeds 6] [--only lstm] [--json]   (--only: the runs whose label contains it)
import { disposeParams, HistoryPoint, initBackend, lossDrop, PARAM_NAMES, train, TrainOptions } from 'rnn-adder';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const seeds = flag('seeds', 6);
const json = process.argv.includes('--json');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';
const WINDOWS = [4_000, 8_000, 16_000, 32_000];
/** Long enough for a run that cannot succeed to show it, short enough to measure several. */
const HOPELESS_MAX = 300_000;

const healthy: TrainOptions<'add'>[] = [
  ...[8, 16].flatMap((bits) => (['adam', 'momentum', 'sgd'] as const).map((optimizer) => ({ bits, optimizer }))),
  { bits: 8, hidden: 4 },
  { bits: 8, hidden: 8 },
  { bits: 8, batch: 8 },
  { bits: 8, loss: 'bce' },
  { bits: 8, bias: false, init: 'glorot' },
  { bits: 8, optimizer: 'sgd', lr: 8 },
  { bits: 8, cell: 'lstm' },
  { bits: 8, cell: 'gru' },
  { bits: 16, cell: 'lstm' },
  { bits: 16, cell: 'gru' },
];
const hopeless: TrainOptions<'add'>[] = [
  { bits: 8, hidden: 2, maxSamples: HOPELESS_MAX },
  { bits: 8, hidden: 1, maxSamples: HOPELESS_MAX },
  { bits: 8, optimizer: 'sgd', lr: 1000, maxSamples: HOPELESS_MAX },
  { bits: 8, optimizer: 'adam', lr: 10, maxSamples: HOPELESS_MAX },
];

/** The smallest relative fall of the mean loss from one window to the next, and where (pairs) it was. */
function flattest(points: HistoryPoint[], window: number): { drop: number; at: number } | undefined {
  let worst: { drop: number; at: number } | undefined;
  for (const p of points) {
    const drop = p.samples < 2 * window ? undefined : lossDrop(points, p.samples, window);
    if (drop !== undefined && (worst === undefined || drop < worst.drop)) worst = { drop, at: p.samples };
  }
  return worst;
}

async function measure(): Promise<void> {
  const backend = await initBackend();
  const rows = [];
  for (const [kind, options] of [...healthy.map((o) => ['healthy', o] as const), ...hopeless.map((o) => ['hopeless', o] as const)]) {
    const label = Object.entries(options).map(([k, v]) => `${k} ${v}`).join(', ');
    if (!label.includes(only)) continue;
    for (let seed = 1; seed <= seeds; seed++) {
      const points: HistoryPoint[] = [];
      const result = await train({ ...options, seed }, { onProgress: (point) => points.push(point) });
      const weights = PARAM_NAMES.flatMap((name) => Array.from(result.params[name]?.dataSync() ?? []));
      disposeParams(result.params);
      const row = {
        kind,
        options,
        seed,
        exact: result.solved,
        samples: result.samples,
        accuracy: result.score.accuracy,
        lastLoss: points[points.length - 1]?.loss,
        maxWeight: Math.max(...weights.map(Math.abs)),
        flattest: Object.fromEntries(WINDOWS.map((w) => [w, flattest(points, w)])),
      };
      rows.push(row);
      if (!json) {
        const drops = WINDOWS.map((w) => {
          const f = row.flattest[w];
          return f === undefined ? '       -      ' : `${(100 * f.drop).toFixed(1).padStart(6)}%@${String(f.at).padStart(6)}`;
        });
        console.log(
          `${kind.padEnd(8)} ${label.padEnd(36)} seed ${seed}  ${result.solved ? 'exact' : 'NOT  '} ${String(result.samples).padStart(7)} pairs ` +
            `acc ${(100 * row.accuracy).toFixed(1).padStart(5)}%  loss ${row.lastLoss?.toExponential(2)}  max|w| ${row.maxWeight.toFixed(1).padStart(7)}  ` +
            `flattest drop per window ${WINDOWS.join('/')}: ${drops.join(' ')}`,
        );
      }
    }
  }
  if (json) console.log(JSON.stringify({ backend, windows: WINDOWS, rows }));
}

measure().catch((error) => {
  console.error(`plateaus: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
