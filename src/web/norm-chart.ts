// The gradient norm per training step, on a log axis: one line per run (with clipping, and its twin without),
// a fixed size so that the page does not move while it grows. Drawing only.
import { svgElement } from './heatmap';

export interface NormSeries {
  label: string;
  colour: string;
  /** ‖g‖ before clipping, step 1, 2, … */
  norms: number[];
  dashed?: boolean;
}

const WIDTH = 560;
const HEIGHT = 200;
const MARGIN = { left: 56, right: 12, top: 10, bottom: 46 };

/** Replaces the container's chart; `readout` gets the values at the step under the pointer. */
export function drawNormChart(container: HTMLElement, series: NormSeries[], clip: number | undefined, readout: HTMLElement): void {
  const steps = Math.max(10, ...series.map((s) => s.norms.length));
  const values = series.flatMap((s) => s.norms).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(1e-2, ...values, clip ?? Infinity)));
  const hi = Math.ceil(Math.log10(Math.max(1, ...values, clip ?? 0)));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (step: number) => MARGIN.left + ((step - 1) / Math.max(1, steps - 1)) * plotW;
  // A norm of exactly 0 (every unit saturated, the gradient underflowed) sits on the floor, marked "0".
  const floor = MARGIN.top + plotH;
  const y = (v: number) => (v > 0 ? MARGIN.top + (1 - (Math.log10(v) - lo) / (hi - lo)) * plotH : floor);
  const svg = svgElement('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: '100%', role: 'img', tabindex: 0, 'aria-label': 'gradient norm per step' });
  for (let e = lo; e <= hi; e++) {
    svg.append(svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(10 ** e), y2: y(10 ** e), stroke: '#e6e9ef' }));
    svg.append(svgElement('text', { x: MARGIN.left - 6, y: y(10 ** e) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6578' }, `1e${e}`));
  }
  svg.append(svgElement('text', { x: MARGIN.left - 6, y: floor + 12, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6578' }, '0'));
  svg.append(svgElement('text', { x: MARGIN.left, y: HEIGHT - 6, 'font-size': 11, fill: '#5b6578' }, 'step 1'));
  svg.append(svgElement('text', { x: WIDTH - MARGIN.right, y: HEIGHT - 6, 'text-anchor': 'end', 'font-size': 11, fill: '#5b6578' }, `step ${steps}`));
  svg.append(svgElement('text', { x: 12, y: MARGIN.top + plotH / 2, 'font-size': 11, fill: '#5b6578', transform: `rotate(-90 12 ${MARGIN.top + plotH / 2})`, 'text-anchor': 'middle' }, '‖g‖'));
  if (clip !== undefined) {
    svg.append(svgElement('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(clip), y2: y(clip), stroke: '#c62f2f', 'stroke-dasharray': '2 3' }));
    svg.append(svgElement('text', { x: WIDTH - MARGIN.right, y: y(clip) - 4, 'text-anchor': 'end', 'font-size': 10, fill: '#c62f2f' }, `clip c = ${clip}`));
  }
  series.forEach((s, i) => {
    const points = s.norms.map((v, k) => (Number.isFinite(v) ? `${x(k + 1)},${y(v)}` : '')).filter(Boolean);
    if (points.length > 0) {
      svg.append(svgElement('polyline', { points: points.join(' '), fill: 'none', stroke: s.colour, 'stroke-width': 1.6, ...(s.dashed ? { 'stroke-dasharray': '5 3' } : {}) }));
    }
    svg.append(svgElement('line', { x1: MARGIN.left + 10 + i * 200, x2: MARGIN.left + 34 + i * 200, y1: HEIGHT - 20, y2: HEIGHT - 20, stroke: s.colour, 'stroke-width': 2, ...(s.dashed ? { 'stroke-dasharray': '5 3' } : {}) }));
    svg.append(svgElement('text', { x: MARGIN.left + 40 + i * 200, y: HEIGHT - 16, 'font-size': 11, fill: '#1d2330' }, s.label));
  });
  const describe = (step: number) =>
    `step ${step}: ` + series.map((s) => `${s.label} ‖g‖ = ${s.norms[step - 1]?.toExponential(3) ?? '—'}`).join(', ');
  let cursor = 0;
  svg.addEventListener('pointermove', (event) => {
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * WIDTH;
    cursor = Math.min(steps, Math.max(1, Math.round(1 + ((px - MARGIN.left) / plotW) * (steps - 1))));
    readout.textContent = describe(cursor);
  });
  svg.addEventListener('keydown', (event) => {
    const move = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (move === undefined) return;
    event.preventDefault();
    cursor = Math.min(steps, Math.max(1, cursor + move));
    readout.textContent = describe(cursor);
  });
  container.replaceChildren(svg);
}
