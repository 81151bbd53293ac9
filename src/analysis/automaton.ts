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
  /** The machine over classes of states: the start state is always the last class. */
  machine: Mealy;
  /** classOf[q]: the class that state q was merged into. */
  classOf: number[];
  /** (class, symbol) pairs seen emitting both 0 and 1: the partition is not an automaton. */
  conflicts: number;
}

/** Union-find: the states whose next state under one symbol must be one state are merged. */
function mergeTargets(observations: readonly Observation[], states: number): number[] {
  const parent = [...Array(states).keys()];
  const find = (q: number): number => (parent[q] === q ? q : (parent[q] = find(parent[q])));
  for (let merged = true; merged; ) {
    merged = false;
    const target = new Map<string, number>();
    for (const o of observations) {
      const key = `${find(o.from)},${o.symbol}`;
      const to = find(o.to);
      const seen = target.get(key);
      if (seen === undefined) target.set(key, to);
      else if (find(seen) !== to) {
        parent[find(seen)] = to;
        merged = true;
      }
    }
  }
  return [...Array(states).keys()].map(find);
}

/**
 * The transition table of the observations. Where one (state, symbol) was seen going to two states, those two
 * are merged (repeatedly, until every transition has one target): a partition finer than the automaton's
 * states, such as k-means splitting one state's cloud of hidden states, still gives the automaton. Merging two
 * states that emit different bits on a symbol cannot hide anything: it shows as a conflict. Where the outputs
 * disagree, the most frequent wins (for the display).
 */
export function extractMealy(observations: readonly Observation[], states: number, start: number): Extraction {
  const roots = mergeTargets(observations, states);
  const order = [...new Set(roots.filter((r) => r !== roots[start])), roots[start]];
  const classOf = roots.map((r) => order.indexOf(r));
  const counts = order.map(() => SYMBOLS.map(() => [0, 0])); // [times 0 was emitted, times 1 was]
  const next = order.map(() => SYMBOLS.map((): number | undefined => undefined));
  for (const o of observations) {
    counts[classOf[o.from]][o.symbol][o.out]++;
    next[classOf[o.from]][o.symbol] = classOf[o.to];
  }
  let conflicts = 0;
  const out = counts.map((row) =>
    row.map(([zeros, ones]) => {
      if (zeros > 0 && ones > 0) conflicts++;
      return zeros + ones === 0 ? undefined : ones > zeros ? 1 : 0;
    }),
  );
  return { machine: { states: order.length, start: order.length - 1, next, out }, classOf, conflicts };
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
