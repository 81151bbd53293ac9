// `npm run bench [-- --json]`: the speed figures of docs/benchmarks.md, measured in one run on one backend.
//   1. training step throughput (pairs/s), hand BPTT against tf.grad, at batch 1, 64 and 256, 8 and 16 bits;
//   2. per cell (elman, lstm, gru) at batch 64: the tensor engine's hand BPTT against tf.grad, each cell's step
//      against the Elman cell's, and the exhaustive 8-bit evaluation (`--cells-only` runs this part alone);
//   2b. forward-only inference throughput of the LayersModel mirror and of the engine;
//   3. the exhaustive 8-bit evaluation (65,536 pairs) and the sampled 16-bit check (10,014 pairs), both through
//      the fused forward;
//   4. the warm training step (forward, backward, Adam, as the loop runs it) at batch 64, 8 and 16 bits: the fused
//      kernel, the tensor engine and a float32 numpy step of the same recipe (scripts/numpy_peer.py --warm-steps),
//      as ratios measured in the same run; and the first 20 steps of fresh processes against their own warm steps
//      (medians of each: the first step's one-time costs are reported beside them, not hidden in a block);
//   4b. the LSTM's warm training step at batch 64, H 16, T = 9, 17 and 100: the fused kernel against its tensor
//      engine and against tf.grad, alternating, wall and CPU time;
//   5. time to an exact 8- and 16-bit adder: the real CLI, whole process, median of 3 seeds, and the numpy
//      peer (scripts/numpy_peer.py) likewise when python3 with numpy is here, as a ratio.
// The in-process figures are the best of several timed blocks after a warm-up (the medians are kept too);
// the whole-process ones are medians over seeds. With --json the last stdout line is
// one JSON object (the batch-64, 8-bit step figures at its top level).
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {
  autodiffLossAndGrads,
  BackendName,
  batchSampler,
  createOptimizer,
  DEFAULT_LEARNING_RATES,
  EngineName,
  flatLayout,
  gradientStep,
  readFlat,
  CELL_ENGINES,
  CellName,
  CELLS,
  disposeParams,
  encodePairs,
  evaluate,
  forward,
  initBackend,
  initParams,
  inputTensor,
  lossAndGrads,
  LossAndGrads,
  Params,
  randomPairs,
  seededRng,
  stepsFor,
  targetTensor,
  toLayersModel,
} from 'rnn-adder';
import { captureCli } from './cli';

const JSON_OUTPUT = process.argv.includes('--json');
const SEEDS = [1, 2, 3];
const STEP_BATCHES = [1, 64, 256];
const WIDTHS = [8, 16];
const INFERENCE_PAIRS = 1024;
const NUMPY_PEER = path.join(__dirname, '..', '..', 'scripts', 'numpy_peer.py');
const net = { hidden: 16, bias: true };

/** `count` seeded random pairs of `bits`-bit operands, encoded. */
function randomBatch(bits: number, count: number, seed: number) {
  const pairs = randomPairs(seededRng(seed), bits, count);
  return encodePairs(pairs.a, pairs.b, stepsFor(bits));
}

const log = (line: string): void => {
  if (!JSON_OUTPUT) console.log(line);
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Milliseconds per call: the best block (noise on a shared machine only ever adds time) and the median one; and the
 * process's CPU time per call in its least busy block, which other processes on the machine do not inflate.
 */
interface Timing {
  best: number;
  median: number;
  cpuBest: number;
}

/** f timed over `reps` blocks of `calls` calls, after `warmup` calls. */
function timePerCall(f: () => void, calls: number, reps = 7, warmup = calls): Timing {
  return timeInterleaved([f], calls, reps, warmup)[0];
}

/** Each function timed in alternating blocks, so that a busy moment falls on all of them alike. */
function timeInterleaved(fs: (() => void)[], calls: number, reps: number, warmup = calls): Timing[] {
  for (const f of fs) for (let i = 0; i < warmup; i++) f();
  const perCall: number[][] = fs.map(() => []);
  const cpuPerCall: number[][] = fs.map(() => []);
  for (let r = 0; r < reps; r++) {
    fs.forEach((f, k) => {
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < calls; i++) f();
      perCall[k].push((performance.now() - start) / calls);
      const used = process.cpuUsage(cpu);
      cpuPerCall[k].push((used.user + used.system) / 1000 / calls);
    });
  }
  return perCall.map((ms, k) => ({ best: Math.min(...ms), median: median(ms), cpuBest: Math.min(...cpuPerCall[k]) }));
}

