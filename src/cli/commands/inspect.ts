// `rnn-adder inspect --model DIR`: the automaton read off the hidden states, next to the full adder, and
// what can be claimed from it; inspect.svg with --plot.
import type { Argv } from 'yargs';
import { DEFAULT_INSPECT, disposeParams, Inspection, inspectAdder, inspectSpec, loadAdder, writeSvg } from '../../index';
import { modelOption } from '../model-option';
import { intOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface InspectArgs extends CommonArgs {
  model: string;
  bits?: number;
  samples: number;
  seed: number;
  plot?: string;
}

export const command = 'inspect';
export const describe = 'Read the automaton off the hidden states and compare it with the full adder\'s carry';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<InspectArgs> {
  return yargs
    .options({
      model: modelOption('Trained model directory', true),
      bits: intOption('bits', 'Width of the additions that drive the network (default: the model\'s)', { min: 1, max: 64 }),
      samples: intOption('samples', 'Random additions driving the network (carry-chain cases come on top)', {
        min: 1,
        max: 20000,
        default: DEFAULT_INSPECT.samples,
      }),
      seed: intOption('seed', 'Seed of the additions and of k-means', { min: 0, default: DEFAULT_INSPECT.seed }),
      plot: { describe: 'Directory to write inspect.svg into', type: 'string', requiresArg: true },
    })
    .example('$0 inspect --model models/adder-8', 'the learned table, the full adder\'s, and the verdict')
    .example('$0 inspect --model models/adder-8 --plot docs/img --json', 'also draw it; print JSON') as unknown as Argv<InspectArgs>;
}

const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;

function clusterLines(r: Inspection): string[] {
  return r.clusters.map(
    (c, i) =>
      `  cluster ${i}: ${String(c.size).padStart(6)} states, true carry 1 in ${percent(c.carryOne).padStart(6)}` +
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
        `${percent(1 - broken.accuracy)} of sums are wrong`;
}

function verdict(r: Inspection): string[] {
  const inv = r.invariant;
  const widths = r.widths.map(
    (w) =>
      `  ${w.bits} bits: ${percent(w.accuracy)} of ${w.pairs} ${w.method} pairs exact; of ${w.steps} steps, ` +
      `${percent(w.inPredictedBox)} inside the box of the predicted cluster, ${percent(w.outputsAgree)} with its output`,
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

export const handler = run<InspectArgs>(async (args, backend) => {
  const { params, metadata, config } = await loadAdder(args.model);
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
});
