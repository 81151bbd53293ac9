// Every module brings what it needs: tf.grad's gradients are registered by the cross-check itself, not by
// whatever happened to load tfjs-layers first (before, a script importing only the training code failed
// with "gradient function not found for Multiply").
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import * as path from 'path';

/** tf.grad against the hand engine on one small batch, in float32 (the gradient tests' tolerance is relative). */
const AUTODIFF_ABS_TOLERANCE = 1e-6;

describe('self-sufficient modules', () => {
  it('trains with engine autodiff in a process that loads only the training code', () => {
    const child = spawnSync(process.execPath, [path.join(__dirname, 'support', 'autodiff-alone.js')], { encoding: 'utf8' });
    expect(child.stderr, 'stderr').to.equal('');
    expect(child.status, 'exit status').to.equal(0);
    const out = JSON.parse(child.stdout);
    expect(out.exact, `a 3-bit adder trained on tf.grad's gradients (${out.samples} pairs)`).to.equal(true);
    expect(out.maxDiff, 'max |bptt − tf.grad| over every gradient entry').to.be.at.most(AUTODIFF_ABS_TOLERANCE);
  });
});
