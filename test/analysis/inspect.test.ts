import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { extractMealy, fullAdder, matchCarryAutomaton, Mealy, minimize, Observation } from '../../src/analysis/automaton';
import { inspectAdder } from '../../src/analysis/inspect';
import { proveInvariant, stepBox } from '../../src/analysis/invariant';
import { kMeans } from '../../src/analysis/kmeans';
import { initBackend } from '../../src/backend';
import { plainParams } from '../../src/check/reference';
import { seededRng } from '../../src/data/sample';
import { disposeParams, initParams, mapParams } from '../../src/engine/params';
import { defaultConfig } from '../../src/train/config';
import { trainAdder } from '../support/training';
import { exactAdderParams } from '../support/adders';
import { leakyAdderParams } from '../support/leaky-adder';

/** The carry automaton written out: state = carry, symbol σ = 2a + b. */
function carryAutomaton(): Mealy {
  const rows = [0, 1].map((c) => [0, 1, 2, 3].map((s) => fullAdder(c, s >> 1, s & 1)));
  return { states: 2, start: 0, next: rows.map((r) => r.map((f) => f.carry)), out: rows.map((r) => r.map((f) => f.sum)) };
}

describe('automata', () => {
  it('the full adder: carry out is the majority, the sum bit the parity', () => {
    const table = [0, 1].flatMap((c) => [0, 1].flatMap((a) => [0, 1].map((b) => Object.values(fullAdder(c, a, b)))));
    expect(table).to.deep.equal([[0, 0], [0, 1], [0, 1], [1, 0], [0, 1], [1, 0], [1, 0], [1, 1]]);
  });

  it('accepts the carry automaton itself', () => {
    expect(matchCarryAutomaton(carryAutomaton())).to.deep.equal({ exact: true, carryOf: [0, 1], mismatches: [] });
  });

  it('minimises a 4-state (carry, sum) machine with a separate start to the 2-state carry automaton', () => {
    // State (c, s) = 2c + s remembers the last sum bit too, which the future does not depend on; state 4 is the start.
    const next = (q: number, symbol: number) => {
      const f = fullAdder(q === 4 ? 0 : q >> 1, symbol >> 1, symbol & 1);
      return 2 * f.carry + f.sum;
    };
    const states = [0, 1, 2, 3, 4];
    const m: Mealy = {
      states: 5,
      start: 4,
      next: states.map((q) => [0, 1, 2, 3].map((s) => next(q, s))),
      out: states.map((q) => [0, 1, 2, 3].map((s) => next(q, s) & 1)),
    };
    const { machine, blockOf } = minimize(m);
    expect(machine.states).to.equal(2);
    expect(blockOf).to.deep.equal([0, 0, 1, 1, 0]);
    expect(matchCarryAutomaton(machine).exact).to.equal(true);
  });

  it('names a wrong output and a wrong transition', () => {
    const wrongOut = carryAutomaton();
    wrongOut.out[1][3] = 0;
    expect(matchCarryAutomaton(wrongOut).mismatches).to.deep.equal(['state 1 (carry 1) on a=1 b=1: outputs 0, sum is 1']);
    const wrongNext = carryAutomaton();
    wrongNext.next[1][1] = 0;
    expect(matchCarryAutomaton(wrongNext).mismatches).to.deep.equal([
      'state 1 (carry 1) on a=0 b=1: goes to state 0 (carry 0), carry out is 1',
    ]);
  });

  it('rejects a one-state machine and an unobserved transition', () => {
    const parity: Mealy = { states: 1, start: 0, next: [[0, 0, 0, 0]], out: [[0, 1, 1, 0]] };
    expect(matchCarryAutomaton(parity).mismatches).to.include('1 reachable states after minimising, the carry automaton has 2');
    const gap = carryAutomaton();
    gap.next[0][2] = undefined;
    expect(matchCarryAutomaton(gap).mismatches).to.include('state 0 (carry 0) on a=1 b=0: never observed');
  });

  it('reads a table off observations, merging the states one transition enters', () => {
    // Clusters 0 and 1 split one state's cloud: the start goes to either on the same symbol, so they merge.
    const start = 3;
    const obs: Observation[] = [
      { from: start, symbol: 0, to: 0, out: 0 },
      { from: start, symbol: 0, to: 1, out: 0 },
      { from: 0, symbol: 3, to: 2, out: 0 },
      { from: 1, symbol: 3, to: 2, out: 0 },
      { from: 2, symbol: 0, to: 1, out: 1 },
    ];
    const { machine, classOf, conflicts } = extractMealy(obs, 4, start);
    expect(classOf).to.deep.equal([0, 0, 1, 2]);
    expect(conflicts).to.equal(0);
    expect(machine).to.deep.equal({
      states: 3,
      start: 2,
      next: [[undefined, undefined, undefined, 1], [0, undefined, undefined, undefined], [0, undefined, undefined, undefined]],
      out: [[undefined, undefined, undefined, 0], [1, undefined, undefined, undefined], [0, undefined, undefined, undefined]],
    });
  });

  it('counts a conflict when merged states emit different bits on one symbol', () => {
    const start = 2;
    const obs: Observation[] = [
      { from: start, symbol: 0, to: 0, out: 0 },
      { from: start, symbol: 0, to: 1, out: 0 },
      { from: 0, symbol: 1, to: 0, out: 1 },
      { from: 1, symbol: 1, to: 1, out: 0 },
    ];
    const { classOf, conflicts } = extractMealy(obs, 3, start);
    expect(classOf).to.deep.equal([0, 0, 1]);
    expect(conflicts).to.equal(1);
  });
});

