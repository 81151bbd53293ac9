// The static server against a hostile client or a model directory that changes under it: what it serves (only the
// files a manifest names), the headers on every answer, malformed requests, links, aborted downloads, a flood of
// connections and saves racing downloads. Each refusal is a status and one line, and the server keeps serving.
import { expect } from 'chai';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { modelFromArtifacts } from '../../src/io/from-artifacts';
import { MAX_CONNECTIONS, RunningServer, startServer } from '../../src/serve/server';
import { tempDir } from '../support/adders';

const MODEL_DIR = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');
/** Downloads aborted in a row: past the few hundred that exhausted the descriptors before. */
const ABORTS = 300;
/** Descriptors the process may gain over the aborts (the test's own sockets closing late): none are leaked. */
const FD_SLACK = 8;

const openDescriptors = () => fs.readdirSync('/proc/self/fd').length;

/** A raw HTTP/1.1 request line and headers, for what fetch would refuse to send; resolves with the status line. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${head}\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk;
      if (data.includes('\r\n')) {
        resolve(data.slice(0, data.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

/** GET with any Host header (fetch fixes Host itself). */
function getWithHost(port: number, urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers: { Host: host } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Starts a download and destroys its socket as soon as the headers arrive. */
function abortedDownload(port: number, urlPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: urlPath }, (response) => {
      response.socket.destroy();
      resolve();
    });
    request.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(error)));
  });
}

