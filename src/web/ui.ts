// The page's DOM: reading the controls and showing results. No arithmetic and no tfjs here.
import type { GradcheckReport } from '../check/gradcheck';
import { GRADCHECK_COLUMNS, gradcheckRows } from '../check/report-rows';
import { CELLS, CellName } from '../names';
import type { AdditionTrace } from '../eval/trace';
import type { ModelFiles } from '../io/format';
import { OPTIMIZERS } from '../names';
import type { TrainConfig } from '../train/config';
import { drawTrace } from './trace-view';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
}

export type Tone = 'plain' | 'good' | 'bad';

function setText(element: HTMLElement, text: string, tone: Tone = 'plain'): void {
  element.textContent = text;
  element.classList.toggle('good', tone === 'good');
  element.classList.toggle('bad', tone === 'bad');
  element.classList.toggle('error', tone === 'bad');
}

export const controls = {
  a: byId<HTMLInputElement>('a'),
  b: byId<HTMLInputElement>('b'),
  addForm: byId<HTMLFormElement>('add-form'),
  modelForm: byId<HTMLFormElement>('model-form'),
  modelUrl: byId<HTMLInputElement>('model-url'),
  trainForm: byId<HTMLFormElement>('train-form'),
  cell: byId<HTMLSelectElement>('cell'),
  optimizer: byId<HTMLSelectElement>('optimizer'),
  gradcheckCell: byId<HTMLSelectElement>('gradcheck-cell'),
  lr: byId<HTMLInputElement>('lr'),
  train: byId<HTMLButtonElement>('train'),
  stop: byId<HTMLButtonElement>('stop'),
  gradcheck: byId<HTMLButtonElement>('gradcheck'),
  chart: byId<HTMLElement>('chart'),
};

/** Fills a select with these choices, `selected` chosen. */
export function offerChoices(select: HTMLSelectElement, choices: readonly string[], selected: string): void {
  select.replaceChildren(...choices.map((choice) => new Option(choice, choice, choice === selected, choice === selected)));
}

/** Sets the training form to a configuration (the page's defaults at start). */
export function setTrainFields(config: TrainConfig): void {
  for (const id of ['bits', 'hidden', 'lr', 'batch', 'seed'] as const) byId<HTMLInputElement>(id).value = String(config[id]);
  offerChoices(controls.cell, CELLS, config.cell);
  offerChoices(controls.optimizer, OPTIMIZERS, config.optimizer);
}

/** The training form as typed: numbers, NaN where a field is not one; clip is undefined when empty. */
export function trainFields() {
  const number = (id: string) => byId<HTMLInputElement>(id).valueAsNumber;
  const clip = byId<HTMLInputElement>('clip').value.trim();
  return {
    bits: number('bits'),
    hidden: number('hidden'),
    cell: controls.cell.value,
    optimizer: controls.optimizer.value,
    lr: number('lr'),
    batch: number('batch'),
    seed: number('seed'),
    clip: clip === '' ? undefined : Number(clip),
  };
}

export function showBackend(name: string): void {
  byId('backend').textContent = name;
}

/** How many tfjs tensors the page holds: the adder's parameters and nothing else, between actions. */
export function showTensors(count: number): void {
  byId('tensors').textContent = String(count);
}

export function showModelStatus(text: string, tone: Tone = 'plain'): void {
  setText(byId('model-status'), text, tone);
}

/** A message beside an operand field (undefined clears it). */
export function showFieldError(field: 'a' | 'b', message: string | undefined): void {
  byId(`${field}-error`).textContent = message ?? '';
  controls[field].setAttribute('aria-invalid', String(message !== undefined));
}

/** The model's sum beside the true one, marked right or wrong, and the trace; undefined clears them. */
export function showAddition(trace: AdditionTrace | undefined, cell: CellName = 'elman'): void {
  const verdict = byId('verdict');
  byId('sum').textContent = trace ? String(trace.sum) : '';
  byId('expected').textContent = trace ? String(trace.expected) : '';
  const right = trace !== undefined && trace.sum === trace.expected;
  verdict.textContent = trace === undefined ? '' : right ? '✓ right' : '✗ wrong';
  verdict.className = trace === undefined ? 'verdict' : `verdict ${right ? 'right' : 'wrong'}`;
  if (trace) drawTrace(byId('trace'), trace, cell);
  else byId('trace').replaceChildren();
}

export function setTraining(running: boolean): void {
  controls.train.disabled = running;
  controls.stop.disabled = !running;
}

/** The line that says how training goes (`trained`), and a smaller one below it. */
export function showTrainStatus(text: string, tone: Tone = 'plain', detail = ''): void {
  setText(byId('trained'), text, tone);
  byId('train-detail').textContent = detail;
}

let downloadUrls: string[] = [];

/** Links to the trained model's two files (undefined hides them). */
export function offerDownload(files: ModelFiles | undefined): void {
  downloadUrls.forEach((url) => URL.revokeObjectURL(url));
  downloadUrls = [];
  byId('download').hidden = files === undefined;
  if (files === undefined) return;
  const link = (id: string, blob: Blob) => {
    const url = URL.createObjectURL(blob);
    downloadUrls.push(url);
    byId<HTMLAnchorElement>(id).href = url;
  };
  link('download-json', new Blob([files.json], { type: 'application/json' }));
  link('download-weights', new Blob([files.weights as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
}

export function showGradcheckRunning(): void {
  controls.gradcheck.disabled = true;
  setText(byId('gradcheck-result'), 'checking…');
}

/** The verdict (containing "ok" only when every gradient is within tolerance) and the worst error per parameter. */
export function showGradcheck(report: GradcheckReport, seconds: number): void {
  controls.gradcheck.disabled = false;
  const worst = Math.max(...report.comparisons.flatMap((c) => c.params.map((p) => p.relError)));
  setText(
    byId('gradcheck-result'),
    report.ok
      ? `ok: every gradient within tolerance (worst relative error ${worst.toExponential(1)}, ${seconds.toFixed(2)} s)`
      : `FAILED: ${report.comparisons.filter((c) => !c.ok).map((c) => c.message).join(' | ')}`,
    report.ok ? 'good' : 'bad',
  );
  const table = byId<HTMLTableElement>('gradcheck-table');
  const row = (cells: string[], tag: 'th' | 'td') => {
    const tr = document.createElement('tr');
    cells.forEach((text, i) => {
      const cell = document.createElement(tag);
      cell.textContent = text;
      // Numbers right-aligned; the verdict coloured.
      if (tag === 'td') cell.className = i >= 2 && i <= 6 ? 'num' : i === 7 ? text.toLowerCase() : '';
      tr.append(cell);
    });
    return tr;
  };
  table.replaceChildren(row(GRADCHECK_COLUMNS, 'th'), ...gradcheckRows(report).map((cells) => row(cells, 'td')));
  table.hidden = false;
}

export function showGradcheckError(message: string): void {
  controls.gradcheck.disabled = false;
  setText(byId('gradcheck-result'), message, 'bad');
}
