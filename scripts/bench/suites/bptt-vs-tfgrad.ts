// Hand BPTT against tf.grad on the tensor engines: the gradient step (loss and gradients of one minibatch) at batch
// 1, 64 and 256, 8 and 16 bits, Elman; then per cell at batch 64, with each cell's step against the Elman cell's.
import * as tf from '@tensorflow/tfjs-core';
import {
  autodiffLossAndGrads,
  CELL_ENGINES,
  CellName,
  CELLS,
  disposeParams,
  initParams,
  inputTensor,
  lossAndGrads,
  LossAndGrads,
  Params,
  targetTensor,
} from 'rnn-adder';
import { log, ratio, round, timeInterleaved, Timing } from '../harness';
import { Suite } from '../suite';
import { NET, randomBatch, WIDTHS } from '../training-step';

const STEP_BATCHES = [1, 64, 256];

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

/** The gradient step of `engine` on a fixed batch: loss read back, everything freed. */
function gradientCall(engine: typeof lossAndGrads, params: Params, x: tf.Tensor3D, y: tf.Tensor3D): () => void {
  return () => {
    const out: LossAndGrads = engine(params, x, y, 'mse');
    out.loss.dataSync();
    tf.dispose([out.loss, ...Object.values(out.grads)]);
  };
}

function stepFigures(): StepFigure[] {
  const figures: StepFigure[] = [];
  const params = initParams(NET, 1);
  for (const bits of WIDTHS) {
    for (const batch of STEP_BATCHES) {
      const data = randomBatch(bits, batch, 1);
      const x = inputTensor(data);
      const y = targetTensor(data);
      const calls = Math.round(5000 / (batch * data.steps)) + 10;
      const [bptt, autodiff] = timeInterleaved([gradientCall(lossAndGrads, params, x, y), gradientCall(autodiffLossAndGrads, params, x, y)], calls, 11);
      const rate = (t: Timing): Rate => ({
        samplesPerSec: Math.round((1000 * batch) / t.best),
        msPerStep: round(t.best, 3),
        medianSamplesPerSec: Math.round((1000 * batch) / t.median),
      });
      const figure = {
        bits,
        batch,
        bptt: rate(bptt),
        autodiff: rate(autodiff),
        speedup: ratio(autodiff.best, bptt.best),
        medianSpeedup: ratio(autodiff.median, bptt.median),
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

function cellFigures(): CellFigure[] {
  const figures: CellFigure[] = [];
  const params = Object.fromEntries(CELLS.map((cell) => [cell, initParams({ ...NET, cell }, 1)])) as Record<CellName, Params>;
  const batch = 64;
  for (const bits of WIDTHS) {
    const data = randomBatch(bits, batch, 1);
    const x = inputTensor(data);
    const y = targetTensor(data);
    const fns = CELLS.flatMap((cell) => [
      gradientCall(CELL_ENGINES[cell].lossAndGrads, params[cell], x, y),
      gradientCall(autodiffLossAndGrads, params[cell], x, y),
    ]);
    const timings = timeInterleaved(fns, 10, 11);
    const elman = timings[0];
    CELLS.forEach((cell, i) => {
      const [bptt, autodiff] = [timings[2 * i], timings[2 * i + 1]];
      const figure: CellFigure = {
        cell,
        bits,
        batch,
        bpttMs: round(bptt.best, 3),
        autodiffMs: round(autodiff.best, 3),
        speedup: ratio(autodiff.best, bptt.best),
        medianSpeedup: ratio(autodiff.median, bptt.median),
        costVsElman: ratio(bptt.best, elman.best),
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

export const bpttVsTfGrad: Suite = {
  name: 'bptt',
  describe: 'hand BPTT against tf.grad: the gradient step at batch 1/64/256, and per cell at batch 64',
  run() {
    log('\ngradient step (loss and gradients of one minibatch):');
    const steps = stepFigures();
    log('\nper cell, gradient step at batch 64:');
    const cells = cellFigures();
    const headline = steps.find((s) => s.bits === 8 && s.batch === 64)!;
    log(`  headline (8 bits, batch 64): bptt ${headline.speedup}× tf.grad, median blocks ${headline.medianSpeedup}× (target ≥ 2)`);
    const { bptt, autodiff, speedup, medianSpeedup } = headline;
    return { batch: 64, bits: 8, bptt, autodiff, speedup, medianSpeedup, steps, cells };
  },
};