describe('k-means', () => {
  it('finds two well-separated blobs, the same way for the same seed', () => {
    const rng = seededRng(1);
    const points = [...Array(40).keys()].map((i) => [(i < 20 ? 0 : 5) + rng() * 0.1, rng() * 0.1]);
    const a = kMeans(points, 2, seededRng(7));
    const b = kMeans(points, 2, seededRng(7));
    expect(Array.from(a.assignment)).to.deep.equal(Array.from(b.assignment));
    const first = a.assignment[0];
    expect(Array.from(a.assignment)).to.deep.equal(points.map((_, i) => (i < 20 ? first : 1 - first)));
    expect(a.inertia).to.be.below(40 * 2 * 0.1 ** 2);
  });
});

describe('interval bounds on the step (F1)', () => {
  before(async () => {
    await initBackend();
  });

  it('contain every state the network reaches from a box of starting states', () => {
    const p = initParams({ hidden: 4, bias: true }, 5);
    const w = plainParams(p);
    const box = { lo: [0.1, 0.2, 0.3, 0.4], hi: [0.3, 0.5, 0.4, 0.9] };
    const rng = seededRng(2);
    for (let trial = 0; trial < 200; trial++) {
      const s = box.lo.map((lo, i) => lo + rng() * (box.hi[i] - lo));
      const symbol = trial % 4;
      const x = [symbol >> 1, symbol & 1];
      const image = stepBox(w, box, symbol);
      const next = tf.tidy(() =>
        tf.sigmoid(tf.add(tf.add(tf.matMul([x], p.Wx), tf.matMul([s], p.Ws)), p.bs!)).dataSync(),
      );
      next.forEach((v, j) => expect(v).to.be.within(image.lo[j], image.hi[j]));
    }
    disposeParams(p);
  });

  it('fail to close for soft thresholds, naming why', () => {
    // Gain K = 2 instead of 20: σ(±1) is far from 0 and 1, so the states of the two carries blur together.
    const exact = exactAdderParams();
    const p = mapParams(exact, (v) => tf.mul(v, 0.1));
    const result = proveInvariant(plainParams(p), carryAutomatonWithStart(), startBoxes(3));
    disposeParams(exact);
    disposeParams(p);
    expect(result.proven).to.equal(false);
    expect(result.failure).to.match(/^the readout of state \d on symbol \d is not surely [01]$/);
  });
});

/** The carry automaton with a separate start state 2 that behaves as carry 0, as the extraction builds it. */
function carryAutomatonWithStart(): Mealy {
  const m = carryAutomaton();
  return { states: 3, start: 2, next: [...m.next, [...m.next[0]]], out: [...m.out, [...m.out[0]]] };
}

