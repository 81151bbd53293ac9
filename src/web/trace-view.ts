// `add --trace` as a picture: an SVG with a column per step t and rows for the input bits, ŷ_t, the true bit and
// the hidden state s_t (a heat map, one row per unit). Drawing only: the numbers come from src/eval/trace.ts.
import { scheme } from 'vega';
import type { CellName } from '../names';
import type { AdditionTrace } from '../eval/trace';

/** Steps drawn at most: past it the picture would be wider than it is useful (the sum is still computed). */
export const MAX_TRACE_STEPS = 160;

const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL_WIDTH = 70;
const ROW_GAP = 6;
const LABEL = { 'font-size': 12, fill: '#5b6578' };
const viridis = scheme('viridis') as (t: number) => string;

function svgElement(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A cell with the exact value as its tooltip. */
function valueCell(attributes: Record<string, string | number>, tooltip: string): SVGElement {
  const rect = svgElement('rect', attributes);
  rect.append(svgElement('title', {}, tooltip));
  return rect;
}

/** Cells wide enough to read a digit when the trace is short, narrow enough to fit ~900 px when it is long. */
function cellSize(steps: number): number {
  return Math.max(5, Math.min(22, Math.floor(900 / steps)));
}

/** Where h_t lives: σ keeps the Elman state in (0, 1); the gated cells' h = o⊙tanh(c) or a mix of tanh lies in (−1, 1). */
const STATE_RANGE: Record<CellName, [number, number]> = { elman: [0, 1], lstm: [-1, 1], gru: [-1, 1] };

/** Replaces the container's picture with this trace's (or a note when it is too long to draw). */
export function drawTrace(container: HTMLElement, trace: AdditionTrace, cell: CellName): void {
  container.replaceChildren();
  const steps = trace.steps;
  if (steps.length > MAX_TRACE_STEPS) {
    const note = document.createElement('p');
    note.className = 'note';
    note.textContent = `The picture is drawn for sums of up to ${MAX_TRACE_STEPS} steps; this one takes ${steps.length}.`;
    container.append(note);
    return;
  }
  const c = cellSize(steps.length);
  const showDigits = c >= 14;
  const H = steps[0].state.length;
  type Step = AdditionTrace['steps'][number];
  const bitRows: { label: string; value: (s: Step) => number; text: (s: Step) => string; tooltip: (s: Step) => string }[] = [
    { label: 'a', value: (s) => s.a, text: (s) => String(s.a), tooltip: (s) => `bit ${s.t} of a: ${s.a}` },
    { label: 'b', value: (s) => s.b, text: (s) => String(s.b), tooltip: (s) => `bit ${s.t} of b: ${s.b}` },
    { label: 'ŷ', value: (s) => s.p, text: (s) => String(s.bit), tooltip: (s) => `ŷ_${s.t} = ${s.p.toFixed(4)}: bit ${s.bit}` },
    { label: 'true', value: (s) => s.want, text: (s) => String(s.want), tooltip: (s) => `bit ${s.t} of a + b: ${s.want}` },
  ];
  const stateTop = bitRows.length * c + ROW_GAP;
  const stateRow = Math.max(4, Math.round(c * 0.6));
  const axisTop = stateTop + H * stateRow + 4;
  const width = LABEL_WIDTH + steps.length * c + 2;
  const svg = svgElement('svg', { width, height: axisTop + 18, role: 'img', 'aria-label': 'trace of the addition' });

  bitRows.forEach((row, r) => {
    svg.append(svgElement('text', { x: LABEL_WIDTH - 8, y: r * c + c * 0.72, 'text-anchor': 'end', ...LABEL }, row.label));
    for (const s of steps) {
      const v = row.value(s);
      const x = LABEL_WIDTH + s.t * c;
      const wrong = row.label === 'ŷ' && s.bit !== s.want;
      svg.append(
        valueCell(
          {
            x: x + 0.5, y: r * c + 0.5, width: c - 1, height: c - 1, rx: 2,
            fill: viridis(v),
            ...(wrong ? { stroke: '#c62f2f', 'stroke-width': 2 } : {}),
          },
          row.tooltip(s),
        ),
      );
      if (showDigits) {
        svg.append(
          svgElement('text', { x: x + c / 2, y: r * c + c * 0.7, 'text-anchor': 'middle', 'font-size': 11, fill: v > 0.55 ? '#1d2330' : '#ffffff' }, row.text(s)),
        );
      }
    }
  });

  const middle = stateTop + (H * stateRow) / 2;
  svg.append(svgElement('text', { x: LABEL_WIDTH - 8, y: middle - 2, 'text-anchor': 'end', ...LABEL }, 'state'));
  svg.append(svgElement('text', { x: LABEL_WIDTH - 8, y: middle + 12, 'text-anchor': 'end', ...LABEL }, `H = ${H}`));
  const [lo, hi] = STATE_RANGE[cell];
  const state = cell === 'elman' ? 's' : 'h';
  for (const s of steps) {
    s.state.forEach((v, unit) => {
      const fill = viridis((v - lo) / (hi - lo));
      const attributes = { x: LABEL_WIDTH + s.t * c, y: stateTop + unit * stateRow, width: c, height: stateRow, fill };
      svg.append(valueCell(attributes, `${state}_${s.t}[${unit}] = ${v.toFixed(4)}`));
    });
  }
  const last = steps.length - 1;
  svg.append(svgElement('text', { x: LABEL_WIDTH, y: axisTop + 12, ...LABEL }, 't = 0 →'));
  svg.append(svgElement('text', { x: LABEL_WIDTH + steps.length * c, y: axisTop + 12, 'text-anchor': 'end', ...LABEL }, `t = ${last} (carry-out)`));
  container.append(svg);
}
