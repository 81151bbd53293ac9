// A fresh process's first 20 training steps (cold JIT, kernel instantiation) against its own warm steps, fused,
// 8 bits, batch 64: the medians of each, in COLD_PROCESSES processes, the median process reported.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { log, median, round, timedJson } from '../harness';
import { Suite } from '../suite';

const COLD_PROCESSES = 5;
const API = path.join(__dirname, '..', '..', '..', 'src', 'index.js');

interface ColdStartFigure {
  /** Mean wall time of the first 20 steps (the one-time costs of the first step included). */
  first20MsPerStep: number;
  /** The median of the first 20 steps against the median warm step (steps 221–420) of the same process, wall. */
  overWarm: number;
  /** The same in CPU time (process.cpuUsage), which a process that loses the CPU does not accrue. */
  overWarmCpu: number;
  /** The mean of the first 20 against the median warm step, wall: what the first step's one-time costs add. */
  first20OverWarm: number;
  medianColdMs: number;
  medianWarmMs: number;
}

/** The child: 420 steps, each one's wall and CPU time, as one JSON line. */
const childScript = (backend: string) => `
  const api = require(${JSON.stringify(API)});
  api.initBackend(${JSON.stringify(backend)}).then(() => {
    const layout = api.flatLayout({ hidden: 16, bias: true });
    const weights = new Float32Array(layout.size), grads = new Float32Array(layout.size);
    const initial = api.initParams({ hidden: 16, bias: true }, 1);
    api.readFlat(initial, layout, weights);
    api.disposeParams(initial);
    const adam = api.createOptimizer('adam', 0.1, layout.size);
    const next = api.batchSampler(8, 64, 1);
    const wall = [], cpu = [];
    for (let i = 0; i < 420; i++) {
      const c = process.cpuUsage(), t = performance.now();
      api.gradientStep('fused', weights, layout, next(), 'mse', grads).dispose();
      adam.step(weights, grads);
      wall.push(performance.now() - t);
      const u = process.cpuUsage(c);
      cpu.push((u.user + u.system) / 1000);
    }
    console.log(JSON.stringify({ wall, cpu }));
  });`;

export const coldStart: Suite = {
  name: 'cold-start',
  describe: "a fresh process's first 20 fused steps against its own warm steps (5 processes)",
  run({ backend }) {
    log('\ncold start (fused, 8 bits, batch 64):');
    const script = childScript(backend);
    const runs = Array.from({ length: COLD_PROCESSES }, () => {
      const { json } = timedJson('node -e <cold start>', () => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
      const { wall, cpu } = json as { wall: number[]; cpu: number[] };
      const cold = wall.slice(0, 20);
      const warm = median(wall.slice(220));
      const mean = cold.reduce((a, b) => a + b) / 20;
      return {
        first20MsPerStep: mean,
        overWarm: median(cold) / warm,
        overWarmCpu: median(cpu.slice(0, 20)) / median(cpu.slice(220)),
        first20OverWarm: mean / warm,
        medianColdMs: median(cold),
        medianWarmMs: warm,
      };
    });
    const of = (key: keyof ColdStartFigure, digits: number) => round(median(runs.map((r) => r[key])), digits);
    const figure: ColdStartFigure = {
      first20MsPerStep: of('first20MsPerStep', 4),
      overWarm: of('overWarm', 2),
      overWarmCpu: of('overWarmCpu', 2),
      first20OverWarm: of('first20OverWarm', 2),
      medianColdMs: of('medianColdMs', 4),
      medianWarmMs: of('medianWarmMs', 4),
    };
    log(
      `  first 20 steps of a fresh process (median of ${COLD_PROCESSES}): median step ${figure.medianColdMs} ms against ${figure.medianWarmMs} ms warm, ` +
        `${figure.overWarm}× (CPU ${figure.overWarmCpu}×; target ≤ 2); their mean ${figure.first20MsPerStep} ms, ${figure.first20OverWarm}× with the first step's one-time costs`,
    );
    return { coldStart: figure };
  },
};
