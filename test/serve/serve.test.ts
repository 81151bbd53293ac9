// `rnn-adder serve` and its static server: the routes and what is refused, then the real process refusing a broken
// model, printing its URL and stopping on Ctrl-C. (Its flags are parsed in cli-parse.test.ts.)
import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { UserError } from '../../src/errors';
import { RunningServer, startServer, WASM_DIR, WEB_DIR } from '../../src/serve/server';
import { expectOneLineError, runCli } from '../support/cli';
import { startServe } from '../support/serve';

const MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');

describe('the static server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, modelDir: MODEL_DIR, log: () => undefined });
  });
  after(() => server.close());

  const get = (urlPath: string, init?: RequestInit) => fetch(new URL(urlPath, server.url), init);

  it('listens on 127.0.0.1 only', () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  for (const [urlPath, type, file] of [
    ['/', 'text/html; charset=utf-8', path.join(WEB_DIR, 'index.html')],
    ['/app.js', 'text/javascript; charset=utf-8', path.join(WEB_DIR, 'app.js')],
    ['/worker.js', 'text/javascript; charset=utf-8', path.join(WEB_DIR, 'worker.js')],
    ['/style.css', 'text/css; charset=utf-8', path.join(WEB_DIR, 'style.css')],
    ['/wasm/tfjs-backend-wasm-simd.wasm', 'application/wasm', path.join(WASM_DIR, 'tfjs-backend-wasm-simd.wasm')],
    ['/model/model.json', 'application/json; charset=utf-8', path.join(MODEL_DIR, 'model.json')],
    ['/model/weights.bin', 'application/octet-stream', path.join(MODEL_DIR, 'weights.bin')],
  ]) {
    it(`serves ${urlPath} as ${type}, byte for byte`, async () => {
      const response = await get(urlPath);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.equal(type);
      expect(Buffer.from(await response.arrayBuffer()).equals(fs.readFileSync(file))).to.equal(true);
    });
  }

  for (const urlPath of [
    '/package.json',
    '/model/../package.json',
    '/model/%2e%2e%2fpackage.json',
    '/model/..%2F..%2Fpackage.json',
    '/model/.hidden',
    '/model/',
    '/wasm/other.wasm',
    '/wasm/../app.js.map',
    '/src/web/main.ts',
    '/dist/web/app.js',
  ]) {
    it(`answers 404 for ${urlPath}, and serves nothing outside its table`, async () => {
      const response = await get(urlPath);
      expect(response.status).to.equal(404);
      expect(await response.text()).to.match(/ is not here\n$/);
    });
  }

  it('answers HEAD without a body and refuses other methods with 405', async () => {
    const head = await get('/model/model.json', { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String(fs.statSync(path.join(MODEL_DIR, 'model.json')).size));
    expect(await head.text()).to.equal('');
    const post = await get('/model/model.json', { method: 'POST', body: 'x' });
    expect(post.status).to.equal(405);
    expect(await post.text()).to.equal('POST is not served here\n');
  });

  it('refuses a port in use, saying which and what to do', async () => {
    const port = Number(new URL(server.url).port);
    const error = await startServer({ port, modelDir: MODEL_DIR }).catch((e) => e);
    expect(error).to.be.instanceOf(UserError);
    expect(error.message).to.equal(`port ${port} is in use on 127.0.0.1: pick another with --port (0 picks a free one)`);
  });

  it('refuses to start when the page is not built', async () => {
    const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-adder-web-'));
    try {
      const error = await startServer({ port: 0, modelDir: MODEL_DIR, webDir }).catch((e) => e);
      expect(error).to.be.instanceOf(UserError);
      expect(error.message).to.equal(`the page is not built (${path.join(webDir, 'index.html')} is missing): run npm run build`);
    } finally {
      fs.rmSync(webDir, { recursive: true, force: true });
    }
  });
});

describe('rnn-adder serve', () => {
  it('refuses a broken model before serving: one line, exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-adder-serve-'));
    try {
      expectOneLineError(await runCli(['serve', '--port', '0', '--model', dir]), `no model in ${dir}: the directory is empty`, 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints its URL, serves the page, and stops cleanly on Ctrl-C (SIGINT)', async () => {
    const serve = await startServe(process.execPath, [CLI_MAIN]);
    expect(serve.printed).to.include({ model: MODEL_DIR });
    const page = await fetch(serve.printed.url);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('data-testid="sum"');
    expect(await serve.stop()).to.deep.equal({ status: 0, stderr: '' });
  });
});
