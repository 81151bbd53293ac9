// The warm training step (forward, backward, Adam) at batch 64, 8 and 16 bits: the fused kernel against the tensor
// engine in alternating blocks, and the numpy peer's float32 step of the same recipe in its own process.
import { log, ratio, timeInterleaved } from '../harness';
import { NumpyPeer, runPeer } from '../peer';
import { Suite } from '../suite';
import { stepRate, trainingStep, WIDTHS } from '../training-step';

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

/** The numpy peer's warm step, best of its blocks. */
function numpyWarmStepMs(peer: NumpyPeer, bits: number): number {
  return runPeer(peer, ['--bits', String(bits), '--warm-steps', '200']).json.msPerStep;
}

export const fusedStep: Suite = {
  name: 'fused-step',
  describe: 'the warm training step at batch 64: fused kernel, tensor engine and the numpy step',
  run({ peer }) {
    log('\nwarm training step (forward, backward, Adam), batch 64:');
    if (peer === undefined) log('  numpy peer: skipped (python3 with numpy is not available here)');
    const trainSteps = WIDTHS.map((bits): TrainStepFigure => {
      const [fusedTime, bpttTime] = timeInterleaved([trainingStep('fused', bits), trainingStep('bptt', bits)], 100, 11).map((t) => t.best);
      const numpyMs = peer === undefined ? undefined : numpyWarmStepMs(peer, bits);
      const figure: TrainStepFigure = {
        bits,
        batch: 64,
        fused: stepRate(fusedTime),
        bptt: stepRate(bpttTime),
        numpy: numpyMs === undefined ? null : stepRate(numpyMs),
        fusedOverBptt: ratio(bpttTime, fusedTime),
        fusedOverNumpy: numpyMs === undefined ? null : ratio(numpyMs, fusedTime),
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
    return { fused: trainSteps[0].fused, fused16: trainSteps[1].fused, trainSteps };
  },
};
