// The sample that gates the full check: it passes exact adders and stops broken ones.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'chai';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { preCheckPasses } from '../../src/train/exactness';
import { exactAdderParams } from '../support/adders';
import { leakyAdderParams } from '../support/leaky-adder';

describe('exactness: the pre-check before the full check', () => {
  before(async () => {
    await initBackend();
  });

  it('passes an exact adder, at an exhaustive width and a sampled one', () => {
    const p = exactAdderParams();
    const before = tf.memory().numTensors;
    expect(preCheckPasses(p, 8, 0)).to.equal(true);
    expect(preCheckPasses(p, 16, 0)).to.equal(true);
    expect(tf.memory().numTensors).to.equal(before);
    disposeParams(p);
  });

  it('stops an adder that drops every carry', () => {
    const p = exactAdderParams();
    p.Ws.dispose();
    p.Ws = tf.zeros([3, 3]);
    expect(preCheckPasses(p, 8, 0)).to.equal(false);
    disposeParams(p);
  });

  it('stops an adder whose only wrong sums are long carry chains: the carry-chain cases come with the sample', () => {
    const p = leakyAdderParams();
    expect(preCheckPasses(p, 32, 0)).to.equal(false);
    disposeParams(p);
  });
});
