// `npm run bench:web`: the page against Node on the same machine, in one run. Headless Chromium (scripts/browser.ts)
// trains the page's default 8-bit adder for seeds 0-4 (a fresh page and worker each, so each run starts cold, as a
// visitor's does) and runs the gradient check; this process does the same through the API on the wasm backend,
// after one untimed run to warm it. Reports the loop's seconds as the page and as Node report them, the training
// pairs (the same seed on wasm gives the same run in both), and the ratios.
import * as path from 'path';
import { disposeParams, gradcheck, initBackend, startServer, train } from 'rnn-adder';
import { launchChromium, openPage, typeInto, waitForText } from './browser';

const SEEDS = [0, 1, 2, 3, 4];
const MODEL_DIR = path.resolve(__dirname, '..', '..', 'models', 'adder-16');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  await initBackend('wasm');
  const server = await startServer({ port: 0, modelDir: MODEL_DIR });
  const chromium = await launchChromium();
  disposeParams((await train({ bits: 8, seed: SEEDS[0] })).params);
  const rows: { seed: number; pageSeconds: number; pagePairs: number; nodeSeconds: number; nodePairs: number }[] = [];
  let pageCheck = 0;
  let nodeCheck = 0;
  try {
    for (const seed of SEEDS) {
      const page = await chromium.browser.newPage();
      await openPage(page, server.url);
      await typeInto(page, '#seed', String(seed));
      await page.click('[data-testid="train"]');
      await waitForText(page, 'trained', (text) => text.startsWith('exact'), 60_000);
      const detail = await page.$eval('#train-detail', (el) => el.textContent ?? '');
      const [, pairs, seconds] = /^([\d,]+) training pairs in ([\d.]+) s/.exec(detail) ?? [];
      if (seed === SEEDS[0]) {
        await page.click('[data-testid="gradcheck"]');
        const result = await waitForText(page, 'gradcheck-result', (text) => text.startsWith('ok'), 30_000);
        pageCheck = Number(/, ([\d.]+) s\)$/.exec(result)![1]);
      }
      await page.close();

      const result = await train({ bits: 8, seed });
      disposeParams(result.params);
      rows.push({ seed, pageSeconds: Number(seconds), pagePairs: Number(pairs.replace(/,/g, '')), nodeSeconds: result.seconds, nodePairs: result.samples });
    }
    const start = performance.now();
    await gradcheck();
    nodeCheck = (performance.now() - start) / 1000;
  } finally {
    await chromium.close();
    await server.close();
  }

  console.log('8-bit adder, page defaults (adam lr 0.1, batch 64, H 16): training loop seconds, wasm');
  console.log('seed  page (Chromium worker)      Node (same process)        page / Node');
  for (const r of rows) {
    console.log(
      `${String(r.seed).padEnd(4)}  ${r.pageSeconds.toFixed(2)} s, ${r.pagePairs} pairs`.padEnd(34) +
        `${r.nodeSeconds.toFixed(2)} s, ${r.nodePairs} pairs`.padEnd(27) +
        (r.pageSeconds / r.nodeSeconds).toFixed(2),
    );
  }
  const ratio = median(rows.map((r) => r.pageSeconds / r.nodeSeconds));
  console.log(`median ratio page / Node: ${ratio.toFixed(2)}`);
  console.log(`gradient check (8 bits, H 16, batch 8, tf.grad and float64 finite differences): page ${pageCheck.toFixed(2)} s, Node ${nodeCheck.toFixed(2)} s`);
}

main().catch((error) => {
  console.error(`bench-web: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
