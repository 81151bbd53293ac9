// The fused kernels' layer path (contract.ts' states and statesGrads): any input width and hidden size, tanh or σ
// (and the LSTM's gates σ or hard sigmoid), with or without biases and an initial state, from an upstream gradient
// on every step or on the last only. Its h_t against the same layer on tensors, and its gradients of the weights,
// of the input and of h_0 (c_0) against tf.grad and float64 finite differences; mutant kernels must fail.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import fc from 'fast-check';
import { initBackend } from '../../src/backend';
import { BPTT_VS_AUTODIFF_TOLERANCE, BPTT_VS_FINITE_DIFF_TOLERANCE } from '../../src/check/gradcheck';
import { ActivationName, capabilitiesOf } from '../../src/engine/fused/capabilities';
import { LayerGrads, LayerKernel } from '../../src/engine/fused/contract';
import { ElmanKernel } from '../../src/engine/fused/elman-kernel';
import { LstmKernel } from '../../src/engine/fused/lstm-kernel';
import {
  autodiffLayerGrads,
  finiteDifferenceLayerGrads,
  LayerCell,
  layerInputs,
  LayerProblem,
  layerProblem,
  LayerShape,
  tensorStates,
  worstEntry,
} from '../support/layer-reference';
import { MUTANT_ELMAN_WASM } from '../support/mutant-elman-kernel-wasm';
import { MUTANT_LSTM_WASM } from '../support/mutant-lstm-kernel-wasm';

/** The largest |h_t − h_t| between the kernel's forward and the tensors' (float32 both, the kernel's own exp). */
const FORWARD_TOLERANCE = 1e-5;

const kernels: Record<LayerCell, LayerKernel> = { elman: new ElmanKernel(), lstm: new LstmKernel() };

/** The kernel's gradients by the reference's names: Wx, Ws, bs, x, h0, c0. */
function kernelGrads(kernel: LayerKernel, p: LayerProblem): Record<string, Float32Array> {
  const out: LayerGrads = kernel.statesGrads(p.w, p.x, p.R, p.B, p.T, p.options);
  const grads: Record<string, Float32Array> = { Wx: out.grads.Wx, Ws: out.grads.Ws, x: out.dx };
  if (out.grads.bs) grads.bs = out.grads.bs;
  if (p.options.initial) {
    grads.h0 = out.initial.h;
    if (p.options.initial.c) grads.c0 = out.initial.c!;
  }
  return grads;
}

/** The worst entry per input whose relative error exceeds the tolerance, described; empty when all are within. */
function failures(want: Record<string, ArrayLike<number>>, got: Record<string, ArrayLike<number>>, tolerance: number): string[] {
  expect(Object.keys(got).sort()).to.deep.equal(Object.keys(want).sort());
  return Object.keys(want).flatMap((name) => {
    const worst = worstEntry(want[name], got[name]);
    return worst.error > tolerance
      ? [`${name}: relative error ${worst.error.toExponential(2)} at [${worst.at}] (expected ${worst.want}, got ${worst.got})`]
      : [];
  });
}

function describeShape(s: LayerShape): string {
  const act = s.cell === 'lstm' ? `${s.activation}/${s.recurrentActivation}` : s.activation;
  return `${s.cell} ${act}, B ${s.B} T ${s.T} I ${s.I} H ${s.H}, ${s.bias ? 'bias' : 'no bias'}, ${s.initial ? 'h_0 given' : 'h_0 = 0'}, ` +
    `${s.lastOnly ? 'last step' : 'every step'}`;
}

/** The kernel's h_t against the tensors' and its gradients against the yardstick's; one line per failure. */
function check(s: LayerShape, yardstick: 'tf.grad' | 'finite differences', kernel = kernels[s.cell]): string[] {
  const p = layerProblem(s);
  const states = kernel.states(p.w, p.x, p.B, p.T, p.options);
  const want = tf.tidy(() => tensorStates(p, layerInputs(p)).dataSync() as Float32Array);
  const forward = worstEntry(want, states);
  const forwardError = Math.abs(forward.want - forward.got) || 0;
  const got = kernelGrads(kernel, p);
  const [expected, tolerance] = yardstick === 'tf.grad'
    ? [autodiffLayerGrads(p), BPTT_VS_AUTODIFF_TOLERANCE]
    : [finiteDifferenceLayerGrads(p), BPTT_VS_FINITE_DIFF_TOLERANCE];
  const lines = failures(expected, got, tolerance);
  if (forwardError > FORWARD_TOLERANCE) lines.unshift(`h: |difference| ${forwardError.toExponential(2)} at [${forward.at}]`);
  return lines;
}

