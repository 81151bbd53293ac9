// The backward pass of the addition under the forward trace, drawn: heat maps of ∂L/∂ŷ_t, dS_t and δ_t in the
// trace's columns, the gradient-flow triangle ‖∂ℓ_t/∂s_k‖ on a log scale, and the terms of ∂ℓ_t/∂W with their
// running sum and total. Drawing only: every number comes from src/analysis/backward.ts.
import { scheme } from 'vega';
import type { BackwardTrace, GradientTerms, TermSeries } from '../analysis/backward';
import type { CellName } from '../names';
import { drawHeatMap } from './heatmap';
import { cellSize, LABEL_WIDTH } from './trace-view';

const viridis = scheme('viridis') as (t: number) => string;
/** Diverging: negative blue, zero white, positive red. */
const redBlue = scheme('redblue') as (t: number) => string;
const signed = (v: number, max: number) => redBlue(0.5 - (max === 0 ? 0 : v / (2 * max)));
const fmt = (v: number) => v.toExponential(3);

/** Where each quantity's equation lives: the docs' heading and its label, per cell. */
const DOCS = {
  bptt: 'docs/bptt.md',
  lstm: 'docs/lstm.md',
  gru: 'docs/gru.md',
};
/** ∂L/∂ŷ_t's equation, the same for every cell. */
export const EQUATION_DYHAT = { label: '(B1)', href: `${DOCS.bptt}#b1-the-output-δo_t--lo_t`, text: '∂L/∂ŷ_t = (1/N)·∂ℓ/∂ŷ_t' };
export const EQUATIONS: Record<CellName, Record<'dS' | 'delta' | 'flow' | 'terms', { label: string; href: string; text: string }>> = {
  elman: {
    dS: { label: '(B4)', href: `${DOCS.bptt}#b4-the-state-ls_t-and-where-the-recurrent-term-comes-from`, text: 'dS_t = δo_t·Wyᵀ + δ_{t+1}·Wsᵀ' },
    delta: { label: '(B5)', href: `${DOCS.bptt}#b5-through-the-sigmoid-δ_t--lnet_t`, text: 'δ_t = dS_t ⊙ s_t(1 − s_t)' },
    flow: { label: '(G2)', href: `${DOCS.bptt}#gradient-flow-how-far-back-the-last-steps-loss-reaches`, text: '∂ℓ_t/∂s_k = (∂ℓ_t/∂s_{k+1} ⊙ σ′_{k+1})·Wsᵀ' },
    terms: { label: '(B6)–(B8)', href: `${DOCS.bptt}#b6-b7-b8-the-recurrent-weights-the-input-weights-the-hidden-bias`, text: 'dWs = Σ_k s_{k−1}ᵀ·δ_k' },
  },
  lstm: {
    dS: { label: '(L5)', href: `${DOCS.lstm}#the-backward-pass`, text: '∂L/∂h_t = δo_t·Wyᵀ + δz_{t+1}·Wsᵀ' },
    delta: { label: '(L7)', href: `${DOCS.lstm}#the-backward-pass`, text: 'δz_t = [δz_i, δz_f, δz_c, δz_o]' },
    flow: { label: '(L5)–(L7)', href: `${DOCS.lstm}#the-backward-pass`, text: '‖∂ℓ_t/∂h_k‖ along every path back' },
    terms: { label: '(L8), (L9)', href: `${DOCS.lstm}#the-backward-pass`, text: 'dWs = Σ_k h_{k−1}ᵀ·δz_k' },
  },
  gru: {
    dS: { label: '(U5)', href: `${DOCS.gru}#the-backward-pass`, text: '∂L/∂h_t = δo_t·Wyᵀ + z_{t+1}⊙∂L/∂h_{t+1} + …' },
    delta: { label: '(U6), (U7)', href: `${DOCS.gru}#the-backward-pass`, text: 'δa_t = [δa_z, δa_r, δa_h]' },
    flow: { label: '(U5)–(U7)', href: `${DOCS.gru}#the-backward-pass`, text: '‖∂ℓ_t/∂h_k‖ along every path back' },
    terms: { label: '(U8), (U9)', href: `${DOCS.gru}#the-backward-pass`, text: 'dWs = [Σ_k h_{k−1}ᵀ·[δa_z, δa_r] | Σ_k (r_k⊙h_{k−1})ᵀ·δa_h]' },
  },
};

/** "equation (label)" linked to its line in the docs. */
export function equationLine(container: HTMLElement, equation: { label: string; href: string; text: string }): void {
  const code = document.createElement('code');
  code.textContent = equation.text;
  const link = document.createElement('a');
  link.href = equation.href;
  link.textContent = `${equation.href.split('#')[0]} ${equation.label}`;
  container.replaceChildren(code, ' ', link);
}

const maxAbs = (rows: number[][]) => Math.max(0, ...rows.flat().map(Math.abs));

