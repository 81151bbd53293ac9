// Finite automata read off a network, and the one it should have learned: the carry automaton of a
// full adder. Machines are Mealy machines over the four input symbols (a_t, b_t): a transition emits
// the output bit of the step it takes.

/** Symbol σ = 2·a + b for the input pair (a, b). */
export const SYMBOLS = [0, 1, 2, 3] as const;
export const symbolBits = (symbol: number): [number, number] => [symbol >> 1, symbol & 1];

/** The full adder: (carry in, a, b) → (carry out, sum bit). */
export function fullAdder(carry: number, a: number, b: number): { carry: number; sum: number } {
  const total = carry + a + b;
  return { carry: total >= 2 ? 1 : 0, sum: total % 2 };
}

export interface Mealy {
  states: number;
  start: number;
  /** next[q][σ] and out[q][σ]; undefined where the transition was never observed. */
  next: (number | undefined)[][];
  out: (number | undefined)[][];
}

/** One observed step: from state `from` on symbol `symbol`, the network went to `to` and emitted `out`. */
export interface Observation {
  from: number;
  symbol: number;
  to: number;
  out: number;
}

export interface Extraction {
  machine: Mealy;
  /** (state, symbol) pairs seen with more than one (next state, output): the partition is not an automaton. */
  conflicts: number;
}

/** The transition table of the observations; where they disagree, the most frequent outcome wins. */
export function extractMealy(observations: readonly Observation[], states: number, start: number): Extraction {
  const tallies = Array.from({ length: states }, () => SYMBOLS.map(() => new Map<string, number>()));
  for (const o of observations) {
    const key = `${o.to},${o.out}`;
    const tally = tallies[o.from][o.symbol];
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const next = tallies.map(() => SYMBOLS.map((): number | undefined => undefined));
  const out = tallies.map(() => SYMBOLS.map((): number | undefined => undefined));
  let conflicts = 0;
  tallies.forEach((row, q) =>
    row.forEach((tally, symbol) => {
      if (tally.size === 0) return;
      if (tally.size > 1) conflicts++;
      const [winner] = [...tally.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
      [next[q][symbol], out[q][symbol]] = winner.split(',').map(Number);
    }),
  );
  return { machine: { states, start, next, out }, conflicts };
}

/**
 * The minimal equivalent machine (Moore's partition refinement): states are merged while they emit the
 * same outputs and move into the same blocks on every symbol. blockOf maps an old state to its new one.
 */
export function minimize(m: Mealy): { machine: Mealy; blockOf: number[] } {
  const renumber = (signatures: string[]): number[] => {
    const ids = new Map<string, number>();
    return signatures.map((s) => ids.get(s) ?? (ids.set(s, ids.size), ids.size - 1));
  };
  const states = [...Array(m.states).keys()];
  let blockOf = renumber(states.map((q) => JSON.stringify(m.out[q])));
  for (;;) {
    const refined = renumber(
      states.map((q) => JSON.stringify([blockOf[q], m.next[q].map((n) => (n === undefined ? null : blockOf[n]))])),
    );
    const stable = Math.max(...refined) === Math.max(...blockOf);
    blockOf = refined;
    if (stable) break;
  }
  const count = Math.max(...blockOf) + 1;
  const representative = [...Array(count).keys()].map((b) => blockOf.indexOf(b));
  return {
    blockOf,
    machine: {
      states: count,
      start: blockOf[m.start],
      next: representative.map((q) => m.next[q].map((n) => (n === undefined ? undefined : blockOf[n]))),
      out: representative.map((q) => [...m.out[q]]),
    },
  };
}

export interface CarryMatch {
  /** True when the machine, from its start, is the carry automaton: 2 reachable states, every transition right. */
  exact: boolean;
  /** The carry each reachable state stands for (undefined: unreachable from the start). */
  carryOf: (number | undefined)[];
  /** What disagrees with the full adder, in words. */
  mismatches: string[];
}

/** Walks the machine from its start alongside the carry automaton (start = carry 0) and compares every step. */
export function matchCarryAutomaton(m: Mealy): CarryMatch {
  const carryOf: (number | undefined)[] = new Array(m.states).fill(undefined);
  const mismatches: string[] = [];
  carryOf[m.start] = 0;
  const queue = [m.start];
  while (queue.length > 0) {
    const q = queue.shift()!;
    const c = carryOf[q]!;
    for (const symbol of SYMBOLS) {
      const [a, b] = symbolBits(symbol);
      const want = fullAdder(c, a, b);
      const next = m.next[q][symbol];
      const where = `state ${q} (carry ${c}) on a=${a} b=${b}`;
      if (next === undefined) {
        mismatches.push(`${where}: never observed`);
        continue;
      }
      if (m.out[q][symbol] !== want.sum) mismatches.push(`${where}: outputs ${m.out[q][symbol]}, sum is ${want.sum}`);
      if (carryOf[next] === undefined) {
        carryOf[next] = want.carry;
        queue.push(next);
      } else if (carryOf[next] !== want.carry) {
        mismatches.push(`${where}: goes to state ${next} (carry ${carryOf[next]}), carry out is ${want.carry}`);
      }
    }
  }
  const reachable = carryOf.filter((c) => c !== undefined).length;
  if (reachable !== 2) mismatches.push(`${reachable} reachable states after minimising, the carry automaton has 2`);
  return { exact: mismatches.length === 0, carryOf, mismatches };
}
