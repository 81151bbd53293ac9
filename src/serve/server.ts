// The page's static server: node:http on 127.0.0.1, a fixed table of routes, nothing from the URL ever joined onto
// a path. It serves the bundled page (dist/web), tfjs' WebAssembly files from their npm package, and one model
// directory under /model/, so the page works offline.
import { createReadStream, promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { UserError } from '../errors';

/** The bundled page: written by `npm run build` (scripts/build-web.ts) beside dist/src. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', 'web');
/** tfjs-backend-wasm's .wasm files, which the page's setWasmPaths points at /wasm/. */
export const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

/** The page's files, by URL path. */
const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/style.css': 'style.css',
  '/app.js': 'app.js',
  '/worker.js': 'worker.js',
};
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
/** A file directly inside the model directory (model.json, weights.bin, …): no separators, no leading dot. */
const MODEL_FILE = /^\/model\/([A-Za-z0-9_-][A-Za-z0-9_.-]*)$/;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The model the page loads first, as /model/model.json. */
  modelDir: string;
  webDir?: string;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The file a URL path names, or undefined (404). */
function fileFor(urlPath: string, webDir: string, modelDir: string): string | undefined {
  if (urlPath in PAGE_FILES) return path.join(webDir, PAGE_FILES[urlPath]);
  const wasm = urlPath.startsWith('/wasm/') ? urlPath.slice('/wasm/'.length) : undefined;
  if (wasm !== undefined && WASM_FILES.includes(wasm)) return path.join(WASM_DIR, wasm);
  const model = MODEL_FILE.exec(urlPath);
  return model ? path.join(modelDir, model[1]) : undefined;
}

async function respond(request: http.IncomingMessage, response: http.ServerResponse, webDir: string, modelDir: string) {
  const send = (status: number, text: string) => {
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, `${request.method} is not served here`);
  const urlPath = new URL(request.url ?? '/', 'http://localhost').pathname;
  const file = fileFor(urlPath, webDir, modelDir);
  const stat = file === undefined ? undefined : await fs.stat(file).catch(() => undefined);
  if (file === undefined || !stat?.isFile()) return send(404, `${urlPath} is not here`);
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    // A model retrained in place must not come back stale.
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') return response.end();
  createReadStream(file).pipe(response);
}

/** Starts serving on 127.0.0.1; refuses before listening when the page is not built. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const webDir = options.webDir ?? WEB_DIR;
  const page = path.join(webDir, PAGE_FILES['/']);
  if (!(await fs.stat(page).catch(() => undefined))?.isFile()) {
    throw new UserError(`the page is not built (${page} is missing): run npm run build`);
  }
  const server = http.createServer((request, response) => {
    respond(request, response, webDir, options.modelDir).catch((error) => {
      if (!response.headersSent) response.writeHead(500).end(`${(error as Error).message}\n`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`port ${options.port} is in use on 127.0.0.1: pick another with --port (0 picks a free one)`)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
