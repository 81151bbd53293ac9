// The page in a real browser: headless Chromium (Debian's `chromium`) driven by puppeteer-core through the
// controls a person uses (their data-testid). Any console error, page error or failed request fails the test.
// Where no Chromium is installed the suite is skipped, and says so. Set RNN_ADDER_SCREENSHOT=docs/img/page.png to
// write the README's screenshot.
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'puppeteer-core';
import { Chromium, CHROMIUM, control, launchChromium, openPage, pasteInto, typeInto, waitForText } from '../../scripts/browser';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { RunningServer, startServer } from '../../src/serve/server';
import { saveFixture, tempDir } from '../support/adders';
import { runCli } from '../support/cli';
import { leakyAdderParams } from '../support/leaky-adder';

const MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');
/** Training the page's default 8-bit adder takes ~1 s on wasm; the bound leaves room for a slow machine. */
const TRAIN_TIMEOUT_MS = 30_000;

const testId = control;

describe('the page in headless Chromium', function () {
  let server: RunningServer;
  let chromium: Chromium;
  /** Everything that went wrong in the page: console errors, uncaught errors, failed or refused requests. */
  let problems: string[];
  /** Requests a test expects to fail (the bad model URL). */
  let expectedFailures: RegExp[];

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log(`    skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
      this.skip();
    }
    server = await startServer({ port: 0, modelDir: MODEL_DIR });
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await server?.close();
  });

  let page: Page;
  beforeEach(async () => {
    problems = [];
    expectedFailures = [];
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    const expected = (url: string) => expectedFailures.some((re) => re.test(url));
    page.on('console', (message) => {
      const where = message.location().url ?? '';
      if (message.type() === 'error' && !expected(where)) problems.push(`console error: ${message.text()} (${where})`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${(error as Error).message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400 && !expected(response.url())) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await openPage(page, server.url);
  });

  afterEach(async function () {
    // Between actions the page holds its adder's parameters (Wx, Ws, bs, Wy, by) and no other tensor.
    expect(await page.$eval('#tensors', (el) => el.textContent), 'tensors alive in the page').to.equal('5');
    await page?.close();
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('adds 65535 + 1 and a 30-digit sum with the served 16-bit model, on wasm', async () => {
    expect(await page.$eval(testId('backend'), (el) => el.textContent)).to.equal('wasm');
    await typeInto(page, 'a', '65535');
    await typeInto(page, 'b', '1');
    await waitForText(page, 'sum', (text) => text === '65536');
    // Each ŷ cell's tooltip: the probability and the bit, here the bits of 65536 (t = 0 … 16, carry-out last).
    const outputs = await page.$$eval('#trace svg rect title', (titles) => titles.map((t) => t.textContent ?? '').filter((t) => t.startsWith('ŷ_')));
    expect(outputs.map((t) => /^ŷ_(\d+) = (0|1)\.\d{4}: bit ([01])$/.exec(t)?.[3]).join('')).to.equal('0'.repeat(16) + '1');
    await pasteInto(page, 'a', '123456789012345678901234567890');
    await pasteInto(page, 'b', '987654321098765432109876543210');
    await waitForText(page, 'sum', (text) => text === '1111111110111111111011111111100');
    expect(await page.$eval('#expected', (el) => el.textContent)).to.equal('1111111110111111111011111111100');
    expect(await page.$eval('#verdict', (el) => el.textContent)).to.contain('right');
    // The trace: 101 steps (100 bits and the carry), each with 4 bit cells and 16 hidden units.
    expect(await page.$$eval('#trace svg rect', (rects) => rects.length)).to.equal(101 * (4 + 16));
  });

  it('shows bad operands beside their field and no sum', async () => {
    for (const [value, message] of [
      ['-5', 'the first operand must be non-negative, got "-5"'],
      ['', 'the first operand is empty: expected a non-negative integer'],
      ['12a', 'the first operand must be a non-negative integer in decimal digits, got "12a"'],
      ['1.5', 'the first operand must be a whole number, got "1.5"'],
    ]) {
      await typeInto(page, 'a', value);
      await page.$eval(testId('a'), (el) => el.dispatchEvent(new Event('input')));
      expect(await page.$eval('#a-error', (el) => el.textContent)).to.equal(message);
      expect(await page.$eval(testId('sum'), (el) => el.textContent)).to.equal('');
      expect(await page.$eval(testId('a'), (el) => el.getAttribute('aria-invalid'))).to.equal('true');
    }
    await typeInto(page, 'a', '7');
    await waitForText(page, 'sum', (text) => text === String(7 + 6789));
    expect(await page.$eval('#a-error', (el) => el.textContent)).to.equal('');
  });

  it('shows a wrong sum as wrong: the hand-made adder whose carry fades after 17 steps, on 262143 + 1', async () => {
    await initBackend();
    const params = leakyAdderParams();
    const dir = await saveFixture(await tempDir('leaky'), params);
    disposeParams(params);
    const leaky = await startServer({ port: 0, modelDir: dir });
    try {
      await openPage(page, leaky.url);
      expect(await page.$eval('#model-status', (el) => el.textContent)).to.contain('hidden 3');
      await typeInto(page, 'a', String(2 ** 18 - 1));
      await typeInto(page, 'b', '1');
      await waitForText(page, '#expected', (text) => text === String(2 ** 18));
      const sum = await page.$eval(testId('sum'), (el) => el.textContent);
      expect(sum).to.match(/^\d+$/).and.not.equal(String(2 ** 18));
      expect(await page.$eval('#verdict', (el) => el.textContent)).to.equal('✗ wrong');
      // The wrong output bits are ringed: the lost carry at t = 18 at least.
      expect(await page.$$eval('#trace svg rect[stroke]', (rects) => rects.length)).to.be.above(0);
    } finally {
      await leaky.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says on the page when a model URL fails to load, and keeps adding with the loaded one', async () => {
    expectedFailures = [/\/nope\/model\.json$/];
    await typeInto(page, '#model-url', 'nope/model.json');
    await page.click('#model-form button');
    const status = await waitForText(page, '#model-status', (text) => text.startsWith('cannot load'));
    expect(status).to.match(/^cannot load the model at nope\/model\.json: .*404.*; still adding with model\/model\.json$/);
    await typeInto(page, 'a', '65535');
    await typeInto(page, 'b', '1');
    await waitForText(page, 'sum', (text) => text === '65536');
  });

  for (const cell of ['elman', 'lstm', 'gru']) {
    it(`checks the gradients of the ${cell} cell: hand BPTT (and the fused kernel) against tf.grad and finite differences`, async () => {
      await page.select('#gradcheck-cell', cell);
      await page.click(testId('gradcheck'));
      const result = await waitForText(page, 'gradcheck-result', (text) => text.startsWith('ok') || text.startsWith('FAILED'), 20_000);
      expect(result).to.match(/^ok: every gradient within tolerance/);
      const rows = await page.$$eval('#gradcheck-table tr', (trs) => trs.slice(1).map((tr) => [...tr.children].map((td) => td.textContent)));
      // Wx, Ws, bs, Wy, by against tf.grad and against finite differences: the tensor engine, then the cell's fused
      // kernel (WebAssembly in the page) too.
      const engines = ['bptt', 'fused'];
      expect(rows.map((r) => `${r[0]} ${r[1]} ${r[7]}`)).to.deep.equal(
        engines.flatMap((engine) =>
          ['tf.grad', 'finite differences'].flatMap((c) => ['Wx', 'Ws', 'bs', 'Wy', 'by'].map((p) => `${p} ${engine} vs ${c} ok`)),
        ),
      );
      for (const row of rows) expect(Number(row[2]), `${row[0]} vs ${row[1]}`).to.be.below(1e-3);
    });
  }

  it('trains a 4-bit LSTM adder to exact and adds with it', async () => {
    await page.select('#cell', 'lstm');
    await typeInto(page, '#bits', '4');
    await page.click(testId('train'));
    const trained = await waitForText(page, 'trained', (text) => /^(exact|gave up|training diverged)/.test(text), TRAIN_TIMEOUT_MS);
    expect(trained).to.equal('exact: every sum right (exhaustive, 256 pairs)');
    await waitForText(page, '#model-status', (text) => text.startsWith('the 4-bit lstm adder trained here: trained on 4 bits, lstm, hidden 16'));
    await typeInto(page, 'a', '9');
    await typeInto(page, 'b', '6');
    await waitForText(page, 'sum', (text) => text === '15');
    // h_t of an LSTM: one row per unit over T = 5 steps, its tooltips naming h, not s.
    const states = await page.$$eval('#trace svg rect title', (titles) => titles.map((t) => t.textContent ?? '').filter((t) => /^[hs]_/.test(t)));
    expect(states).to.have.length(5 * 16);
    expect(states.every((t) => /^h_\d+\[\d+\] = -?[01]\.\d{4}$/.test(t)), states[0]).to.equal(true);
  });

  it('trains the default 8-bit adder to exact live, adds with it, and its download loads in the CLI', async () => {
    await page.click(testId('train'));
    const trained = await waitForText(page, 'trained', (text) => /^(exact|gave up|training diverged)/.test(text), TRAIN_TIMEOUT_MS);
    expect(trained).to.equal('exact: every sum right (exhaustive, 65,536 pairs)');
    expect(await page.$$eval('#chart svg path', (paths) => paths.length)).to.be.above(0);
    await waitForText(page, '#model-status', (text) => text.startsWith('the 8-bit adder trained here'));
    await typeInto(page, 'a', '200');
    await typeInto(page, 'b', '55');
    await waitForText(page, 'sum', (text) => text === '255');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-adder-download-'));
    try {
      for (const [id, file] of [['#download-json', 'model.json'], ['#download-weights', 'weights.bin']]) {
        const bytes = await page.$eval(id, async (a) => [...new Uint8Array(await (await fetch(a.getAttribute('href')!)).arrayBuffer())]);
        fs.writeFileSync(path.join(dir, file), Uint8Array.from(bytes));
      }
      const run = await runCli(['eval', '--model', dir, '--json']);
      expect(run.status, run.stderr).to.equal(0);
      const report = JSON.parse(run.stdout);
      expect(report.accuracy).to.include({ method: 'exhaustive', pairs: 65536, correct: 65536 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const shot = process.env.RNN_ADDER_SCREENSHOT;
    if (shot) {
      await page.click(testId('gradcheck'));
      await waitForText(page, 'gradcheck-result', (text) => text.startsWith('ok'));
      await typeInto(page, 'a', '12345');
      await typeInto(page, 'b', '6789');
      await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    }
  });

  it('stays responsive while training, and Stop ends the run', async () => {
    // An LSTM on the tensor engine, sgd at a tiny learning rate, 16 bits: a run that would go on for minutes before
    // even the stall check could judge it.
    await page.select('#cell', 'lstm');
    await typeInto(page, '#bits', '16');
    await page.select('#optimizer', 'sgd');
    await typeInto(page, '#lr', '0.001');
    await page.click(testId('train'));
    await waitForText(page, 'trained', (text) => text.startsWith('training:'));
    await typeInto(page, 'a', '40000');
    await typeInto(page, 'b', '25535');
    await waitForText(page, 'sum', (text) => text === '65535', 2_000);
    await page.click('#stop');
    const stopped = await waitForText(page, 'trained', (text) => text.startsWith('stopped'));
    expect(stopped).to.match(/^stopped after [\d,]+ training pairs; the page still adds with model\/model\.json$/);
    expect(await page.$eval(testId('train'), (el) => el.hasAttribute('disabled'))).to.equal(false);
  });

  it('stops a diverging run with the CLI\'s hint, worded as the form\'s fields', async () => {
    await page.select('#optimizer', 'sgd');
    await typeInto(page, '#lr', '1e6');
    await page.click(testId('train'));
    const text = await waitForText(page, 'trained', (t) => t.startsWith('training diverged'));
    // The CLI's hint, its options named as the form's fields.
    expect(text).to.match(/^training diverged after \d+ pairs \(.*\): lower “learning rate” \(it was 1000000\) or clip the gradient with “clip \(norm\)” 1$/);
  });

  it('gives up on a run that stalls, with the same hint as the CLI, and keeps the adder it had', async () => {
    await typeInto(page, '#hidden', '1');
    await page.click(testId('train'));
    const text = await waitForText(page, 'trained', (t) => /^(exact|gave up)/.test(t), TRAIN_TIMEOUT_MS);
    expect(text).to.match(/^gave up after [\d,]+ training pairs in [\d.]+ s: [\d.]+% of sums right \(exhaustive, 65,536 pairs\)$/);
    expect(await page.$eval('#train-detail', (el) => el.textContent)).to.match(
      /^stopped early: the mean loss (fell only|rose) [\d.]+% over the last 32,000 pairs: 1 hidden units may be too few, try --hidden 8 or more$/,
    );
    expect(await page.$eval('#download', (el) => el.hasAttribute('hidden'))).to.equal(true);
    expect(await page.$eval('#model-status', (el) => el.textContent)).to.match(/^model\/model\.json: trained on 16 bits/);
  });

  it('refuses a training form that cannot train, naming the field', async () => {
    await typeInto(page, '#hidden', '0');
    await page.click(testId('train'));
    expect(await page.$eval(testId('trained'), (el) => el.textContent)).to.equal('“hidden size” must be an integer from 1 to 1024, got 0');
  });
});
