// What did the network learn? Drive it with additions, group its hidden states by k-means, read the
// transition table (cluster, a_t, b_t) → (next cluster, output bit) off the groups, minimise it and compare
// it with the carry automaton of the full adder; then try to prove, with interval bounds, that the states
// never leave their clusters' boxes, and measure the adder at widths far beyond its training.
import { Rng, sampleWithCarryChains, seededRng } from '../data/sample';
import { evaluateAdder } from '../eval/evaluate';
import { Params } from '../engine/params';
import { plainParams } from '../check/reference';
import {
  CarryMatch,
  extractMealy,
  Extraction,
  fullAdder,
  matchCarryAutomaton,
  Mealy,
  minimize,
  SYMBOLS,
  symbolBits,
} from './automaton';
import { boundingBoxes, drive, observations, Run, trackClusters, Tracking } from './drive';
import { InvariantResult, proveInvariant } from './invariant';
import { kMeans } from './kmeans';
import { principalComponents, project } from './pca';
import { DEFAULT_INSPECT, INSPECT_MAX, InspectOptions } from './inspect-options';
import { checkArray, checkInteger, checkOptionsObject } from '../data/arguments';
import { checkParams } from '../engine/param-arguments';

export { DEFAULT_INSPECT, InspectOptions } from './inspect-options';

export interface ClusterSummary {
  /** Hidden states in the cluster. */
  size: number;
  /** Fraction of them whose true carry after their step is 1. */
  carryOne: number;
  /** Its state in the minimised automaton, and the carry that state stands for. */
  state: number;
  carry?: number;
}

export interface LearnedRow {
  state: number;
  carry?: number;
  a: number;
  b: number;
  next?: number;
  out?: number;
}

export interface AdderRow {
  carry: number;
  a: number;
  b: number;
  carryOut: number;
  sum: number;
  /** Steps of the driving additions that ran this (carry in, a, b) case. */
  observed: number;
}

export interface Inspection {
  bits: number;
  sequences: number;
  hiddenStates: number;
  /** k: clusters in the partition that was used. */
  clusters: ClusterSummary[];
  /** States of the extracted automaton (clusters merged where one transition entered several), start aside. */
  extractedStates: number;
  /** States of the minimised automaton, start included (the carry automaton has 2). */
  minimisedStates: number;
  /** (state, symbol) pairs seen emitting both 0 and 1, after merging clusters that one transition enters: 0 for an automaton. */
  conflicts: number;
  /** The minimised learned automaton, its reachable states only, rows ordered by carry. */
  learned: LearnedRow[];
  fullAdder: AdderRow[];
  match: CarryMatch;
  /** conflicts = 0 and the minimised automaton is the carry automaton. */
  isCarryAutomaton: boolean;
  invariant: Omit<InvariantResult, 'boxes'>;
  /** isCarryAutomaton and the invariant proven: the adder is exact at every width. */
  provenAtAnyWidth: boolean;
  widths: WidthCheck[];
  /** Hidden states projected on their two principal components, for the picture. */
  projection: { pc1: number; pc2: number; carry: number; cluster: number }[];
}

/** Long additions: the adder's accuracy, and whether the hidden states stay in the clusters the automaton predicts. */
export interface WidthCheck extends Tracking {
  bits: number;
  method: string;
  pairs: number;
  accuracy: number;
}

interface Partition {
  k: number;
  assignment: Int32Array;
  extraction: Extraction;
}

/** The smallest k whose clusters, merged by the extraction, form an automaton; failing that, the fewest conflicts. */
function choosePartition(run: Run, maxStates: number, rng: Rng): Partition {
  let chosen: Partition | undefined;
  for (let k = 2; k <= maxStates; k++) {
    const { assignment } = kMeans(run.points, k, rng);
    const extraction = extractMealy(observations(run, assignment, k), k + 1, k);
    if (chosen === undefined || extraction.conflicts < chosen.extraction.conflicts) chosen = { k, assignment, extraction };
    if (extraction.conflicts === 0) break;
  }
  return chosen!;
}

/** Every (carry in, a, b) row of the full adder, with how many driven steps ran it. */
function adderRows(run: Run): AdderRow[] {
  return [0, 1].flatMap((carry) =>
    SYMBOLS.map((symbol) => {
      const [a, b] = symbolBits(symbol);
      const { carry: carryOut, sum } = fullAdder(carry, a, b);
      const observed = run.symbols.filter((s, n) => s === symbol && run.carriesIn[n] === carry).length;
      return { carry, a, b, carryOut, sum, observed };
    }),
  );
}