interface Rate {
  /** From the best of the timed blocks. */
  samplesPerSec: number;
  msPerStep: number;
  /** From the median block. */
  medianSamplesPerSec: number;
}

interface StepFigure {
  bits: number;
  batch: number;
  bptt: Rate;
  autodiff: Rate;
  /** bptt samples/s ÷ autodiff samples/s, best blocks; and median blocks. */
  speedup: number;
  medianSpeedup: number;
}

/** One gradient step: the loss and the gradients of a minibatch, computed (the loss read back) and freed. */
function stepFigures(): StepFigure[] {
  const figures: StepFigure[] = [];
  const params = initParams(net, 1);
  for (const bits of WIDTHS) {
    for (const batch of STEP_BATCHES) {
      const data = randomBatch(bits, batch, 1);
      const x = inputTensor(data);
      const y = targetTensor(data);
      const step = (engine: typeof lossAndGrads) => () => {
        const out: LossAndGrads = engine(params, x, y, 'mse');
        out.loss.dataSync();
        tf.dispose([out.loss, ...Object.values(out.grads)]);
      };
      const calls = Math.round(5000 / (batch * data.steps)) + 10;
      const [bptt, autodiff] = timeInterleaved([step(lossAndGrads), step(autodiffLossAndGrads)], calls, 11);
      const rate = (t: Timing): Rate => ({
        samplesPerSec: Math.round((1000 * batch) / t.best),
        msPerStep: +t.best.toFixed(3),
        medianSamplesPerSec: Math.round((1000 * batch) / t.median),
      });
      const figure = {
        bits,
        batch,
        bptt: rate(bptt),
        autodiff: rate(autodiff),
        speedup: +(autodiff.best / bptt.best).toFixed(2),
        medianSpeedup: +(autodiff.median / bptt.median).toFixed(2),
      };
      figures.push(figure);
      log(
        `  ${String(bits).padStart(2)} bits, batch ${String(batch).padStart(3)}: ` +
          `bptt ${figure.bptt.samplesPerSec.toLocaleString('en').padStart(8)} pairs/s (${figure.bptt.msPerStep} ms/step), ` +
          `tf.grad ${figure.autodiff.samplesPerSec.toLocaleString('en').padStart(8)} pairs/s (${figure.autodiff.msPerStep} ms/step): ` +
          `${figure.speedup}× (median blocks ${figure.medianSpeedup}×)`,
      );
      tf.dispose([x, y]);
    }
  }
  disposeParams(params);
  return figures;
}

interface CellFigure {
  cell: CellName;
  bits: number;
  batch: number;
  /** ms per gradient step, best blocks: the hand engine and tf.grad through the same forward. */
  bpttMs: number;
  autodiffMs: number;
  /** tf.grad's time ÷ the hand engine's, best blocks and median blocks. */
  speedup: number;
  medianSpeedup: number;
  /** This cell's hand-engine step ÷ the Elman cell's, timed in the same interleaved blocks. */
  costVsElman: number;
}

