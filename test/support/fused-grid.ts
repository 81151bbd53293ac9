// The gated kernels' proof on addition problems (test/engine/fused-lstm.test.ts, test/engine/fused-gru.test.ts):
// the kernel against the tensor engine and tf.grad on a grid of widths, sizes, biases and losses; against tf.grad on
// random shapes up to 64 bits and H 64; against float64 finite differences on small shapes and at 64 bits.
import { expect } from 'chai';
import * as fc from 'fast-check';
import { initBackend } from '../../src/backend';
import { GradcheckConfig, LossAndGradsFn } from '../../src/check/gradcheck';
import { LOSSES } from '../../src/engine/loss';
import { describeConfig, randomConfigs, weightScales, Yardstick } from './check-gradients';

/** fn's gradient against the yardstick's on one random addition problem, every entry: the suite's own check. */
export type KernelCheck = (
  fn: LossAndGradsFn,
  yardstick: Yardstick,
  config: Omit<GradcheckConfig, 'cell'>,
  scale?: number,
) => { ok: boolean; message: string };

export interface KernelGrid {
  cell: 'lstm' | 'gru';
  fn: LossAndGradsFn;
  check: KernelCheck;
  /** The recurrent gain the random shapes stay under (the suites say why: past it the network is chaotic). */
  steadyGain: (scale: number, hidden: number) => number;
  hiddens: readonly number[];
  firstSeed: number;
}

const configs = (maxBits: number, maxHidden: number) => randomConfigs(maxBits, maxHidden, 6);

export function describeKernelOnAdditions({ cell, fn, check, steadyGain, hiddens, firstSeed }: KernelGrid): void {
  describe(`the fused ${cell.toUpperCase()} kernel equals the tensor engine, tf.grad and finite differences`, () => {
    before(async () => {
      await initBackend();
    });

    let seed = firstSeed;
    for (const bits of [8, 16])
      for (const hidden of hiddens)
        for (const bias of [true, false])
          for (const kind of LOSSES) {
            const config = { bits, hidden, batch: 16, bias, loss: kind, seed: ++seed };
            it(`${describeConfig({ ...config, cell })}: against bptt and tf.grad`, () => {
              for (const yardstick of ['bptt', 'tf.grad'] as const) {
                const c = check(fn, yardstick, config);
                expect(c.ok, c.message).to.equal(true);
              }
            });
          }

    it('on random shapes up to 64 bits and H 64, weights and weight scales, against tf.grad (property-based)', () => {
      fc.assert(
        fc.property(configs(64, 64), weightScales, (config, scale) => {
          const c = check(fn, 'tf.grad', config, steadyGain(scale, config.hidden));
          expect(c.ok, `${describeConfig({ ...config, cell })}, scale ${scale}: ${c.message}`).to.equal(true);
        }),
        { numRuns: 20 },
      );
    });

    it('on random small shapes, against float64 finite differences (property-based)', () => {
      fc.assert(
        fc.property(configs(16, 5), weightScales, (config, scale) => {
          const c = check(fn, 'finite differences', config, scale);
          expect(c.ok, `${describeConfig({ ...config, cell })}, scale ${scale}: ${c.message}`).to.equal(true);
        }),
        { numRuns: 15 },
      );
    });

    it('at 64 bits and H 6, against finite differences', () => {
      const c = check(fn, 'finite differences', { bits: 64, hidden: 6, batch: 2, bias: true, loss: 'bce', seed: 3 });
      expect(c.ok, c.message).to.equal(true);
    });
  });
}