/** Tight starting boxes: carry 0 near u = (·, 0, ·), carry 1 near (·, 1, ·); the start is s_0 = 0. */
function startBoxes(H: number) {
  return [
    { lo: new Array(H).fill(0), hi: [1, 0.01, 0.01] },
    { lo: [0.99, 0.99, 0], hi: new Array(H).fill(1) },
    { lo: new Array(H).fill(0), hi: new Array(H).fill(0) },
  ];
}

describe('inspect: the automaton in the hidden states', () => {
  before(async () => {
    await initBackend();
  });

  it('recovers the carry automaton from a hand-made adder and proves it at every width', () => {
    const p = exactAdderParams();
    const before = tf.memory().numTensors;
    const r = inspectAdder(p, 6, { samples: 200, longWidths: [64], longSamples: 200 });
    expect(tf.memory().numTensors, 'no tensors leak').to.equal(before);
    disposeParams(p);
    expect(r.isCarryAutomaton).to.equal(true);
    expect(r.clusters.map((c) => [c.carry, c.carryOne])).to.have.deep.members([[0, 0], [1, 1]]);
    expect(r.fullAdder.every((row) => row.observed > 0), 'every (carry, a, b) case was run').to.equal(true);
    expect(r.invariant.proven).to.equal(true);
    expect(r.invariant.outputMargin, 'the readout logit is ±K/2 = ±10 at the corners').to.be.closeTo(10, 0.01);
    expect(r.provenAtAnyWidth).to.equal(true);
    const [wide] = r.widths;
    // A saturated adder's states at 64 bits are the very states seen at 6 bits: all inside their clusters' boxes.
    expect(wide).to.include({ bits: 64, method: 'sampled', pairs: 214, accuracy: 1, inPredictedBox: 1, outputsAgree: 1 });
    expect(wide.steps, '(200 random + 14 carry-chain pairs) × 65 steps').to.equal(214 * 65);
    expect(r.learned.map((l) => [l.carry, l.a, l.b, r.learned.find((m) => m.state === l.next)?.carry, l.out])).to.deep.equal(
      r.fullAdder.map((f) => [f.carry, f.a, f.b, f.carryOut, f.sum]),
    );
  });

  it('recovers the carry automaton from an adder trained here (6 bits, the train defaults, seed 0)', () => {
    const trained = trainAdder({ ...defaultConfig(6), seed: 0 });
    expect(trained.solved, 'training reached an exact 6-bit adder').to.equal(true);
    const r = inspectAdder(trained.params, 6, { samples: 300, longWidths: [] });
    disposeParams(trained.params);
    expect(r.conflicts).to.equal(0);
    expect(r.match.mismatches).to.deep.equal([]);
    expect(r.isCarryAutomaton).to.equal(true);
    for (const c of r.clusters) expect([0, 1], 'every cluster holds one carry only').to.include(c.carryOne);
    expect(r.clusters.map((c) => c.carry)).to.deep.equal(r.clusters.map((c) => c.carryOne));
  });

  it('finds the carry automaton at 8 bits in an adder whose carry leaks, but no proof, and errors at 64 bits', () => {
    const p = leakyAdderParams();
    const r = inspectAdder(p, 8, { samples: 200, longWidths: [64], longSamples: 200 });
    disposeParams(p);
    expect(r.isCarryAutomaton, 'on 8 bits it behaves as the carry automaton').to.equal(true);
    expect(r.invariant.proven, 'the proof must not close: the network is wrong on long carry chains').to.equal(false);
    expect(r.provenAtAnyWidth).to.equal(false);
    const [wide] = r.widths;
    expect(wide.accuracy, 'the 64-bit carry-chain cases (all ones + 1, …) lose their carry').to.be.below(1);
    expect(wide.inPredictedBox, 'the fading carry leaves the box its cluster filled on 8 bits').to.be.below(1);
    expect(wide.outputsAgree).to.be.below(1);
  });

  it('finds no carry automaton in an untrained network', () => {
    const p = initParams({ hidden: 8, bias: true }, 0);
    const r = inspectAdder(p, 6, { samples: 100, maxStates: 4, longWidths: [] });
    disposeParams(p);
    expect(r.isCarryAutomaton).to.equal(false);
    expect(r.provenAtAnyWidth).to.equal(false);
    expect(r.match.mismatches.length + r.conflicts).to.be.above(0);
  });
});