/** Per cell at batch 64: hand BPTT against tf.grad, and each cell's step against the Elman cell's, interleaved. */
function cellFigures(): CellFigure[] {
  const figures: CellFigure[] = [];
  const params = Object.fromEntries(CELLS.map((cell) => [cell, initParams({ ...net, cell }, 1)])) as Record<CellName, Params>;
  const batch = 64;
  for (const bits of WIDTHS) {
    const data = randomBatch(bits, batch, 1);
    const x = inputTensor(data);
    const y = targetTensor(data);
    const step = (cell: CellName, engine: typeof lossAndGrads) => () => {
      const out: LossAndGrads = engine(params[cell], x, y, 'mse');
      out.loss.dataSync();
      tf.dispose([out.loss, ...Object.values(out.grads)]);
    };
    const fns = CELLS.flatMap((cell) => [step(cell, CELL_ENGINES[cell].lossAndGrads), step(cell, autodiffLossAndGrads)]);
    const timings = timeInterleaved(fns, 10, 11);
    const elman = timings[0];
    CELLS.forEach((cell, i) => {
      const [bptt, autodiff] = [timings[2 * i], timings[2 * i + 1]];
      const figure: CellFigure = {
        cell,
        bits,
        batch,
        bpttMs: +bptt.best.toFixed(3),
        autodiffMs: +autodiff.best.toFixed(3),
        speedup: +(autodiff.best / bptt.best).toFixed(2),
        medianSpeedup: +(autodiff.median / bptt.median).toFixed(2),
        costVsElman: +(bptt.best / elman.best).toFixed(2),
      };
      figures.push(figure);
      log(
        `  ${cell.padEnd(5)} ${String(bits).padStart(2)} bits, batch ${batch}: bptt ${figure.bpttMs} ms/step, ` +
          `tf.grad ${figure.autodiffMs} ms/step: ${figure.speedup}× (median blocks ${figure.medianSpeedup}×); ` +
          `${figure.costVsElman}× the Elman step`,
      );
    });
    tf.dispose([x, y]);
  }
  CELLS.forEach((cell) => disposeParams(params[cell]));
  return figures;
}

/** The exhaustive 8-bit evaluation per cell: shared prefixes for the Elman cell, pair by pair for the gated ones. */
function cellEvaluationMs(): Record<CellName, number> {
  const out = {} as Record<CellName, number>;
  for (const cell of CELLS) {
    const params = initParams({ ...net, cell }, 1);
    const { best, median: typical } = timePerCall(() => evaluate({ params }, 8), 1, 3, 1);
    log(`  ${cell.padEnd(5)} exhaustive 8-bit evaluation (65,536 pairs): ${best.toFixed(1)} ms (median ${typical.toFixed(1)} ms)`);
    out[cell] = +best.toFixed(1);
    disposeParams(params);
  }
  return out;
}

/** Forward passes only, on INFERENCE_PAIRS random 8-bit pairs: the tfjs LayersModel and the engine. */
function inferenceFigures(): { pairs: number; bits: number; layersModel: { pairsPerSec: number }; engine: { pairsPerSec: number } } {
  const params = initParams(net, 1);
  const model = toLayersModel({ params });
  const x = inputTensor(randomBatch(8, INFERENCE_PAIRS, 2));
  const [layers, engine] = timeInterleaved(
    [() => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync()), () => tf.tidy(() => forward(params, x).yhat.dataSync())],
    10,
    7,
  );
  const rate = (t: Timing) => ({ pairsPerSec: Math.round((1000 * INFERENCE_PAIRS) / t.best) });
  const result = { pairs: INFERENCE_PAIRS, bits: 8, layersModel: rate(layers), engine: rate(engine) };
  log(`  LayersModel.predict ${result.layersModel.pairsPerSec.toLocaleString('en')} pairs/s, engine forward ${result.engine.pairsPerSec.toLocaleString('en')} pairs/s (batches of ${INFERENCE_PAIRS})`);
  x.dispose();
  model.dispose();
  disposeParams(params);
  return result;
}

interface TrainStepFigure {
  bits: number;
  batch: number;
  fused: { samplesPerSec: number; msPerStep: number };
  bptt: { samplesPerSec: number; msPerStep: number };
  /** The float32 numpy step of the same recipe, when numpy is here. */
  numpy: { samplesPerSec: number; msPerStep: number } | null;
  fusedOverBptt: number;
  fusedOverNumpy: number | null;
}

