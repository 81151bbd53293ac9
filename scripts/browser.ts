// Headless Chromium for the page's tests and benchmark: Debian's `chromium` (puppeteer-core downloads none),
// started with a fresh profile and nothing that reaches the network.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { Browser, Page } from 'puppeteer-core';

/** Where Debian puts Chromium; CHROMIUM_PATH overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Chromium {
  browser: Browser;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-adder-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${userDataDir}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A control by its data-testid, or any selector starting with '#'. */
export const control = (id: string): string => (id.startsWith('#') ? id : `[data-testid="${id}"]`);

/** Waits until the control's text satisfies `test`, then returns it. */
export async function waitForText(page: Page, id: string, test: (text: string) => boolean, timeout = 10_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const text = await page.$eval(control(id), (el) => el.textContent ?? '');
    if (test(text)) return text;
    if (Date.now() - started > timeout) throw new Error(`${id} still reads ${JSON.stringify(text)} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Replaces a field's text as a person would (key by key, an input event each). */
export async function typeInto(page: Page, id: string, text: string): Promise<void> {
  await page.locator(control(id)).fill(text);
}

/** Pastes text into a field: the whole value at once and one input event, as a paste makes. */
export async function pasteInto(page: Page, id: string, text: string): Promise<void> {
  await page.$eval(
    control(id),
    (el, value) => {
      Object.assign(el, { value });
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    text,
  );
}

/** Opens the page and waits until it has a backend and a model. */
export async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForText(page, 'backend', (text) => text !== '…');
  await waitForText(page, '#model-status', (text) => text.includes('trained on'));
}
