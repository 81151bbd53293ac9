// The page's backward view in headless Chromium, driven through its controls: the terms of ∂ℓ_t/∂W sum to the
// page's total, which equals the engine's gradient and tf.grad computed here in Node for the same weights; the flow
// triangle; Step / Play / Pause / Reset redraw the views; the exploding-gradient preset draws both norms; the
// keyboard reaches every value; no console error, and the page's tensor count is unchanged after every action.
// Set RNN_ADDER_SCREENSHOTS=docs/img to write the views' screenshots.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'puppeteer-core';
import { Chromium, CHROMIUM, control, launchChromium, openPage, typeInto, waitForText } from '../../scripts/browser';
import { additionBatch, gradientTerms, termSeries } from '../../src/analysis/backward';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { loadModel } from '../../src/io';
import { RunningServer, startServer } from '../../src/serve/server';

const MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');
/** The page computes on wasm, this process on the suite's backend: the same float32 operations, other kernels. */
const CROSS_BACKEND_TOL = 1e-5;
/** Σ of the page's printed terms against its total: float64 sums of float32 terms, in another order. */
const SUM_TOL = 1e-6;
const SHOTS = process.env.RNN_ADDER_SCREENSHOTS;

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(a), Math.abs(b));

describe('the backward view in headless Chromium', function () {
  this.timeout(120_000);
  let server: RunningServer;
  let chromium: Chromium;
  let problems: string[];
  let page: Page;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`    skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    await initBackend();
    server = await startServer({ port: 0, modelDir: MODEL_DIR });
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await server?.close();
  });

  beforeEach(async () => {
    problems = [];
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    page.on('console', (message) => message.type() === 'error' && problems.push(`console error: ${message.text()}`));
    page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('response', (response) => response.status() >= 400 && problems.push(`HTTP ${response.status()}: ${response.url()}`));
    await openPage(page, server.url);
    await addOnPage('12', '7');
  });

  afterEach(async () => {
    expect(await tensors(), 'tensors alive in the page').to.equal('5');
    await page?.close();
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  const tensors = () => page.$eval('#tensors', (el) => el.textContent);
  async function addOnPage(a: string, b: string): Promise<void> {
    await typeInto(page, 'a', a);
    await typeInto(page, 'b', b);
    await waitForText(page, 'sum', (text) => text === String(BigInt(a) + BigInt(b)));
  }
  const termValues = () => page.$$eval(`${control('terms')} > *`, (items) => items.map((item) => Number(item.getAttribute('data-value'))));
  const totalValue = async () => Number(await page.$eval(control('terms-total'), (el) => el.getAttribute('data-value')));
  const stepCount = async () => Number(/after (\d+) steps/.exec(await page.$eval('#weights-source', (el) => el.textContent ?? ''))?.[1] ?? 0);
  /** After an action: the page holds its adder's five parameters and no other tensor. */
  const expectNoLeak = async (what: string) => expect(await tensors(), `tensors after ${what}`).to.equal('5');

  it('12 + 7: the terms of ∂ℓ_t/∂Ws sum to the total, which is the engine\'s and tf.grad\'s computed in Node', async () => {
    const values = await termValues();
    const T = 5;
    // The default loss step is the last, t = T − 1: one term per k = 0 … t.
    expect(values).to.have.length(T);
    const total = await totalValue();
    const sum = values.reduce((a, b) => a + b, 0);
    expect(relative(sum, total), `Σ terms ${sum} against the total ${total}`).to.be.below(SUM_TOL);
    const pageAutodiff = Number(await page.$eval('#terms-check', (el) => el.getAttribute('data-autodiff')));
    expect(await page.$eval('#terms-check', (el) => el.textContent)).to.match(/^The sum of these 5 terms is ∂ℓ_4\/∂Ws\[\d+\]\[\d+\]; tf\.grad gives .* agrees with the engine's ∂ℓ_4\/∂Ws to \d\.\de-\d+/);
    const model = await loadModel(MODEL_DIR);
    try {
      const node = termSeries(gradientTerms(model.params, additionBatch(12n, 7n), T - 1, 'Ws', 'mse'));
      expect(relative(total, node.total), `the page's total ${total} against the engine's ${node.total}`).to.be.below(CROSS_BACKEND_TOL);
      expect(relative(pageAutodiff, node.autodiff), `the page's tf.grad ${pageAutodiff} against ${node.autodiff}`).to.be.below(CROSS_BACKEND_TOL);
      expect(relative(total, node.autodiff), 'the page total against tf.grad').to.be.below(CROSS_BACKEND_TOL);
      node.values.forEach((v, k) => expect(relative(values[k], v), `term k = ${k}`).to.be.below(CROSS_BACKEND_TOL));
    } finally {
      disposeParams(model.params);
    }
    // Another loss step and parameter: t = 2 has 3 terms; bs too sums to its total.
    await page.select('#term-step', '2');
    await page.select('#term-param', 'bs');
    const bs = await termValues();
    expect(bs).to.have.length(3);
    expect(relative(bs.reduce((a, b) => a + b, 0), await totalValue())).to.be.below(SUM_TOL);
    await expectNoLeak('choosing t and the parameter');
  });

  it('draws ∂L/∂ŷ_t, dS_t and δ_t in the trace\'s columns, and the flow triangle ‖∂ℓ_t/∂s_k‖ for k ≤ t', async () => {
    // T = 5 columns; rows: ∂L/∂ŷ, 16 of dS, 16 of δ (Elman: G = 1).
    expect(await page.$$eval('#backward-map rect[data-value]', (rects) => rects.length)).to.equal(5 * (1 + 16 + 16));
    const traceX = await page.$eval('#trace svg rect', (rect) => rect.getBoundingClientRect().left);
    const backwardX = await page.$eval('#backward-map rect[data-value]', (rect) => rect.getBoundingClientRect().left);
    expect(backwardX, 'step 0 is the same column in the trace and the backward view').to.be.closeTo(traceX, 1);
    const flow = await page.$$eval(`${control('flow')} rect[data-value]`, (rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(flow).to.have.length((5 * 6) / 2);
    expect(flow.every((v) => v > 0)).to.equal(true);
    expect(await page.$eval(control('flow'), (el) => el.textContent)).to.contain('log scale');
  });

  it('reads every value by keyboard: the arrow keys move through the flow triangle and the backward map', async () => {
    await page.$eval(`${control('flow')} svg`, (svg) => (svg as unknown as { focus(): void }).focus());
    const first = await page.$eval('#flow-readout', (el) => el.textContent);
    expect(first).to.match(/^‖∂ℓ_0\/∂s_0‖ = \d\.\d{3}e[+-]\d+ \(lag 0\)$/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('#flow-readout', (el) => el.textContent)).to.match(/^‖∂ℓ_2\/∂s_0‖ = .* \(lag 2\)$/);
    await page.keyboard.press('ArrowRight');
    expect(await page.$eval('#flow-readout', (el) => el.textContent)).to.match(/^‖∂ℓ_2\/∂s_1‖ = .* \(lag 1\)$/);
    await page.$eval('#backward-map svg', (svg) => (svg as unknown as { focus(): void }).focus());
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval('#backward-readout', (el) => el.textContent)).to.match(/^dS \(∂L\/∂s\)\[0\] at t = 0: -?\d\.\d{3}e[+-]\d+/);
    // Step by keyboard: focus the button, Enter.
    await page.focus(control('step'));
    await page.keyboard.press('Enter');
    await waitForText(page, '#step-status', (text) => text.startsWith('step 1:'));
    await expectNoLeak('a keyboard Step');
  });

  it('Step trains one minibatch and redraws every view; Play goes on at the chosen rate, Pause stops, Reset returns to the model', async () => {
    const before = await termValues();
    /** Where the flow triangle sits in the page (not the viewport, which clicks may scroll). */
    const flowTop = () => page.$eval('#flow', (el) => el.getBoundingClientRect().top + el.ownerDocument.defaultView!.scrollY);
    await page.click(control('step'));
    await waitForText(page, '#step-status', (text) => /^step 1: batch loss \d\.\d{3}e[+-]\d+, ‖g‖/.test(text));
    expect(await stepCount()).to.equal(1);
    const after = await termValues();
    expect(after, 'the terms redrawn from the run\'s weights').to.not.deep.equal(before);
    expect(relative(after.reduce((a, b) => a + b, 0), await totalValue())).to.be.below(SUM_TOL);
    expect(await page.$$eval('#step-norms td', (tds) => tds.map((td) => td.textContent))).to.have.length(1 + 5 + 2);
    await expectNoLeak('Step');
    const top = await flowTop();
    await page.select('#rate', '30');
    await page.click(control('play'));
    await waitForText(page, '#weights-source', (text) => Number(/after (\d+) steps/.exec(text)?.[1]) >= 4);
    expect(await flowTop(), 'no layout jump while playing').to.equal(top);
    await page.click(control('pause'));
    const paused = await stepCount();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await stepCount(), 'no step after Pause').to.equal(paused);
    expect(await page.$eval('#norm-chart polyline', (line) => line.getAttribute('points')!.split(' ').length)).to.equal(paused);
    await expectNoLeak('Play and Pause');
    await page.click(control('reset'));
    expect(await page.$eval('#weights-source', (el) => el.textContent)).to.equal('Weights: the loaded model.');
    expect(await termValues()).to.deep.equal(before);
    await expectNoLeak('Reset');
  });

  for (const [cell, G] of [['lstm', 4], ['gru', 3]] as const) {
    it(`steps a ${cell} run: δ_t holds its ${G} gates per unit, and its terms sum to the total`, async () => {
      await page.select('#cell', cell);
      await typeInto(page, '#hidden', '6');
      await page.click(control('step'));
      await waitForText(page, '#step-status', (text) => text.startsWith('step 1:'));
      expect(await page.$$eval('#backward-map rect[data-value]', (rects) => rects.length)).to.equal(5 * (1 + 6 + G * 6));
      const values = await termValues();
      expect(values).to.have.length(5);
      expect(relative(values.reduce((a, b) => a + b, 0), await totalValue())).to.be.below(SUM_TOL);
      expect(Number(await page.$eval('#terms-check', (el) => el.getAttribute('data-max-difference')))).to.be.below(1e-6);
      await expectNoLeak(`a ${cell} Step`);
    });
  }

  it('the exploding-gradient preset: the clipped run and its twin without clipping, both norms drawn', async () => {
    await page.click('#preset');
    for (let i = 0; i < 3; i++) await page.click(control('step'));
    await waitForText(page, '#step-status', (text) => text.startsWith('step 3:'));
    expect(await page.$eval('#step-status', (el) => el.textContent)).to.contain('(clipped to 0.00002)');
    expect(await page.$$eval('#norm-chart polyline', (lines) => lines.length)).to.equal(2);
    expect(await page.$eval('#norm-chart', (el) => el.textContent)).to.contain('without clipping');
    await expectNoLeak('the preset');
    if (SHOTS) {
      await page.select('#rate', '30');
      await page.click(control('play'));
      await waitForText(page, '#weights-source', (text) => Number(/after (\d+) steps/.exec(text)?.[1]) >= 150, 60_000);
      await page.click(control('pause'));
      await shoot('fig-norms');
    }
  });

  it('fits a phone-width screen: nothing wider than the viewport but the scrolling pictures', async () => {
    await page.setViewport({ width: 390, height: 844 });
    await page.click(control('step'));
    await waitForText(page, '#step-status', (text) => text.startsWith('step 1:'));
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, 'horizontal overflow of the page').to.equal(0);
    if (SHOTS) await shoot('backward', 'backward-phone');
  });

  if (SHOTS) {
    it('writes the screenshots of each view', async () => {
      for (const figure of ['fig-backward', 'fig-flow', 'fig-terms']) await shoot(figure);
    });
  }

  /** The figure's screenshot in docs/img (element screenshots scroll it into view). */
  async function shoot(figure: string, name = figure): Promise<void> {
    const element = await page.$(`#${figure}`);
    await element!.screenshot({ path: path.join(SHOTS!, `${name}.png`) as `${string}.png` });
  }
});