/** One training step as the loop runs it: the engine's gradient at the flat weights, Adam's update. */
function trainingStep(engine: EngineName, bits: number, seed = 1, cell: CellName = 'elman'): () => void {
  const config = { ...net, cell };
  const layout = flatLayout(config);
  const weights = new Float32Array(layout.size);
  const grads = new Float32Array(layout.size);
  const initial = initParams(config, seed);
  readFlat(initial, layout, weights);
  disposeParams(initial);
  const optimizer = createOptimizer('adam', DEFAULT_LEARNING_RATES.adam, layout.size);
  const batch = batchSampler(bits, 64, seed)();
  return () => {
    gradientStep(engine, weights, layout, batch, 'mse', grads).dispose();
    optimizer.step(weights, grads);
  };
}

const stepRate = (ms: number) => ({ samplesPerSec: Math.round((1000 * 64) / ms), msPerStep: +ms.toFixed(4) });

/** Warm training steps at batch 64: fused against the tensor engine in alternating blocks, and the numpy step. */
function trainStepFigures(python: string | undefined): TrainStepFigure[] {
  return WIDTHS.map((bits) => {
    const [fused, bptt] = timeInterleaved([trainingStep('fused', bits), trainingStep('bptt', bits)], 100, 11);
    const numpyMs = python === undefined ? undefined : numpyWarmStepMs(python, bits);
    const figure: TrainStepFigure = {
      bits,
      batch: 64,
      fused: stepRate(fused.best),
      bptt: stepRate(bptt.best),
      numpy: numpyMs === undefined ? null : stepRate(numpyMs),
      fusedOverBptt: +(bptt.best / fused.best).toFixed(2),
      fusedOverNumpy: numpyMs === undefined ? null : +(numpyMs / fused.best).toFixed(2),
    };
    log(
      `  ${String(bits).padStart(2)} bits: fused ${figure.fused.samplesPerSec.toLocaleString('en')} pairs/s (${figure.fused.msPerStep} ms/step), ` +
        `tensor engine ${figure.bptt.samplesPerSec.toLocaleString('en')} pairs/s: ${figure.fusedOverBptt}× (target ≥ 5)` +
        (figure.numpy
          ? `; numpy float32 ${figure.numpy.samplesPerSec.toLocaleString('en')} pairs/s (${figure.numpy.msPerStep} ms/step): ${figure.fusedOverNumpy}× (target ≥ 2)`
          : ''),
    );
    return figure;
  });
}

const LSTM_STEPS = [9, 17, 100];

interface LstmStepFigure {
  /** T: the additions of T − 1 bits. */
  steps: number;
  batch: number;
  /** Per engine: samples/s and ms per step from the best wall-time block, CPU ms per step from the least busy one. */
  fused: { samplesPerSec: number; msPerStep: number; cpuMsPerStep: number };
  bptt: { samplesPerSec: number; msPerStep: number; cpuMsPerStep: number };
  autodiff: { samplesPerSec: number; msPerStep: number; cpuMsPerStep: number };
  /** The other engine's time ÷ the fused kernel's: wall (best blocks), wall (median blocks), CPU. */
  fusedOverBptt: number;
  fusedOverBpttMedian: number;
  fusedOverBpttCpu: number;
  fusedOverAutodiff: number;
  fusedOverAutodiffMedian: number;
  fusedOverAutodiffCpu: number;
}

