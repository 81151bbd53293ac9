// The LSTM's warm training step (gradient, Adam) at batch 64, H 16, T = 9, 17 and 100: the fused kernel against its
// tensor engine and against tf.grad, in alternating blocks, wall and CPU time.
import { log, ratio, round, Timing, timeInterleaved } from '../harness';
import { Suite } from '../suite';
import { stepRate, trainingStep } from '../training-step';

const LSTM_STEPS = [9, 17, 100];

type EngineRate = { samplesPerSec: number; msPerStep: number; cpuMsPerStep: number };

interface LstmStepFigure {
  /** T: the additions of T − 1 bits. */
  steps: number;
  batch: number;
  /** Per engine: samples/s and ms per step from the best wall-time block, CPU ms per step from the least busy one. */
  fused: EngineRate;
  bptt: EngineRate;
  autodiff: EngineRate;
  /** The other engine's time ÷ the fused kernel's: wall (best blocks), wall (median blocks), CPU. */
  fusedOverBptt: number;
  fusedOverBpttMedian: number;
  fusedOverBpttCpu: number;
  fusedOverAutodiff: number;
  fusedOverAutodiffMedian: number;
  fusedOverAutodiffCpu: number;
}

function lstmStepFigure(T: number): LstmStepFigure {
  const engines = ['fused', 'bptt', 'autodiff'] as const;
  const calls = T > 50 ? 3 : 10;
  const [fused, bptt, autodiff] = timeInterleaved(
    engines.map((engine) => trainingStep(engine, T - 1, 1, 'lstm')),
    calls,
    7,
    2,
  );
  const rate = (t: Timing): EngineRate => ({ ...stepRate(t.best), cpuMsPerStep: round(t.cpuBest, 4) });
  const figure: LstmStepFigure = {
    steps: T,
    batch: 64,
    fused: rate(fused),
    bptt: rate(bptt),
    autodiff: rate(autodiff),
    fusedOverBptt: ratio(bptt.best, fused.best),
    fusedOverBpttMedian: ratio(bptt.median, fused.median),
    fusedOverBpttCpu: ratio(bptt.cpuBest, fused.cpuBest),
    fusedOverAutodiff: ratio(autodiff.best, fused.best),
    fusedOverAutodiffMedian: ratio(autodiff.median, fused.median),
    fusedOverAutodiffCpu: ratio(autodiff.cpuBest, fused.cpuBest),
  };
  log(
    `  T = ${String(T).padStart(3)}: fused ${figure.fused.msPerStep} ms/step (CPU ${figure.fused.cpuMsPerStep}), ` +
      `tensor engine ${figure.bptt.msPerStep} ms/step: ${figure.fusedOverBptt}× (median blocks ${figure.fusedOverBpttMedian}×, CPU ${figure.fusedOverBpttCpu}×), ` +
      `tf.grad ${figure.autodiff.msPerStep} ms/step: ${figure.fusedOverAutodiff}× (median blocks ${figure.fusedOverAutodiffMedian}×, CPU ${figure.fusedOverAutodiffCpu}×)`,
  );
  return figure;
}

export const lstmStep: Suite = {
  name: 'lstm',
  describe: "the LSTM kernel: its warm training step against its tensor engine and tf.grad, T = 9, 17, 100",
  run() {
    log('\nLSTM warm training step (forward, backward, Adam), batch 64, H 16:');
    return { lstmSteps: LSTM_STEPS.map(lstmStepFigure) };
  },
};