describe('the static server, hostile', function () {
  this.timeout(120_000);
  let dir: string;
  let server: RunningServer;
  let port: number;
  let logged: string[];

  const get = (urlPath: string, init?: RequestInit) => fetch(new URL(urlPath, server.url), init);

  before(async () => {
    await initBackend();
    dir = await tempDir('serve-hostile');
    for (const name of ['model.json', 'weights.bin']) fs.copyFileSync(path.join(MODEL_DIR, name), path.join(dir, name));
    logged = [];
    server = await startServer({ port: 0, modelDir: dir, log: (line) => logged.push(line) });
    port = Number(new URL(server.url).port);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    logged.length = 0;
  });

  it('sends nosniff, a CSP with frame-ancestors and no framing on every answer', async () => {
    for (const urlPath of ['/', '/model/model.json', '/nothing']) {
      const response = await get(urlPath);
      await response.arrayBuffer();
      expect(response.headers.get('x-content-type-options'), urlPath).to.equal('nosniff');
      expect(response.headers.get('content-security-policy'), urlPath).to.match(/default-src 'self'.*frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options'), urlPath).to.equal('DENY');
    }
  });

  it('answers 405 with Allow, and logs each refusal in one line', async () => {
    const response = await get('/', { method: 'DELETE' });
    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('GET, HEAD');
    expect(await response.text()).to.equal('DELETE is not served here\n');
    expect(logged).to.deep.equal(['serve: 405 DELETE "/": DELETE is not served here']);
  });

  it('refuses a Host that is not its own address (a DNS-rebinding page), and serves its own', async () => {
    const refused = await getWithHost(port, '/model/model.json', 'evil.example');
    expect(refused.status).to.equal(403);
    expect(refused.body).to.equal(`Host "evil.example" is not this server (127.0.0.1:${port} or localhost:${port})\n`);
    expect((await getWithHost(port, '/model/model.json', `evil.example:${port}`)).status).to.equal(403);
    expect((await getWithHost(port, '/model/model.json', `localhost:${port}`)).status).to.equal(200);
  });

  for (const target of ['//x', '*', 'http://evil.example/', '/%zz', '/model/%00model.json', '/model/%E0%A4%A']) {
    it(`answers 400 for the malformed target ${target}`, async () => {
      expect(await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}`)).to.equal('HTTP/1.1 400 Bad Request');
      expect(logged).to.have.length(1);
      expect(logged[0]).to.match(/^serve: 400 GET ".*": the request target ".*" is not a path$/);
    });
  }

  it('escapes what a request carries before logging it', async () => {
    await rawRequest(port, `GET /%1b[31mred HTTP/1.1\r\nHost: 127.0.0.1:${port}`);
    expect(logged).to.have.length(1);
    expect(logged[0]).to.not.match(/[\u0000-\u001f]/);
  });

  it('serves only the files the manifest names: another file in the directory is 404', async () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'private');
    try {
      const response = await get('/model/notes.txt');
      expect(response.status).to.equal(404);
      expect(await response.text()).to.equal('/model/notes.txt is not here\n');
    } finally {
      fs.rmSync(path.join(dir, 'notes.txt'));
    }
  });

  it('refuses a weight file that links out of the directory as the loader does (403), and keeps serving', async () => {
    const linked = await tempDir('serve-link');
    try {
      fs.copyFileSync(path.join(dir, 'model.json'), path.join(linked, 'model.json'));
      fs.symlinkSync('/etc/passwd', path.join(linked, 'weights.bin'));
      const other = await startServer({ port: 0, modelDir: linked, log: (line) => logged.push(line) });
      try {
        const response = await fetch(new URL('/model/weights.bin', other.url));
        expect(response.status).to.equal(403);
        expect(await response.text()).to.equal(`${path.join(linked, 'weights.bin')} is a link to a file outside the model directory\n`);
        expect((await fetch(other.url)).status).to.equal(200);
      } finally {
        await other.close();
      }
    } finally {
      fs.rmSync(linked, { recursive: true, force: true });
    }
  });

  it('serves a manifest path in a subfolder, so that tfjs loads the model over HTTP as the CLI loads it', async () => {
    const nested = await tempDir('serve-nested');
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      json.weightsManifest[0].paths = ['sub/weights.bin'];
      fs.writeFileSync(path.join(nested, 'model.json'), JSON.stringify(json));
      fs.mkdirSync(path.join(nested, 'sub'));
      fs.copyFileSync(path.join(dir, 'weights.bin'), path.join(nested, 'sub', 'weights.bin'));
      const other = await startServer({ port: 0, modelDir: nested, log: (line) => logged.push(line) });
      try {
        const artifacts = await tf.io.http(new URL('/model/model.json', other.url).href).load!();
        const loaded = await modelFromArtifacts(artifacts, 'model.json');
        expect(loaded.config.hidden).to.equal(16);
        disposeParams(loaded.params);
      } finally {
        await other.close();
      }
    } finally {
      fs.rmSync(nested, { recursive: true, force: true });
    }
  });

  it(`closes every aborted download: ${ABORTS} aborts leak no descriptor, and it serves after them`, async function () {
    if (!fs.existsSync('/proc/self/fd')) this.skip();
    const big = await tempDir('serve-abort');
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      fs.writeFileSync(path.join(big, 'model.json'), JSON.stringify(json));
      // Far more than a socket buffers, so each download is cut mid-stream.
      fs.writeFileSync(path.join(big, 'weights.bin'), Buffer.alloc(16 << 20));
      const other = await startServer({ port: 0, modelDir: big, log: (line) => logged.push(line) });
      const otherPort = Number(new URL(other.url).port);
      try {
        await abortedDownload(otherPort, '/model/weights.bin');
        await new Promise((resolve) => setTimeout(resolve, 200));
        const before = openDescriptors();
        for (let i = 0; i < ABORTS; i++) await abortedDownload(otherPort, '/model/weights.bin');
        await new Promise((resolve) => setTimeout(resolve, 500));
        const after = openDescriptors();
        expect(after - before, `descriptors before ${before}, after ${after}`).to.be.at.most(FD_SLACK);
        expect((await fetch(new URL('/model/model.json', other.url))).status).to.equal(200);
      } finally {
        await other.close();
      }
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it('sends one whole file, its length from the same handle, while saves replace it', async () => {
    const racing = await tempDir('serve-race');
    const versions = [Buffer.alloc(300_000, 1), Buffer.alloc(500_000, 2)];
    const json = fs.readFileSync(path.join(dir, 'model.json'));
    const install = (i: number) => {
      const fresh = path.join(racing, `fresh-${i}`);
      fs.mkdirSync(fresh);
      fs.writeFileSync(path.join(fresh, 'model.json'), json);
      fs.writeFileSync(path.join(fresh, 'weights.bin'), versions[i % 2]);
      fs.rmSync(path.join(racing, 'model'), { recursive: true, force: true });
      fs.renameSync(fresh, path.join(racing, 'model'));
    };
    install(0);
    const other = await startServer({ port: 0, modelDir: path.join(racing, 'model'), log: (line) => logged.push(line) });
    let saving = true;
    const saves = (async () => {
      for (let i = 1; saving; i++) {
        install(i);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      let whole = 0;
      for (let i = 0; i < 100; i++) {
        const response = await fetch(new URL('/model/weights.bin', other.url)).catch(() => undefined);
        if (response === undefined || response.status !== 200) continue;
        const body = Buffer.from(await response.arrayBuffer());
        expect(body.length).to.equal(Number(response.headers.get('content-length')));
        expect(versions.some((v) => v.equals(body)), `a response of ${body.length} bytes mixes two files`).to.equal(true);
        whole++;
      }
      expect(whole).to.be.greaterThan(0);
      expect((await fetch(other.url)).status).to.equal(200);
    } finally {
      saving = false;
      await saves;
      await other.close();
      fs.rmSync(racing, { recursive: true, force: true });
    }
  });

  it(`bounds its connections at ${MAX_CONNECTIONS}, and serves again once they close`, async () => {
    const sockets = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS + 16 }, () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
          socket.on('error', () => undefined);
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const dropped = sockets.filter((socket) => socket.destroyed || socket.readyState !== 'open').length;
    sockets.forEach((socket) => socket.destroy());
    expect(dropped).to.be.at.least(16);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await get('/')).status).to.equal(200);
  });
});