/** The LSTM's warm training step (gradient, Adam) at batch 64, H 16: fused, tensor engine and tf.grad alternating. */
function lstmStepFigures(): LstmStepFigure[] {
  return LSTM_STEPS.map((T) => {
    const engines = ['fused', 'bptt', 'autodiff'] as const;
    const calls = T > 50 ? 3 : 10;
    const [fused, bptt, autodiff] = timeInterleaved(
      engines.map((engine) => trainingStep(engine, T - 1, 1, 'lstm')),
      calls,
      7,
      2,
    );
    const rate = (t: Timing) => ({ ...stepRate(t.best), cpuMsPerStep: +t.cpuBest.toFixed(4) });
    const figure: LstmStepFigure = {
      steps: T,
      batch: 64,
      fused: rate(fused),
      bptt: rate(bptt),
      autodiff: rate(autodiff),
      fusedOverBptt: +(bptt.best / fused.best).toFixed(2),
      fusedOverBpttMedian: +(bptt.median / fused.median).toFixed(2),
      fusedOverBpttCpu: +(bptt.cpuBest / fused.cpuBest).toFixed(2),
      fusedOverAutodiff: +(autodiff.best / fused.best).toFixed(2),
      fusedOverAutodiffMedian: +(autodiff.median / fused.median).toFixed(2),
      fusedOverAutodiffCpu: +(autodiff.cpuBest / fused.cpuBest).toFixed(2),
    };
    log(
      `  T = ${String(T).padStart(3)}: fused ${figure.fused.msPerStep} ms/step (CPU ${figure.fused.cpuMsPerStep}), ` +
        `tensor engine ${figure.bptt.msPerStep} ms/step: ${figure.fusedOverBptt}× (median blocks ${figure.fusedOverBpttMedian}×, CPU ${figure.fusedOverBpttCpu}×), ` +
        `tf.grad ${figure.autodiff.msPerStep} ms/step: ${figure.fusedOverAutodiff}× (median blocks ${figure.fusedOverAutodiffMedian}×, CPU ${figure.fusedOverAutodiffCpu}×)`,
    );
    return figure;
  });
}

/** The numpy peer's warm training step, in its own process (best of its blocks). */
function numpyWarmStepMs(python: string, bits: number): number {
  const args = [NUMPY_PEER, '--bits', String(bits), '--warm-steps', '200'];
  return timedJson(python, args, () => spawnSync(python, args, { encoding: 'utf8' })).json.msPerStep;
}

/** Fresh processes timed for the cold start; the figure is their median. */
const COLD_PROCESSES = 5;

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

/**
 * A fresh process's first 20 training steps (cold JIT, kernel instantiation) against its own warm steps, fused,
 * 8 bits, batch 64: the medians of each, in COLD_PROCESSES processes, the median process reported.
 */
function coldStartFigure(backend: BackendName): ColdStartFigure {
  const script = `
    const api = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'index.js'))});
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
  const runs = Array.from({ length: COLD_PROCESSES }, () => {
    const { json } = timedJson('node', ['-e', '…'], () => spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    const { wall, cpu } = json as { wall: number[]; cpu: number[] };
    const cold = wall.slice(0, 20);
    const warm = median(wall.slice(220));
    return {
      first20MsPerStep: cold.reduce((a, b) => a + b) / 20,
      overWarm: median(cold) / warm,
      overWarmCpu: median(cpu.slice(0, 20)) / median(cpu.slice(220)),
      first20OverWarm: cold.reduce((a, b) => a + b) / 20 / warm,
      medianColdMs: median(cold),
      medianWarmMs: warm,
    };
  });
  const ms = (key: keyof ColdStartFigure) => +median(runs.map((r) => r[key])).toFixed(4);
  const ratio = (key: keyof ColdStartFigure) => +median(runs.map((r) => r[key])).toFixed(2);
  const figure: ColdStartFigure = {
    first20MsPerStep: ms('first20MsPerStep'),
    overWarm: ratio('overWarm'),
    overWarmCpu: ratio('overWarmCpu'),
    first20OverWarm: ratio('first20OverWarm'),
    medianColdMs: ms('medianColdMs'),
    medianWarmMs: ms('medianWarmMs'),
  };
  log(
    `  first 20 steps of a fresh process (median of ${COLD_PROCESSES}): median step ${figure.medianColdMs} ms against ${figure.medianWarmMs} ms warm, ` +
      `${figure.overWarm}× (CPU ${figure.overWarmCpu}×; target ≤ 2); their mean ${figure.first20MsPerStep} ms, ${figure.first20OverWarm}× with the first step's one-time costs`,
  );
  return figure;
}

/** The sampled check of a 16-bit adder: 10,000 seeded pairs plus the carry-chain cases, through the fused forward. */
function sampled16Ms(params: Params): number {
  const { best, median: typical } = timePerCall(() => evaluate({ params }, 16), 1, 7, 2);
  log(`  sampled 16-bit check (10,014 pairs): ${best.toFixed(1)} ms (median ${typical.toFixed(1)} ms)`);
  return +best.toFixed(2);
}

