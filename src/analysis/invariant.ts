// Does an extracted automaton hold at every width? An interval-arithmetic proof that the hidden-state
// boxes of its states map into each other: if, for every state q and symbol σ, the step (F1) maps the box
// of q into the box of next(q, σ), and the readout (F2) over that image has the sign of out(q, σ), then by
// induction over t the network follows the automaton on every input sequence, of any length.
//
// The boxes start as the bounding boxes of the observed states of each cluster and grow until they are
// closed under the step (or give up). Arithmetic is float64 on the saved float32 weights, and every
// pre-activation is widened by a bound on float32 rounding, so the claim covers float32 inference.
import { sigmoid } from '../check/reference';
import { PlainParams } from '../engine/params';
import { Mealy, SYMBOLS, symbolBits } from './automaton';

export interface Box {
  lo: number[];
  hi: number[];
}

export interface InvariantResult {
  /** Every box maps into its successor's box, and every readout over those images has the right sign. */
  proven: boolean;
  /** Rounds of growing the boxes until they were closed under the step. */
  rounds: number;
  /** Smallest |readout logit| guaranteed on the right side of 0, over all transitions (when proven). */
  outputMargin: number;
  /** Largest side of any final box: how far the boxes had to grow. */
  largestSide: number;
  /** Why the proof failed, in words. */
  failure?: string;
  boxes: Box[];
}

/** Unit roundoff of float32. */
const U32 = 2 ** -24;
/** Assumed absolute error of the backend's float32 sigmoid (a few ulps of 1 are ~2e-7). */
const SIGMOID_ERROR = 1e-6;
/** Each box grows by this much more than needed, so that a contracting step closes in finitely many rounds. */
const GROWTH = 1e-6;
const MAX_ROUNDS = 200;

/** The interval of v·w + c over v in the box, widened by the float32 rounding bound γ_n·Σ|terms|. */
function affineInterval(box: Box, w: (i: number) => number, c: number): [number, number] {
  let lo = c;
  let hi = c;
  let magnitude = Math.abs(c);
  for (let i = 0; i < box.lo.length; i++) {
    const [p, q] = [box.lo[i] * w(i), box.hi[i] * w(i)];
    lo += Math.min(p, q);
    hi += Math.max(p, q);
    magnitude += Math.max(Math.abs(p), Math.abs(q));
  }
  // Any summation order of n float32 terms errs by at most γ_n = n·u/(1 − n·u) times Σ|terms|.
  const n = box.lo.length + 3;
  const slack = ((n * U32) / (1 - n * U32)) * magnitude;
  return [lo - slack, hi + slack];
}

/** (F1) over a box: s' = σ(x·Wx + s·Ws + bs) for every s in the box, x = the symbol's bits. */
export function stepBox(w: PlainParams, box: Box, symbol: number): Box {
  const [a, b] = symbolBits(symbol);
  const H = w.Ws.length;
  const lo: number[] = new Array(H);
  const hi: number[] = new Array(H);
  for (let j = 0; j < H; j++) {
    const [netLo, netHi] = affineInterval(box, (i) => w.Ws[i][j], a * w.Wx[0][j] + b * w.Wx[1][j] + (w.bs?.[j] ?? 0));
    lo[j] = Math.max(0, sigmoid(netLo) - SIGMOID_ERROR);
    hi[j] = Math.min(1, sigmoid(netHi) + SIGMOID_ERROR);
  }
  return { lo, hi };
}

/** The output bit that every state of the box gives through (F2), or undefined if the box straddles ŷ = 0.5. */
function readoutBit(w: PlainParams, box: Box): { bit?: number; margin: number } {
  const [oLo, oHi] = affineInterval(box, (i) => w.Wy[i][0], w.by?.[0] ?? 0);
  if (sigmoid(oLo) - SIGMOID_ERROR > 0.5) return { bit: 1, margin: oLo };
  if (sigmoid(oHi) + SIGMOID_ERROR <= 0.5) return { bit: 0, margin: -oHi };
  return { margin: Math.min(-oLo, oHi) };
}

const contains = (outer: Box, inner: Box): boolean =>
  inner.lo.every((v, i) => v >= outer.lo[i] && inner.hi[i] <= outer.hi[i]);

function grownHull(a: Box, b: Box): Box {
  return {
    lo: a.lo.map((v, i) => Math.max(0, Math.min(v, b.lo[i]) - (b.lo[i] < v ? GROWTH : 0))),
    hi: a.hi.map((v, i) => Math.min(1, Math.max(v, b.hi[i]) + (b.hi[i] > v ? GROWTH : 0))),
  };
}

/**
 * Proves (or fails to prove) that the network follows `machine` forever. `boxes[q]` are the starting boxes of
 * the machine's states; the start state's box is the single point s_0 = 0 and never grows, since no
 * transition enters it.
 */
export function proveInvariant(w: PlainParams, machine: Mealy, boxes: Box[]): InvariantResult {
  const current = boxes.map((b) => ({ lo: [...b.lo], hi: [...b.hi] }));
  const fail = (rounds: number, failure: string): InvariantResult => ({
    proven: false,
    rounds,
    outputMargin: 0,
    largestSide: largestSide(current),
    failure,
    boxes: current,
  });
  for (let q = 0; q < machine.states; q++) {
    for (const symbol of SYMBOLS) {
      const target = machine.next[q][symbol];
      if (target === undefined) return fail(0, `state ${q} has no observed transition on symbol ${symbol}`);
      if (target === machine.start) return fail(0, `state ${q} returns to the start state s_0 = 0`);
    }
  }
  let rounds = 0;
  for (let closed = false; !closed; rounds++) {
    if (rounds === MAX_ROUNDS) return fail(rounds, `the boxes were still growing after ${MAX_ROUNDS} rounds`);
    closed = true;
    for (let q = 0; q < machine.states; q++) {
      for (const symbol of SYMBOLS) {
        const target = machine.next[q][symbol]!;
        const image = stepBox(w, current[q], symbol);
        if (!contains(current[target], image)) {
          current[target] = grownHull(current[target], image);
          closed = false;
        }
      }
    }
  }
  let outputMargin = Infinity;
  for (let q = 0; q < machine.states; q++) {
    for (const symbol of SYMBOLS) {
      const { bit, margin } = readoutBit(w, stepBox(w, current[q], symbol));
      if (bit !== machine.out[q][symbol]) {
        return fail(rounds, `the readout of state ${q} on symbol ${symbol} is not surely ${machine.out[q][symbol]}`);
      }
      outputMargin = Math.min(outputMargin, margin);
    }
  }
  return { proven: true, rounds, outputMargin, largestSide: largestSide(current), boxes: current };
}

function largestSide(boxes: Box[]): number {
  return Math.max(...boxes.map((b) => Math.max(...b.hi.map((h, i) => h - b.lo[i]))));
}
