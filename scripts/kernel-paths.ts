// `node dist/scripts/kernel-paths.js`: does rnn-adder's training step keep its fused readout and loss? The same
// step (batch 64, H 16, Adam's gradient, mse) two ways on each kernel, same run, alternating blocks, CPU time:
// the readout-and-loss path (one lossAndGrads call: forward, (B1)–(B3) and the cell's backward in the module), and
// the layer path that a readout outside the kernel would take (states, then the readout's (F2), (B1)–(B3) and
// δo_t·Wyᵀ in JavaScript, then statesGrads from that upstream gradient, which runs the forward again). Prints one
// line per cell and length: both times per step and their ratio. docs/kernels.md keeps the figures.
import { seededRng } from '../src/data/sample';
import { FlatParams, LayerKernel } from '../src/engine/fused/contract';
import { ElmanKernel } from '../src/engine/fused/elman-kernel';
import { LstmKernel } from '../src/engine/fused/lstm-kernel';

const B = 64;
const H = 16;
const BLOCKS = 7;

/** The readout (F2) and the mse loss's (B1)–(B3) on the host, and ∂L/∂h_t = δo_t·Wyᵀ for the layer path. */
function readoutOutside(kernel: LayerKernel, p: FlatParams, x: Float32Array, y: Float32Array, T: number, activation: 'sigmoid' | 'tanh') {
  const options = { activation, recurrentActivation: 'sigmoid' as const };
  const h = kernel.states(p, x, B, T, options);
  const dh = new Float32Array(B * T * H);
  const dWy = new Float32Array(H);
  let dby = 0;
  const invN = 1 / (B * T);
  for (let n = 0; n < B * T; n++) {
    let o = p.by![0];
    for (let j = 0; j < H; j++) o += h[n * H + j] * p.Wy[j];
    const yh = 1 / (1 + Math.exp(-o));
    const dO = (yh - y[n]) * yh * (1 - yh) * invN;
    dby += dO;
    for (let j = 0; j < H; j++) {
      dWy[j] += h[n * H + j] * dO;
      dh[n * H + j] = dO * p.Wy[j];
    }
  }
  const { grads } = kernel.statesGrads(p, x, dh, B, T, options);
  return { ...grads, Wy: dWy, by: Float32Array.of(dby) };
}

/** CPU milliseconds per call of fn, the best of `BLOCKS` blocks of `reps` calls. */
function cpuPerCall(fn: () => unknown, reps: number): number[] {
  const times: number[] = [];
  for (let block = 0; block < BLOCKS; block++) {
    const start = process.cpuUsage();
    for (let r = 0; r < reps; r++) fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000 / reps);
  }
  return times;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const rng = seededRng(1);
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng() * 2 - 1);
for (const [cell, kernel, G, activation] of [
  ['elman', new ElmanKernel(), 1, 'sigmoid'],
  ['lstm', new LstmKernel(), 4, 'tanh'],
] as const) {
  for (const T of cell === 'elman' ? [9, 17] : [9, 17, 100]) {
    const p: FlatParams = { Wx: uniform(2 * G * H), Ws: uniform(H * G * H), bs: uniform(G * H), Wy: uniform(H), by: uniform(1) };
    const x = Float32Array.from({ length: B * T * 2 }, () => (rng() < 0.5 ? 0 : 1));
    const y = Float32Array.from({ length: B * T }, () => (rng() < 0.5 ? 0 : 1));
    // The two paths compute the same gradient: their largest difference is printed beside the times.
    const inKernel = kernel.lossAndGrads(p, x, y, B, T, 'mse').grads;
    const viaLayer = readoutOutside(kernel, p, x, y, T, activation);
    const apart = (['Wx', 'Ws', 'bs', 'Wy', 'by'] as const).reduce(
      (most, name) => Math.max(most, ...inKernel[name]!.map((g, i) => Math.abs(g - viaLayer[name]![i]))),
      0,
    );
    const reps = Math.max(5, Math.round(2000 / T));
    const fused: number[] = [];
    const outside: number[] = [];
    // Alternating blocks, so that a change in the machine's load reaches both.
    for (let round = 0; round < 3; round++) {
      fused.push(...cpuPerCall(() => kernel.lossAndGrads(p, x, y, B, T, 'mse'), reps));
      outside.push(...cpuPerCall(() => readoutOutside(kernel, p, x, y, T, activation), reps));
    }
    const [a, b] = [median(fused), median(outside)];
    console.log(`${cell} T ${T}: readout and loss in the kernel ${a.toFixed(3)} ms, outside ${b.toFixed(3)} ms per step: ${(b / a).toFixed(2)}× (gradients ${apart.toExponential(1)} apart)`);
  }
}