function exhaustive8Ms(params: Params): number {
  const { best, median: typical } = timePerCall(() => evaluate({ params }, 8), 1, 7, 2);
  log(`  exhaustive 8-bit evaluation (65,536 pairs): ${best.toFixed(1)} ms (median ${typical.toFixed(1)} ms)`);
  return +best.toFixed(2);
}

interface RunFigure {
  seed: number;
  /** The whole process, start-up and saving included. */
  wallSeconds: number;
  /** The training loop alone, as the run itself reports it. */
  trainSeconds: number;
  samples: number;
  exact: boolean;
}

interface ExactFigure {
  runs: RunFigure[];
  medianWallSeconds: number;
  medianSamples: number;
}

function summarise(runs: RunFigure[]): ExactFigure {
  return {
    runs,
    medianWallSeconds: +median(runs.map((r) => r.wallSeconds)).toFixed(3),
    medianSamples: median(runs.map((r) => r.samples)),
  };
}

/** Wall time of a whole child process and its last stdout line as JSON. */
function timedJson(command: string, args: string[], run: () => ReturnType<typeof spawnSync>): { seconds: number; json: any } {
  const start = performance.now();
  const result = run();
  const seconds = (performance.now() - start) / 1000;
  const lines = String(result.stdout ?? '').trim().split('\n');
  try {
    return { seconds, json: JSON.parse(lines[lines.length - 1]) };
  } catch {
    throw new Error(`${command} ${args.join(' ')} printed no JSON: ${String(result.stderr ?? '').trim().split('\n')[0]}`);
  }
}

/** `rnn-adder train --bits N --seed S` with the default training, as its own process. */
function ourRun(bits: number, seed: number, backend: BackendName, dir: string): RunFigure {
  const args = ['train', '--bits', String(bits), '--seed', String(seed), '--out', path.join(dir, `adder-${bits}-${seed}`), '--backend', backend, '--json'];
  const { seconds, json } = timedJson('rnn-adder', args, () => captureCli(args));
  return { seed, wallSeconds: +seconds.toFixed(3), trainSeconds: +json.seconds.toFixed(3), samples: json.samples, exact: json.exact };
}

function numpyRun(python: string, bits: number, seed: number): RunFigure {
  const args = [NUMPY_PEER, '--bits', String(bits), '--seed', String(seed)];
  const { seconds, json } = timedJson(python, args, () => spawnSync(python, args, { encoding: 'utf8' }));
  return { seed, wallSeconds: +seconds.toFixed(3), trainSeconds: +json.seconds.toFixed(3), samples: json.samples, exact: json.exact };
}

/**
 * The python3 interpreter itself and its numpy version, when numpy imports. Resolved once through sys.executable:
 * python3 on PATH may be a version manager's shim that adds ~0.2 s to every start, which the timed runs must not pay.
 */
