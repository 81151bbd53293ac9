// The vega-lite specs of the project's pictures: training curves, gradient flow against lag, and the hidden
// states with the learned transition table. Data goes in as plain rows; render.ts turns a spec into SVG.
import type { GradFlow } from '../analysis/gradflow';
import type { Inspection } from '../analysis/inspect';
import { TASK_WORDS, TaskName } from '../tasks/task';
import type { HistoryPoint } from '../train/history';
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const WIDTH = 360;
const HEIGHT = 240;

/** Loss (log scale) and accuracy against the training samples seen, side by side; the accuracy in `task`'s words. */
export function trainingCurvesSpec(history: readonly HistoryPoint[], title: string, task: TaskName = 'add'): TopLevelSpec {
  const x = { field: 'samples', type: 'quantitative', title: 'training samples seen' } as const;
  return {
    $schema: SCHEMA,
    title,
    data: { values: history.map(({ samples, loss, accuracy }) => ({ samples, loss, accuracy })) },
    hconcat: [
      {
        width: WIDTH,
        height: HEIGHT,
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { x, y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss (log scale)' } },
      },
      {
        width: WIDTH,
        height: HEIGHT,
        mark: { type: 'line', color: '#f58518' },
        encoding: {
          x,
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: `${TASK_WORDS[task].right} in the training batches` },
        },
      },
    ],
  };
}

/** One network's gradient flow, with the name it goes by in the legend. */
export interface NamedGradFlow {
  network: string;
  flow: GradFlow;
}

const LEGEND_BELOW = { labelLimit: 320, orient: 'bottom', direction: 'vertical' } as const;

/** ‖∂ℓ_T/∂s_{T−j}‖ against the lag j on a log axis: a colour per network, dashed when clipped (unless `clipped` is false). */
export function gradFlowSpec(flows: readonly NamedGradFlow[], title: string, clipped = true): TopLevelSpec {
  const rows = flows.flatMap(({ network, flow }) =>
    flow.norms.flatMap((norm, lag) => [
      { network, lag, norm, gradient: 'as computed' },
      ...(clipped ? [{ network, lag, norm: flow.clippedNorms[lag], gradient: `clipped at ‖∇θL‖ ≤ ${flow.clip}` }] : []),
    ]),
  );
  return {
    $schema: SCHEMA,
    title,
    width: WIDTH + 120,
    height: HEIGHT + 60,
    data: { values: rows.filter((r) => r.norm > 0) }, // a log axis has no place for an exact 0
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: { field: 'lag', type: 'quantitative', title: 'lag T − k (steps back from the last output)' },
      y: {
        field: 'norm',
        type: 'quantitative',
        scale: { type: 'log' },
        axis: { format: '.0e' },
        title: '‖∂ℓ_T/∂s_k‖ (batch mean)',
      },
      color: { field: 'network', type: 'nominal', title: 'network', legend: LEGEND_BELOW },
      strokeDash: { field: 'gradient', type: 'nominal', title: 'gradient', legend: LEGEND_BELOW },
    },
  };
}

const TABLE_COLUMNS = ['carry in', 'a', 'b', 'net: carry', 'net: out', 'true: carry', 'true: sum', 'match'];

/**
 * Left: the hidden states on their two principal components, coloured by the true carry and shaped by
 * cluster. Right: the learned transition table next to the full adder's, one row per (carry, a, b).
 */
export function inspectSpec(inspection: Inspection, title: string): TopLevelSpec {
  const learnedRow = new Map(inspection.learned.map((r) => [`${r.carry},${r.a},${r.b}`, r]));
  const carryOf = new Map(inspection.learned.map((r) => [r.state, r.carry]));
  const cells = inspection.fullAdder.flatMap((row, index) => {
    const learned = learnedRow.get(`${row.carry},${row.a},${row.b}`);
    const next = String((learned?.next === undefined ? undefined : carryOf.get(learned.next)) ?? '?');
    const out = String(learned?.out ?? '?');
    const ok = next === String(row.carryOut) && out === String(row.sum);
    const values = [row.carry, row.a, row.b, next, out, row.carryOut, row.sum, ok ? '✓' : '✗'];
    return values.map((text, c) => ({ row: index, column: TABLE_COLUMNS[c], text: String(text), ok }));
  });
  return {
    $schema: SCHEMA,
    title,
    hconcat: [
      {
        width: HEIGHT + 60,
        height: HEIGHT + 60,
        title: 'hidden states s_t (principal components)',
        data: { values: inspection.projection.map((p) => ({ ...p, cluster: `cluster ${p.cluster}` })) },
        mark: { type: 'point', filled: true, opacity: 0.6 },
        encoding: {
          x: { field: 'pc1', type: 'quantitative', title: 'PC 1' },
          y: { field: 'pc2', type: 'quantitative', title: 'PC 2' },
          color: {
            field: 'carry',
            type: 'nominal',
            title: 'true carry after step',
            legend: { titleLimit: 200 },
            scale: { range: ['#4c78a8', '#e45756'] },
          },
          shape: { field: 'cluster', type: 'nominal', title: 'k-means cluster' },
        },
      },
      {
        width: 560,
        height: HEIGHT + 60,
        title: 'learned automaton (state read as carry) vs full adder',
        data: { values: cells },
        mark: { type: 'text', fontSize: 13 },
        encoding: {
          x: {
            field: 'column',
            type: 'ordinal',
            sort: TABLE_COLUMNS,
            axis: { orient: 'top', title: null, labelAngle: 0, labelFontSize: 11 },
          },
          y: { field: 'row', type: 'ordinal', axis: null },
          text: { field: 'text' },
          color: { condition: { test: 'datum.ok', value: '#222222' }, value: '#e45756' },
        },
      },
    ],
  };
}
