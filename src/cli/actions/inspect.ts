// The work of `rnn-adder inspect`: read the automaton off a saved adder and print the verdict (and inspect.svg).
import { BackendName, disposeParams, Inspection, inspectAdder, inspectSpec, loadAdder, UserError, writeSvg } from '../../index';
import { percent } from '../percent';
import { CommonArgs, emit } from '../run';

export interface InspectArgs extends CommonArgs {
  model: string;
  bits?: number;
  samples: number;
  seed: number;
  plot?: string;
}

function clusterLines(r: Inspection): string[] {
  return r.clusters.map(
    (c, i) =>
      `  cluster ${i}: ${String(c.size).padStart(6)} states, true carry 1 in ${percent(c.carryOne, 1).padStart(6)}` +
      ` -> automaton state q${c.state}${c.carry === undefined ? ' (unreachable)' : ` (carry ${c.carry})`}`,
  );
}

function sideBySide(r: Inspection): string[] {
  const show = (v: number | undefined, prefix = ''): string => (v === undefined ? '?' : `${prefix}${v}`);
  const left = [
    'learned (minimised)       ',
    'state a b -> next out     ',
    ...r.learned.map((l) => `q${l.state}    ${l.a} ${l.b} -> ${show(l.next, 'q').padEnd(4)} ${show(l.out)}       `),
  ];
  const right = [
    'full adder',
    'carry a b -> carry sum   steps seen',
    ...r.fullAdder.map((f) => `${f.carry}     ${f.a} ${f.b} -> ${f.carryOut}     ${f.sum}     ${String(f.observed).padStart(6)}`),
  ];
  const height = Math.max(left.length, right.length);
  return [...Array(height).keys()].map((i) => `${(left[i] ?? '').padEnd(26)}${right[i] ?? ''}`);
}

function conclusion(r: Inspection): string {
  if (r.provenAtAnyWidth) return 'so: this network adds exactly at every width (float32 inference; rounding bounded in the proof)';
  if (!r.isCarryAutomaton) return 'so: no claim beyond the measured accuracy';
  const broken = r.widths.find((w) => w.accuracy < 1);
  return broken === undefined
    ? `so: the network follows the carry automaton on every addition tried up to ${Math.max(r.bits, ...r.widths.map((w) => w.bits))} ` +
        'bits; beyond the ones tried that is evidence, not proof'
    : `so: the network follows the carry automaton at ${r.bits} bits but not at every width: at ${broken.bits} bits ` +
        `${percent(1 - broken.accuracy, 1)} of sums are wrong`;
}

function verdict(r: Inspection): string[] {
  const inv = r.invariant;
  const widths = r.widths.map(
    (w) =>
      `  ${w.bits} bits: ${percent(w.accuracy, 1)} of ${w.pairs} ${w.method} pairs exact; of ${w.steps} steps, ` +
      `${percent(w.inPredictedBox, 1)} inside the box of the predicted cluster, ${percent(w.outputsAgree, 1)} with its output`,
  );
  return [
    r.isCarryAutomaton
      ? 'verdict: the learned automaton IS the carry automaton (2 states; every transition and output of the full adder)'
      : `verdict: NOT the carry automaton: ${[
          ...(r.conflicts > 0 ? [`${r.conflicts} (cluster, input) pairs lead to more than one (cluster, output)`] : []),
          ...r.match.mismatches,
        ].join('; ')}`,
    inv.proven
      ? `interval proof: closed. Every cluster's box maps into its successor's box on all 4 inputs (${inv.rounds} ` +
        `rounds of growing the boxes, largest side ${inv.largestSide.toFixed(3)}), and every readout is certain ` +
        `(|logit| ≥ ${inv.outputMargin.toPrecision(3)})`
      : `interval proof: not closed: ${inv.failure} (after ${inv.rounds} rounds of growing the clusters' boxes, largest side ` +
        `${inv.largestSide.toFixed(3)})`,
    conclusion(r),
    `measured against the automaton (boxes as the clusters filled them at ${r.bits} bits):`,
    ...widths,
  ];
}

export async function run(args: InspectArgs, backend: BackendName): Promise<void> {
  const { params, metadata, config } = await loadAdder(args.model);
  if (config.cell !== 'elman') {
    disposeParams(params);
    throw new UserError(`${args.model} is a network of the ${config.cell} cell: inspect reads the carry automaton of Elman networks only`);
  }
  const bits = args.bits ?? metadata.bits;
  let inspection: Inspection;
  try {
    inspection = inspectAdder(params, bits, { samples: args.samples, seed: args.seed });
  } finally {
    disposeParams(params);
  }
  const title = `what ${args.model} (H = ${config.hidden}, ${metadata.bits} bits) learned`;
  const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'inspect.svg', inspectSpec(inspection, title));
  const { projection: _projection, ...result } = inspection;
  emit(args, { backend, model: args.model, ...result, plot }, () =>
    [
      `${args.model} (H = ${config.hidden}, trained on ${metadata.bits} bits) driven by ${inspection.sequences} ` +
        `${bits}-bit additions: ${inspection.hiddenStates} hidden states, backend ${backend}`,
      `k-means: ${inspection.clusters.length} clusters, ${inspection.extractedStates} automaton states after merging the ` +
        'clusters one transition enters' +
        (inspection.conflicts === 0 ? '' : `; still ${inspection.conflicts} (state, input) pairs emit both 0 and 1`) +
        `, ${inspection.minimisedStates} after minimising`,
      ...clusterLines(inspection),
      '',
      ...sideBySide(inspection),
      '',
      ...verdict(inspection),
      ...(plot ? [`wrote ${plot}`] : []),
    ].join('\n'),
  );
}