/** The reachable states of the minimised machine, carry 0 first, one row per symbol. */
function learnedRows(machine: Mealy, match: CarryMatch): LearnedRow[] {
  return [...Array(machine.states).keys()]
    .filter((q) => match.carryOf[q] !== undefined)
    .sort((p, q) => match.carryOf[p]! - match.carryOf[q]!)
    .flatMap((q) =>
      SYMBOLS.map((symbol) => {
        const [a, b] = symbolBits(symbol);
        return { state: q, carry: match.carryOf[q], a, b, next: machine.next[q][symbol], out: machine.out[q][symbol] };
      }),
    );
}

/** About `count` states, evenly spaced through the run, on the two principal components. */
function projectForPlot(run: Run, assignment: Int32Array, count: number): Inspection['projection'] {
  const pca = principalComponents(run.points);
  const stride = Math.max(1, Math.floor(run.points.length / count));
  const picked = [...Array(Math.ceil(run.points.length / stride)).keys()].map((m) => m * stride);
  return picked.map((n) => {
    const [pc1, pc2] = project(pca, run.points[n]);
    return { pc1, pc2, carry: run.carries[n], cluster: assignment[n] };
  });
}

/** `bits`: the width of the additions that drive the network (its training width is a good choice). */
export function inspectAdder(params: Params, bits: number, options: Partial<InspectOptions> = {}): Inspection {
  checkParams(params, 'params');
  checkInteger(bits, 'bits', 1, INSPECT_MAX.bits, 'limit');
  checkOptionsObject(options, 'options');
  const o: InspectOptions = { ...DEFAULT_INSPECT, ...options };
  checkInteger(o.samples, 'samples', 1, INSPECT_MAX.samples, 'limit');
  checkInteger(o.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  checkInteger(o.maxStates, 'maxStates', 2, INSPECT_MAX.maxStates, 'limit');
  checkInteger(o.longSamples, 'longSamples', 1, INSPECT_MAX.samples, 'limit');
  checkInteger(o.plotPoints, 'plotPoints', 0, INSPECT_MAX.samples, 'limit');
  checkArray(o.longWidths, 'longWidths', 8);
  for (const width of o.longWidths) checkInteger(width, 'longWidths', 1, INSPECT_MAX.longWidth, 'limit');
  const rng = seededRng(o.seed);
  const run = drive(params, sampleWithCarryChains(rng, bits, o.samples), bits);
  const { k, assignment, extraction } = choosePartition(run, o.maxStates, rng);
  const { machine, blockOf } = minimize(extraction.machine);
  const match = matchCarryAutomaton(machine);
  const isCarryAutomaton = extraction.conflicts === 0 && match.exact;
  // The proof and the tracking work on the automaton's states: clusters merged by the extraction share one box.
  const classes = assignment.map((c) => extraction.classOf[c]);
  const boxes = boundingBoxes(run.points, classes, extraction.machine.states - 1);
  const { boxes: _grown, ...invariant } = proveInvariant(plainParams(params), extraction.machine, boxes);
  const clusters = [...Array(k).keys()].map((c): ClusterSummary => {
    const members = run.carries.filter((_, n) => assignment[n] === c);
    return {
      size: members.length,
      carryOne: members.filter((carry) => carry === 1).length / Math.max(1, members.length),
      state: blockOf[extraction.classOf[c]],
      carry: match.carryOf[blockOf[extraction.classOf[c]]],
    };
  });
  const widths = o.longWidths.map((width): WidthCheck => {
    const acc = evaluateAdder(params, width, { samples: o.longSamples, seed: o.seed, sampled: true });
    const long = drive(params, sampleWithCarryChains(seededRng(o.seed), width, o.samples), width);
    const tracking = trackClusters(long, boxes, extraction.machine);
    return { bits: width, method: acc.method, pairs: acc.pairs, accuracy: acc.accuracy, ...tracking };
  });
  return {
    bits,
    sequences: run.sequences,
    hiddenStates: run.points.length,
    clusters,
    conflicts: extraction.conflicts,
    extractedStates: extraction.machine.states - 1,
    minimisedStates: machine.states,
    learned: learnedRows(machine, match),
    fullAdder: adderRows(run),
    match,
    isCarryAutomaton,
    invariant,
    provenAtAnyWidth: isCarryAutomaton && invariant.proven,
    widths,
    projection: projectForPlot(run, assignment, o.plotPoints),
  };
}