/** ∂L/∂ŷ_t, dS_t and δ_t as heat maps in the trace's columns. */
export function drawSteps(container: HTMLElement, readout: HTMLElement, view: BackwardTrace): void {
  const T = view.steps.length;
  const c = cellSize(T);
  const state = view.cell === 'elman' ? 's' : 'h';
  const dYhat = [view.steps.map((s) => s.dYhat)];
  const dS = view.steps[0].dS.map((_, unit) => view.steps.map((s) => s.dS[unit]));
  const delta = view.steps[0].delta.map((_, unit) => view.steps.map((s) => s.delta[unit]));
  const scales = [maxAbs(dYhat), maxAbs(dS), maxAbs(delta)];
  const names = ['∂L/∂ŷ', `dS (∂L/∂${state})`, 'δ'];
  // One colour scale per block: their sizes differ by orders of magnitude.
  const rowHeight = Math.max(4, Math.round(c * 0.6));
  drawHeatMap(
    container,
    {
      name: 'the backward pass per step',
      blocks: [
        { label: '∂L/∂ŷ', rows: dYhat },
        { label: 'dS', rows: dS },
        { label: 'δ', rows: delta },
      ],
      columns: T,
      cell: c,
      labelWidth: LABEL_WIDTH,
      rowHeight,
      axis: 't',
      colour: (v, b) => signed(v, scales[b]),
      describe: (b, r, t, v) => `${names[b]}${b === 0 ? '' : `[${r}]`} at t = ${t}: ${fmt(v)} (the block's scale ±${fmt(scales[b])})`,
      legend: { colours: [0, 0.25, 0.5, 0.75, 1].map(redBlue).reverse(), labels: ['−max', '0', '+max'], caption: 'each block to its own ±max |value|' },
    },
    readout,
  );
}

/** ‖∂ℓ_t/∂s_k‖ for every t ≥ k: rows t (the loss step), columns k (the state), log colour scale. */
export function drawFlow(container: HTMLElement, readout: HTMLElement, view: BackwardTrace): void {
  const T = view.flow.length;
  const logs = view.flow.flat().filter((v) => v > 0).map(Math.log10);
  const [lo, hi] = logs.length ? [Math.floor(Math.min(...logs)), Math.ceil(Math.max(...logs))] : [-1, 0];
  const span = Math.max(1, hi - lo);
  const c = cellSize(T);
  const state = view.cell === 'elman' ? 's' : 'h';
  drawHeatMap(
    container,
    {
      name: 'gradient flow',
      blocks: [
        {
          label: 'ℓ_t',
          rows: view.flow.map((row) => Array.from({ length: T }, (_, k) => (k < row.length ? row[k] : undefined))),
          rowLabels: view.flow.map((_, t) => `ℓ_${t}`),
        },
      ],
      columns: T,
      cell: c,
      labelWidth: LABEL_WIDTH,
      rowHeight: c,
      axis: 'k',
      colour: (v) => (v > 0 ? viridis((Math.log10(v) - lo) / span) : '#000'),
      describe: (_b, t, k, v) => `‖∂ℓ_${t}/∂${state}_${k}‖ = ${fmt(v)} (lag ${t - k})`,
      legend: { colours: [0, 0.25, 0.5, 0.75, 1].map(viridis), labels: [`1e${lo}`, (lo + hi) % 2 === 0 ? `1e${(lo + hi) / 2}` : '', `1e${hi}`], caption: 'log scale; row t, column k ≤ t' },
    },
    readout,
  );
}

/** The terms of ∂ℓ_t/∂W[i][j], one element each (data-value), their running sum, the total and tf.grad's check. */
export function drawTerms(list: HTMLElement, total: HTMLElement, check: HTMLElement, terms: GradientTerms, series: TermSeries, state: string): void {
  const max = Math.max(...series.values.map(Math.abs), Math.abs(series.total), 1e-30);
  const entry = terms.param === 'bs' ? `bs[${series.j}]` : `${terms.param}[${series.i}][${series.j}]`;
  list.replaceChildren(
    ...series.values.map((v, k) => {
      const item = document.createElement('li');
      item.dataset.value = String(v);
      item.tabIndex = 0;
      const bar = document.createElement('span');
      bar.className = `bar ${v < 0 ? 'negative' : 'positive'}`;
      bar.style.width = `${(50 * Math.abs(v)) / max}%`;
      const label = document.createElement('span');
      label.className = 'term-label';
      label.textContent = `k = ${k}: ${v >= 0 ? '+' : ''}${fmt(v)}   running sum ${fmt(series.running[k])}`;
      item.title = `∂ℓ_${terms.t}/∂${state}_${k} · ∂⁺${state}_${k}/∂${entry} = ${v}`;
      item.append(bar, label);
      return item;
    }),
  );
  total.dataset.value = String(series.total);
  total.textContent = `Σ = ∂ℓ_${terms.t}/∂${entry} = ${fmt(series.total)}`;
  check.textContent =
    `The sum of these ${terms.t + 1} terms is ∂ℓ_${terms.t}/∂${entry}; tf.grad gives ${fmt(series.autodiff)}, and agrees ` +
    `with the engine's ∂ℓ_${terms.t}/∂${terms.param} to ${terms.maxDifference.toExponential(1)} (largest difference over all its entries).`;
  check.dataset.autodiff = String(series.autodiff);
  check.dataset.maxDifference = String(terms.maxDifference);
}
