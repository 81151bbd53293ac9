// A heat map as SVG: a grid of cells with row labels, step numbers on the axis, a colour legend, and the exact
// value of the cell under the pointer or under the keyboard's cursor (arrow keys, once the map has focus) written
// into a readout line. Drawing only: the values and their colours come from the caller.

const SVG_NS = 'http://www.w3.org/2000/svg';
const LABEL = { 'font-size': 12, fill: '#5b6578' };
const LEGEND_WIDTH = 160;

export function svgElement(name: string, attributes: Record<string, string | number>, text?: string): SVGElement {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export interface HeatBlock {
  /** The block's label beside its rows (e.g. "dS_t"), and one value per row and column; undefined leaves a gap. */
  label: string;
  rows: (number | undefined)[][];
  /** A label per row (the flow triangle's t = 0, 1, …), drawn instead of the block's label. */
  rowLabels?: string[];
}

export interface HeatMapSpec {
  /** What the picture is, for screen readers and the readout. */
  name: string;
  blocks: HeatBlock[];
  columns: number;
  /** Column width and the left margin, shared with the trace above so that step t is the same column. */
  cell: number;
  labelWidth: number;
  rowHeight: number;
  /** The axis under the columns: "t" or "k". */
  axis: string;
  /** A cell's colour from its value and its block (each block may have its own scale). */
  colour(value: number, block: number): string;
  /** The text the readout shows for a cell. */
  describe(block: number, row: number, column: number, value: number): string;
  /** The legend: colours left to right and the values at its ends and middle. */
  legend: { colours: string[]; labels: [string, string, string]; caption: string };
}

type Cursor = { block: number; row: number; column: number };

/** Replaces the container's picture; `readout` shows the value under the pointer or the keyboard cursor. */
export function drawHeatMap(container: HTMLElement, spec: HeatMapSpec, readout: HTMLElement): void {
  const { cell, labelWidth, rowHeight, columns } = spec;
  const gap = 6;
  const tops: number[] = [];
  let y = 0;
  for (const block of spec.blocks) {
    tops.push(y);
    y += block.rows.length * rowHeight + gap;
  }
  const axisTop = y;
  const legendTop = axisTop + 22;
  const width = Math.max(labelWidth + columns * cell + 2, labelWidth + LEGEND_WIDTH + 330);
  const svg = svgElement('svg', {
    width, height: legendTop + 30, role: 'img', tabindex: 0, 'aria-label': `${spec.name}: arrow keys move through the values`,
  });
  const cells = new Map<string, SVGElement>();
  const key = (c: Cursor) => `${c.block},${c.row},${c.column}`;
  spec.blocks.forEach((block, b) => {
    const middle = tops[b] + (block.rows.length * rowHeight) / 2 + 4;
    if (block.rowLabels) {
      block.rowLabels.forEach((text, r) =>
        svg.append(svgElement('text', { x: labelWidth - 6, y: tops[b] + r * rowHeight + rowHeight / 2 + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6578' }, text)),
      );
    } else {
      svg.append(svgElement('text', { x: labelWidth - 8, y: middle, 'text-anchor': 'end', ...LABEL }, block.label));
    }
    block.rows.forEach((values, r) =>
      values.forEach((value, column) => {
        if (value === undefined) return;
        const rect = svgElement('rect', {
          x: labelWidth + column * cell, y: tops[b] + r * rowHeight, width: cell, height: rowHeight, fill: spec.colour(value, b),
          'data-value': value,
        });
        const text = spec.describe(b, r, column, value);
        rect.append(svgElement('title', {}, text));
        rect.addEventListener('pointerenter', () => show({ block: b, row: r, column }));
        cells.set(key({ block: b, row: r, column }), rect);
        svg.append(rect);
      }),
    );
  });
  // Step numbers: every column when there is room, else every fifth.
  const every = cell >= 14 ? 1 : 5;
  for (let column = 0; column < columns; column += every) {
    svg.append(svgElement('text', { x: labelWidth + column * cell + cell / 2, y: axisTop + 10, 'text-anchor': 'middle', 'font-size': 10, fill: '#5b6578' }, String(column)));
  }
  svg.append(svgElement('text', { x: labelWidth - 8, y: axisTop + 10, 'text-anchor': 'end', ...LABEL }, spec.axis));
  drawLegend(svg, spec.legend, labelWidth, legendTop);
  const marker = svgElement('rect', { width: cell, height: rowHeight, fill: 'none', stroke: '#1d2330', 'stroke-width': 2, visibility: 'hidden', 'pointer-events': 'none' });
  svg.append(marker);

  let cursor: Cursor | undefined;
  function show(at: Cursor): void {
    const rect = cells.get(key(at));
    if (!rect) return;
    cursor = at;
    marker.setAttribute('x', rect.getAttribute('x')!);
    marker.setAttribute('y', rect.getAttribute('y')!);
    marker.setAttribute('visibility', 'visible');
    readout.textContent = spec.describe(at.block, at.row, at.column, Number(rect.getAttribute('data-value')));
  }
  /** The next cell that exists from `at` in a direction, crossing into the next block at a block's edge. */
  function move(at: Cursor, dRow: number, dColumn: number): Cursor {
    let { block, row, column } = at;
    for (let tries = 0; tries < 4 * (columns + 1); tries++) {
      column += dColumn;
      row += dRow;
      if (row < 0 && block > 0) [block, row] = [block - 1, spec.blocks[block - 1].rows.length - 1];
      if (row >= spec.blocks[block].rows.length && block < spec.blocks.length - 1) [block, row] = [block + 1, 0];
      if (row < 0 || row >= spec.blocks[block].rows.length || column < 0 || column >= columns) return at;
      if (cells.has(key({ block, row, column }))) return { block, row, column };
      if (dRow !== 0) column = Math.min(column, columns - 1);
    }
    return at;
  }
  const steps: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  svg.addEventListener('keydown', (event) => {
    const step = steps[(event as KeyboardEvent).key];
    if (!step) return;
    event.preventDefault();
    show(cursor ? move(cursor, step[0], step[1]) : firstCell());
  });
  svg.addEventListener('focus', () => show(cursor ?? firstCell()));
  function firstCell(): Cursor {
    const [first] = cells.keys();
    const [block, row, column] = first.split(',').map(Number);
    return { block, row, column };
  }
  container.replaceChildren(svg);
}

function drawLegend(svg: SVGElement, legend: HeatMapSpec['legend'], left: number, top: number): void {
  const id = `legend-${Math.random().toString(36).slice(2)}`;
  const gradient = svgElement('linearGradient', { id });
  legend.colours.forEach((colour, i) =>
    gradient.append(svgElement('stop', { offset: `${(100 * i) / (legend.colours.length - 1)}%`, 'stop-color': colour })),
  );
  const defs = svgElement('defs', {});
  defs.append(gradient);
  svg.append(defs);
  svg.append(svgElement('rect', { x: left, y: top, width: LEGEND_WIDTH, height: 10, fill: `url(#${id})`, stroke: '#c3cad6' }));
  const [low, middle, high] = legend.labels;
  const at = (x: number, anchor: string, text: string) =>
    svg.append(svgElement('text', { x, y: top + 24, 'text-anchor': anchor, 'font-size': 10, fill: '#5b6578' }, text));
  at(left, 'start', low);
  at(left + LEGEND_WIDTH / 2, 'middle', middle);
  at(left + LEGEND_WIDTH, 'end', high);
  svg.append(svgElement('text', { x: left + LEGEND_WIDTH + 10, y: top + 9, ...LABEL }, legend.caption));
}