const activationsOf = (cell: LayerCell) => capabilitiesOf(cell)!.activations as readonly ActivationName[];
const recurrentOf = (cell: LayerCell): readonly (ActivationName | undefined)[] =>
  cell === 'lstm' ? capabilitiesOf(cell)!.recurrentActivations : [undefined];

describe('the fused kernels from an upstream gradient equal tf.grad and finite differences', () => {
  before(async () => {
    await initBackend();
  });

  let seed = 200;
  for (const cell of ['elman', 'lstm'] as const)
    for (const activation of activationsOf(cell))
      for (const recurrentActivation of recurrentOf(cell))
        for (const bias of [true, false])
          for (const initial of [false, true])
            for (const lastOnly of [false, true]) {
              const shape: LayerShape = { cell, B: 3, T: 7, I: 3, H: 5, bias, activation, recurrentActivation, initial, lastOnly, seed: ++seed };
              it(describeShape(shape), () => {
                const before = tf.memory().numTensors;
                for (const yardstick of ['tf.grad', 'finite differences'] as const) {
                  expect(check(shape, yardstick), `${describeShape(shape)} against ${yardstick}`).to.deep.equal([]);
                }
                expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
              });
            }

  it('on random shapes (inputs 1–8, units 1–64, T 1–64), activations and weight scales, against tf.grad (property-based)', () => {
    const shapes = fc.record({
      cell: fc.constantFrom<LayerCell>('elman', 'lstm'),
      B: fc.integer({ min: 1, max: 4 }),
      T: fc.integer({ min: 1, max: 64 }),
      I: fc.integer({ min: 1, max: 8 }),
      H: fc.integer({ min: 1, max: 64 }),
      bias: fc.boolean(),
      act: fc.integer({ min: 0, max: 1 }),
      rec: fc.integer({ min: 0, max: 1 }),
      initial: fc.boolean(),
      lastOnly: fc.boolean(),
      gain: fc.double({ min: 0.5, max: 2, noNaN: true }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    });
    fc.assert(
      fc.property(shapes, ({ act, rec, gain, ...s }) => {
        const shape: LayerShape = {
          ...s,
          activation: activationsOf(s.cell)[act],
          recurrentActivation: recurrentOf(s.cell)[rec % recurrentOf(s.cell).length],
          // The recurrent gain scale·√H at most 2: beyond, over 64 steps two float32 orders of summation part.
          scale: gain / Math.sqrt(s.H),
        };
        expect(check(shape, 'tf.grad'), describeShape(shape)).to.deep.equal([]);
      }),
      { numRuns: 12, seed: 20 },
    );
  });

  for (const [cell, mutant, term] of [
    ['elman', new ElmanKernel(MUTANT_ELMAN_WASM), "(B4)'s δ_{t+1}·Wsᵀ"],
    ['lstm', new LstmKernel(MUTANT_LSTM_WASM), "(L6)'s ∂L/∂c_{t+1}⊙f_{t+1}"],
  ] as const) {
    it(`fails with the ${cell} mutant without ${term}, on the weights, the input and h_0`, () => {
      const shape: LayerShape = {
        cell, B: 2, T: 6, I: 2, H: 4, bias: true, activation: 'tanh', recurrentActivation: 'sigmoid', initial: true, lastOnly: false, seed: 7,
      };
      const failed = check(shape, 'tf.grad', mutant).map((line) => line.split(':')[0]);
      expect(failed).to.include.members(['Wx', 'Ws', 'x', 'h0']);
      expect(check(shape, 'tf.grad'), 'the shipped kernel on the same problem').to.deep.equal([]);
    });
  }
});
