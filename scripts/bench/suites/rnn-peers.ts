// Recurrent layers against their peers, in one run: batch 64, T = 100, input 2, one recurrent layer of 16, 64 and 128
// units and Dense(1, sigmoid) per step, the warm training step (forward, backward, Adam) of rnn-adder's fused kernel
// (for each cell that has one), of tfjs' own layer trained by model.trainOnBatch (alternating blocks with the
// kernel's), of PyTorch on 1 and 2 threads and the float32 numpy LSTM (one thread) in their own processes. Where the package exports the fused tfjs layers
// (fusedLSTM…), also model.fit per epoch with the fused layer against tfjs' own, from the same weights.
import * as tf from '@tensorflow/tfjs-core';
import { CellName, FUSED_CELLS } from 'rnn-adder';
import * as path from 'path';
import { log, ratio, round, runJson, table, Timing, timeInterleavedAsync } from '../harness';
import { NumpyPeer, peerEnv } from '../peer';
import { Suite } from '../suite';
import { trainingStep } from '../training-step';
import { disposeModel, fusedFactory, randomSequences, recurrentModel, SHAPE } from './tfjs-rnn';
import { findTorchPeers, runTorchPeer, TORCH_PYTHON_VARIABLE, TorchPeer, TorchRow } from './torch-peers';

const UNITS = [16, 64, 128];
const THREADS = [1, 2];
/** The LSTM first: the layers' targets are stated for it first. */
const PEER_CELLS: CellName[] = ['lstm', 'gru', 'elman'];
/** fit's epoch: this many batches of SHAPE.batch sequences. */
const FIT_BATCHES = 4;

/** Wall ms per step of the best and the median block, CPU ms per step of the least busy block. */
interface Measured {
  msPerStep: number;
  medianMs: number;
  cpuMsPerStep: number;
}

const measured = (t: Timing): Measured => ({ msPerStep: round(t.best, 3), medianMs: round(t.median, 3), cpuMsPerStep: round(t.cpuBest, 3) });

interface PeerRow {
  units: number;
  /** rnn-adder's fused kernel step, null for a cell without a kernel. */
  fused: Measured | null;
  /** tfjs' own layer by trainOnBatch. */
  tfjs: Measured;
  torch: (TorchRow & { peer: string })[];
  /** The float32 numpy step with hand-written BPTT (the LSTM only), null without numpy. */
  numpy: Measured | null;
}

/** Blocks short enough to alternate often, long enough that a 16-unit kernel step is not lost in timer noise. */
const callsPerBlock = (units: number) => (units <= 16 ? 3 : 1);

/** rnn-adder's kernel (where the cell has one) and tfjs' layer at one size, in alternating blocks. */
async function inProcessRow(cell: CellName, units: number): Promise<Omit<PeerRow, 'torch' | 'numpy'>> {
  const model = recurrentModel(cell, units);
  const { x, y } = randomSequences(SHAPE.batch, units);
  const tfjsStep = () => model.trainOnBatch(x, y);
  const hasKernel = FUSED_CELLS.includes(cell);
  const steps = hasKernel ? [trainingStep('fused', SHAPE.steps - 1, 1, cell, units), tfjsStep] : [tfjsStep];
  const timings = await timeInterleavedAsync(steps, callsPerBlock(units), 3, 1);
  disposeModel(model);
  tf.dispose([x, y]);
  return { units, fused: hasKernel ? measured(timings[0]) : null, tfjs: measured(timings[timings.length - 1]) };
}

/** Every peer's rows of a cell; a peer that fails is logged and left out. */
function torchRows(peers: TorchPeer[], cell: CellName): (TorchRow & { peer: string })[] {
  return peers.flatMap((peer) => {
    try {
      return runTorchPeer(peer, cell, UNITS, THREADS).map((row) => ({ peer: peer.label, ...row }));
    } catch (error) {
      log(`  ${peer.label}: failed (${error instanceof Error ? error.message : error})`);
      return [];
    }
  });
}

const NUMPY_LSTM_PEER = path.join(__dirname, '..', '..', '..', '..', 'scripts', 'numpy_lstm_peer.py');

/** The numpy LSTM's step per hidden size, where numpy is here; a failure is logged and leaves it out. */
function numpyLstmRows(peer: NumpyPeer | undefined): Map<number, Measured> {
  const rows = new Map<number, Measured>();
  if (peer === undefined) return rows;
  try {
    for (const row of runJson(peer.python, [NUMPY_LSTM_PEER, '--units', UNITS.join(',')], peerEnv()).json.rows) rows.set(row.units, row);
  } catch (error) {
    log(`  numpy LSTM peer: failed (${error instanceof Error ? error.message : error})`);
  }
  return rows;
}

/** A figure and, beside it, its ratio to the kernel's: a peer's time ÷ rnn-adder's, above 1 where rnn-adder is faster. */
function cells(m: Measured, fused: Measured | null): (string | number)[] {
  return [m.msPerStep, m.cpuMsPerStep, fused ? ratio(m.msPerStep, fused.msPerStep) : '', fused ? ratio(m.cpuMsPerStep, fused.cpuMsPerStep) : ''];
}

