// The fused kernels' registry (src/engine/fused/capabilities.ts, registry.ts, cells.ts): every row of the table
// has a host that declares that row, the configuration's lookups answer from the table, and a request a kernel
// does not compute is refused in one line before any kernel runs.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { CELLS } from '../../src/names';
import { capabilitiesOf, describeKernels, FUSED_CELLS, fusedComputes, KERNEL_CAPABILITIES, kernelRefusal } from '../../src/engine/fused/capabilities';
import { fusedEngineFor, fusedPredictorFor, fusedPrefixOutputsFor, fusedStep } from '../../src/engine/fused/cells';
import { kernelFor, kernelOf } from '../../src/engine/fused/registry';
import { disposeParams, initParams } from '../../src/engine/params';
import { TASKS } from '../../src/tasks/task';
import { defaultEngine } from '../../src/train/config';

describe('the fused kernels\' registry', () => {
  before(async () => {
    await initBackend();
  });

  it('has a host for every row of the table, declaring that row, and none for a cell without one', () => {
    expect(FUSED_CELLS).to.deep.equal(Object.keys(KERNEL_CAPABILITIES));
    for (const cell of CELLS) {
      const kernel = kernelOf(cell);
      if (capabilitiesOf(cell) === undefined) {
        expect(kernel, cell).to.equal(undefined);
        continue;
      }
      expect(kernel?.cell, cell).to.equal(cell);
      expect(kernel?.capabilities, cell).to.equal(capabilitiesOf(cell));
      expect(kernelOf(cell), `${cell}: one shipped instance`).to.equal(kernel);
    }
  });

  it('answers fusedComputes and defaultEngine from the table: the tasks it lists, truncation where it has it', () => {
    for (const cell of CELLS) {
      const caps = capabilitiesOf(cell);
      for (const task of TASKS) {
        for (const tbptt of [undefined, 8]) {
          const computes = caps !== undefined && caps.tasks.includes(task) && (tbptt === undefined || caps.truncation);
          expect(fusedComputes(cell, task, tbptt), `${cell} ${task} tbptt ${tbptt}`).to.equal(computes);
          expect(defaultEngine(cell, task, tbptt), `${cell} ${task} tbptt ${tbptt}`).to.equal(computes ? 'fused' : 'bptt');
        }
      }
    }
  });

  it('refuses what a kernel lacks in one line naming it, and accepts what it has', () => {
    expect(kernelRefusal('elman', { inputs: 2 })).to.equal(undefined);
    expect(kernelRefusal('elman', { inputs: 1 })).to.equal("the elman cell's fused kernel takes 2 inputs, not 1");
    expect(kernelRefusal('elman', { inputs: 2, mask: true, truncation: true })).to.equal(
      "the elman cell's fused kernel computes whole additions with full BPTT only: no loss mask, truncation",
    );
    expect(kernelRefusal('elman', { inputs: 2, carriedState: true })).to.match(/only: no carried state$/);
    expect(kernelRefusal('lstm', { inputs: 7, mask: true, carriedState: true, truncation: true })).to.equal(undefined);
    if (capabilitiesOf('gru') === undefined) {
      expect(kernelRefusal('gru', { inputs: 2 })).to.equal(`the gru cell has no fused kernel (the ${FUSED_CELLS.join(' and ')} cells have)`);
      expect(() => kernelFor('gru', { inputs: 2 })).to.throw(/^the gru cell has no fused kernel .* \(use the bptt engine\)$/);
    }
  });

  it('names each kernel and what it computes in the help text', () => {
    expect(describeKernels()).to.equal(FUSED_CELLS.map((cell) => `${cell}: ${capabilitiesOf(cell)!.computes}`).join(', '));
    expect(describeKernels()).to.include('elman: whole additions with full BPTT').and.include('lstm: every task');
  });

  it('gives no fused path for a network whose input width its cell\'s kernel does not take, and refuses a step there', () => {
    const config = { cell: 'elman' as const, hidden: 4, bias: true, inputs: 1 };
    const p = initParams(config, 1);
    const before = tf.memory().numTensors;
    expect(fusedEngineFor(config)).to.equal(undefined);
    expect(fusedPredictorFor(p)).to.equal(undefined);
    expect(fusedPrefixOutputsFor(p, 2)).to.equal(undefined);
    const flat = { Wx: new Float32Array(4), Ws: new Float32Array(16), bs: new Float32Array(4), Wy: new Float32Array(4), by: new Float32Array(1) };
    const batch = { batch: 1, steps: 2, inputs: 1, x: new Float32Array(2), y: new Float32Array(2) };
    expect(() => fusedStep(config, flat, batch, 'mse')).to.throw("the elman cell's fused kernel takes 2 inputs, not 1 (use the bptt engine)");
    expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
    disposeParams(p);
  });

  it('gives the LSTM kernel any input width', () => {
    const p = initParams({ cell: 'lstm', hidden: 4, bias: true, inputs: 3 }, 1);
    const predict = fusedPredictorFor(p);
    expect(predict).to.be.a('function');
    const yhat = predict!(new Float32Array(2 * 5 * 3).fill(0.5), 2, 5);
    expect(yhat).to.have.length(10);
    expect(Array.from(yhat).every((v) => v > 0 && v < 1)).to.equal(true);
    disposeParams(p);
  });
});