function numpyPython(): { python: string; version: string } | undefined {
  const probe = spawnSync('python3', ['-c', 'import sys, numpy; print(sys.executable); print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const [python, version] = probe.stdout.trim().split('\n');
  return { python, version };
}

function describeExact(label: string, f: ExactFigure): string {
  const runs = f.runs
    .map((r) => `${r.wallSeconds.toFixed(2)} s (training ${r.trainSeconds.toFixed(2)} s), ${r.samples.toLocaleString('en')} pairs${r.exact ? '' : ' NOT exact'}`)
    .join('; ');
  return `  ${label}: median ${f.medianWallSeconds.toFixed(2)} s, ${f.medianSamples.toLocaleString('en')} pairs\n    ${runs}`;
}

async function bench(): Promise<void> {
  const backend = await initBackend();
  const started = performance.now();
  log(`rnn-adder benchmark: backend ${backend}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);

  if (process.argv.includes('--cells-only')) {
    log('\nper cell, gradient step at batch 64:');
    const cells = cellFigures();
    log('\nper cell, evaluation:');
    const cellEval = cellEvaluationMs();
    if (JSON_OUTPUT) console.log(JSON.stringify({ backend, cells, cellEval, date: new Date().toISOString() }));
    return;
  }
  if (process.argv.includes('--lstm-only')) {
    log('\nLSTM warm training step (forward, backward, Adam), batch 64, H 16:');
    const lstmSteps = lstmStepFigures();
    if (JSON_OUTPUT) console.log(JSON.stringify({ backend, lstmSteps, date: new Date().toISOString() }));
    return;
  }
  log('\ngradient step (loss and gradients of one minibatch):');
  const steps = stepFigures();
  log('\nper cell, gradient step at batch 64:');
  const cells = cellFigures();
  log('\nper cell, evaluation:');
  const cellEval = cellEvaluationMs();
  log('\nforward-only inference:');
  const inference = inferenceFigures();
  log('\nevaluation (the fused forward):');
  const probe = initParams(net, 1);
  const evalExhaustive8Ms = exhaustive8Ms(probe);
  const evalSampled16Ms = sampled16Ms(probe);
  disposeParams(probe);

  const peer = numpyPython();
  const numpyVersion = peer?.version;
  log('\nwarm training step (forward, backward, Adam), batch 64:');
  if (peer === undefined) log('  numpy peer: skipped (python3 with numpy is not available here)');
  const trainSteps = trainStepFigures(peer?.python);
  const coldStart = coldStartFigure(backend);
  log('\nLSTM warm training step (forward, backward, Adam), batch 64, H 16:');
  const lstmSteps = lstmStepFigures();

  log(`\ntime to an exact adder (whole process, median of seeds ${SEEDS.join(', ')}; rnn-adder and numpy alternate):`);
  const ours: Record<string, ExactFigure> = {};
  const numpy: Record<string, ExactFigure> = {};
  const ratios: Record<string, number> = {};
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-bench-'));
  try {
    for (const bits of WIDTHS) {
      const runs = { ours: [] as RunFigure[], numpy: [] as RunFigure[] };
      for (const seed of SEEDS) {
        runs.ours.push(ourRun(bits, seed, backend, dir));
        if (peer !== undefined) runs.numpy.push(numpyRun(peer.python, bits, seed));
      }
      ours[bits] = summarise(runs.ours);
      log(describeExact(`rnn-adder train --bits ${bits}`, ours[bits]));
      if (numpyVersion !== undefined) {
        numpy[bits] = summarise(runs.numpy);
        ratios[bits] = +(ours[bits].medianWallSeconds / numpy[bits].medianWallSeconds).toFixed(2);
        log(describeExact(`numpy peer --bits ${bits} (numpy ${numpyVersion})`, numpy[bits]));
        log(`  ratio rnn-adder ÷ numpy at ${bits} bits: ${ratios[bits]} (target ≤ 0.5)`);
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }

  const headline = steps.find((s) => s.bits === 8 && s.batch === 64)!;
  log(`\nheadline (8 bits, batch 64): bptt ${headline.speedup}× tf.grad, median blocks ${headline.medianSpeedup}× (target ≥ 2); exhaustive 8-bit eval ${evalExhaustive8Ms} ms (target ≤ 100)`);
  log(`bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (JSON_OUTPUT) {
    console.log(
      JSON.stringify({
        backend,
        batch: 64,
        bits: 8,
        bptt: headline.bptt,
        autodiff: headline.autodiff,
        speedup: headline.speedup,
        medianSpeedup: headline.medianSpeedup,
        evalExhaustive8Ms,
        evalSampled16Ms,
        fused: trainSteps[0].fused,
        fused16: trainSteps[1].fused,
        trainSteps,
        coldStart,
        lstmSteps,
        steps,
        cells,
        cellEval,
        inference,
        timeToExact: ours,
        numpy: numpyVersion === undefined ? null : { version: numpyVersion, timeToExact: numpy },
        ratios,
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
        date: new Date().toISOString(),
      }),
    );
  }
}

bench().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