function logCell(cell: CellName, rows: PeerRow[]): void {
  const header = ['units', 'step', 'ms', 'CPU ms', '÷ fused', '÷ fused CPU'];
  const lines: (string | number)[][] = [header];
  for (const row of rows) {
    if (row.fused) lines.push([row.units, 'rnn-adder fused kernel', ...cells(row.fused, row.fused)]);
    lines.push([row.units, 'tfjs layer, trainOnBatch', ...cells(row.tfjs, row.fused)]);
    for (const t of row.torch) lines.push([row.units, `${t.peer}, ${t.threads} thread${t.threads > 1 ? 's' : ''}`, ...cells(t, row.fused)]);
    if (row.numpy) lines.push([row.units, 'numpy float32, 1 thread', ...cells(row.numpy, row.fused)]);
  }
  log(`\n${cell}: warm training step, batch ${SHAPE.batch}, T = ${SHAPE.steps}, input ${SHAPE.inputs}${FUSED_CELLS.includes(cell) ? '' : ' (no fused kernel yet)'}`);
  log(table(lines));
}

interface FitRow {
  units: number;
  /** ms per epoch of FIT_BATCHES batches. */
  fused: Measured;
  standard: Measured;
  /** standard ÷ fused (wall, CPU). */
  speedup: number;
  speedupCpu: number;
}

/** model.fit per epoch with the fused layer and with tfjs' own, the same weights and data, alternating epochs. */
async function fitRows(cell: CellName): Promise<FitRow[] | null> {
  const fused = fusedFactory(cell);
  if (fused === undefined) return null;
  const rows: FitRow[] = [];
  for (const units of UNITS) {
    const standardModel = recurrentModel(cell, units);
    const fusedModel = recurrentModel(cell, units, fused);
    fusedModel.setWeights(standardModel.getWeights());
    const { x, y } = randomSequences(FIT_BATCHES * SHAPE.batch, units);
    const epoch = (model: typeof standardModel) => () => model.fit(x, y, { batchSize: SHAPE.batch, epochs: 1, shuffle: false, verbose: 0 });
    const [f, s] = (await timeInterleavedAsync([epoch(fusedModel), epoch(standardModel)], 1, 3, 1)).map(measured);
    rows.push({ units, fused: f, standard: s, speedup: ratio(s.msPerStep, f.msPerStep), speedupCpu: ratio(s.cpuMsPerStep, f.cpuMsPerStep) });
    tf.dispose([x, y]);
    disposeModel(fusedModel);
    disposeModel(standardModel);
  }
  log(`  ${cell} model.fit, ${FIT_BATCHES} batches an epoch: ` + rows.map((r) => `${r.units} units ${r.speedup}× (CPU ${r.speedupCpu}×)`).join(', '));
  return rows;
}

export const rnnPeers: Suite = {
  name: 'rnn-peers',
  describe: `recurrent layers against tfjs' own and PyTorch (${TORCH_PYTHON_VARIABLE}, Debian's), T = 100, 16–128 units`,
  async run({ peer }) {
    const tensorsBefore = tf.memory().numTensors;
    const { peers, missing } = findTorchPeers();
    log(`\nrecurrent layers against their peers (ms per warm step; ÷ fused above 1 where rnn-adder is faster):`);
    for (const peer of peers) log(`  ${peer.label} (${peer.python}, BLAS ${peer.blas}, oneDNN ${peer.onednn ? 'yes' : 'no'})`);
    for (const why of missing) log(`  PyTorch peer not available: ${why}`);
    if (peer === undefined) log('  numpy LSTM peer: not available (python3 with numpy is not here)');
    const figures: Record<string, PeerRow[]> = {};
    for (const cell of PEER_CELLS) {
      const torch = torchRows(peers, cell);
      const numpy = cell === 'lstm' ? numpyLstmRows(peer) : new Map<number, Measured>();
      figures[cell] = [];
      for (const units of UNITS) {
        const row = await inProcessRow(cell, units);
        figures[cell].push({ ...row, torch: torch.filter((t) => t.units === units), numpy: numpy.get(units) ?? null });
      }
      logCell(cell, figures[cell]);
    }
    const fit: Record<string, FitRow[] | null> = {};
    for (const cell of PEER_CELLS) fit[cell] = await fitRows(cell);
    if (Object.values(fit).every((rows) => rows === null)) log('  model.fit with fused layers: skipped (the package exports no fused layers yet)');
    const leaked = tf.memory().numTensors - tensorsBefore;
    if (leaked !== 0) throw new Error(`rnn-peers left ${leaked} tensors undisposed`);
    return { rnnPeers: { shape: SHAPE, units: UNITS, threads: THREADS, peers, missing, cells: figures, fit } };
  },
};
