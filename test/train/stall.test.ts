// The stall detector (src/train/stall.ts): its arithmetic, healthy default runs left alone, and runs that cannot
// succeed stopped early with the cause named. It watches losses, not tensors, so npm test runs it on one backend.
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { lossDrop, MIN_LOSS_DROP, STALL_WINDOW, StallWatch } from '../../src/train/stall';
import { config, trained } from '../support/training';

describe('stalled runs', () => {
  before(async () => {
    await initBackend();
  });

  const points = (losses: number[], every: number) => losses.map((loss, i) => ({ samples: (i + 1) * every, loss, accuracy: 0, seconds: i }));

  it(`judges nothing before 2 × ${STALL_WINDOW.toLocaleString('en')} pairs, then compares the two windows' mean loss`, () => {
    const every = STALL_WINDOW / 4;
    const watch = new StallWatch();
    // Flat at 0.1: the first point at 2 × STALL_WINDOW pairs is the first judged, and a flat loss fell by 0%.
    const verdicts = points(new Array(10).fill(0.1), every).map((p) => watch.stalled(p));
    expect(verdicts.slice(0, 7)).to.deep.equal(new Array(7).fill(undefined));
    expect(verdicts.slice(7)).to.deep.equal([0, 0, 0]);
    // Falling 0.5% per point, about 2% per window: progress, never a stall.
    const falling = new StallWatch();
    expect(points(Array.from({ length: 40 }, (_, i) => 0.995 ** i), every).map((p) => falling.stalled(p))).to.deep.equal(new Array(40).fill(undefined));
    // lossDrop: windows (0, 2] and (2, 4] of points 1…4 with losses 4, 4, 3, 3 fell by 25%.
    expect(lossDrop(points([4, 4, 3, 3], 1), 4, 2)).to.equal(0.25);
    expect(MIN_LOSS_DROP).to.be.above(0);
  });

  it('never stops a healthy default run (8 bits, seeds 0–5)', () => {
    for (let seed = 0; seed <= 5; seed++) {
      trained(config(8, { seed }), (result) => {
        expect(result.solved, `seed ${seed}`).to.equal(true);
        expect(result.stall, `seed ${seed}`).to.equal(undefined);
      });
    }
  });

  for (const [what, changes, cause] of [
    ['sgd at lr 1000 (saturated)', { optimizer: 'sgd', lr: 1000 }, 'learning-rate'],
    ['2 hidden units', { hidden: 2 }, 'hidden'],
  ] as const) {
    it(`stops ${what} early, blaming its ${cause}`, () => {
      trained(config(8, changes), (result) => {
        expect(result.solved).to.equal(false);
        expect(result.stall, 'stopped as stalled').to.include({ cause });
        expect(result.stall!.drop).to.be.below(MIN_LOSS_DROP);
        expect(result.samples, 'pairs before it stopped').to.be.within(2 * STALL_WINDOW, 8 * STALL_WINDOW);
      });
    });
  }
});
