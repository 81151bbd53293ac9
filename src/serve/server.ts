// The page's static server: node:http on 127.0.0.1, a fixed table of routes, nothing from the URL ever joined onto
// a path. It serves the bundled page (dist/web), tfjs' WebAssembly files from their npm package, and the files one
// model directory's manifest names, under /model/, so the page works offline.
//
// Each file is opened once and streamed from that handle, its length taken from the same handle: a save that
// replaces the model meanwhile leaves the open file whole, so a response is one file, never two. A model file
// is opened as the loader opens it (src/io/read.ts: links outside the directory refused, regular files only).
import { constants as fsConstants, promises as fs } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { pipeline } from 'stream';
import { checkInteger, checkOptionsObject, checkPath } from '../data/arguments';
import { OptionError, UserError } from '../errors';
import { MODEL_JSON } from '../io/format';
import { pathShown, quoted } from '../io/printable';
import { CheckedFile, manifestPaths, ModelFileError, openModelFile, readModelJSON } from '../io/read';

/** The bundled page: written by `npm run build` (scripts/build-web.ts) beside dist/src. */
export const WEB_DIR = path.resolve(__dirname, '..', '..', 'web');
/** tfjs-backend-wasm's .wasm files, which the page's setWasmPaths points at /wasm/. */
export const WASM_DIR = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

/** Connections served at once: the page opens a handful; more are dropped by node:http as they arrive. */
export const MAX_CONNECTIONS = 64;

/** The page's files, by URL path. */
const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/style.css': 'style.css',
  '/app.js': 'app.js',
  '/worker.js': 'worker.js',
};
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const MODEL_PREFIX = '/model/';
const ALLOW = 'GET, HEAD';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * On every response. The page runs only its own scripts (no inline ones) and tfjs' WebAssembly ('wasm-unsafe-eval'
 * compiles it), fetches only from here (and the blob: of a model it trained, for its download), and is never framed; nosniff keeps a model file from being read as a
 * script. 'unsafe-eval' is for vega, which compiles a chart's expressions with new Function.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob:; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The model the page loads first, as /model/model.json. */
  modelDir: string;
  webDir?: string;
  /** Where each refused or failed request is told, one line each (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** A request answered with an error status and one line of text. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The decoded path of a request target, or a 400: it must be an origin-form path ("/…") that decodes. */
function targetPath(target: string | undefined): string {
  const malformed = () => new HttpError(400, `the request target ${quoted(target ?? '')} is not a path`);
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) throw malformed();
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(target, 'http://127.0.0.1').pathname);
  } catch {
    throw malformed();
  }
  if (pathname.includes('\0')) throw malformed();
  return pathname;
}

/** Opens one of our own files (the page, tfjs' .wasm) as a regular file. */
async function openOwnFile(file: string, urlPath: string): Promise<CheckedFile> {
  const handle = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK).catch(() => {
    throw new HttpError(404, `${pathShown(urlPath)} is not here`);
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new HttpError(404, `${pathShown(urlPath)} is not here`);
  }
  return { name: file, handle, size: stat.size, identity: { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs } };
}

/**
 * A file of the model directory: model.json, or one its manifest names (as tfjs' HTTP loader asks for it: the
 * path beside model.json, a subfolder included). Nothing else in the directory is served.
 */
async function openModelEntry(modelDir: string, name: string, urlPath: string): Promise<CheckedFile> {
  try {
    const modelJSON = await readModelJSON(modelDir);
    if (name === MODEL_JSON) return await openModelFile(modelJSON.root, modelJSON.file);
    const entry = manifestPaths(modelJSON.json).find((p) => path.posix.normalize(p) === path.posix.normalize(name));
    if (entry === undefined || path.posix.isAbsolute(entry) || path.posix.normalize(entry).startsWith('..')) {
      throw new HttpError(404, `${pathShown(urlPath)} is not here`);
    }
    return await openModelFile(modelJSON.root, path.join(modelDir, entry));
  } catch (error) {
    if (error instanceof ModelFileError) throw new HttpError(error.problem === 'missing' ? 404 : 403, error.message);
    // model.json itself is broken (a hand edit since serve checked it): nothing of the model can be served.
    if (error instanceof UserError) throw new HttpError(503, error.message);
    throw error;
  }
}

async function openFor(urlPath: string, webDir: string, modelDir: string): Promise<CheckedFile> {
  if (urlPath in PAGE_FILES) return openOwnFile(path.join(webDir, PAGE_FILES[urlPath]), urlPath);
  const wasm = urlPath.startsWith('/wasm/') ? urlPath.slice('/wasm/'.length) : undefined;
  if (wasm !== undefined && WASM_FILES.includes(wasm)) return openOwnFile(path.join(WASM_DIR, wasm), urlPath);
  if (urlPath.startsWith(MODEL_PREFIX) && urlPath.length > MODEL_PREFIX.length) {
    return openModelEntry(modelDir, urlPath.slice(MODEL_PREFIX.length), urlPath);
  }
  throw new HttpError(404, `${pathShown(urlPath)} is not here`);
}

/** The host names a page served from here reaches it by; any other Host is a rebinding page's or a proxy's. */
function checkHost(host: string | undefined, port: number): void {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (host === undefined || !allowed.includes(host.toLowerCase())) {
    throw new HttpError(403, `Host ${quoted(host ?? '')} is not this server (${allowed.join(' or ')})`);
  }
}

interface Context {
  webDir: string;
  modelDir: string;
  port: () => number;
  log: (line: string) => void;
}

async function respond(request: http.IncomingMessage, response: http.ServerResponse, context: Context): Promise<void> {
  checkHost(request.headers.host, context.port());
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    // node:http admits only a token as the method: nothing to escape.
    throw new HttpError(405, `${request.method} is not served here`, { Allow: ALLOW });
  }
  const urlPath = targetPath(request.url);
  const file = await openFor(urlPath, context.webDir, context.modelDir);
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': CONTENT_TYPES[path.extname(file.name)] ?? 'application/octet-stream',
    'Content-Length': file.size,
    // A model retrained in place must not come back stale.
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD' || file.size === 0) {
    await file.handle.close();
    response.end();
    return;
  }
  // Exactly the bytes the handle's stat counted; an aborted response destroys the stream, which closes the file.
  const stream = file.handle.createReadStream({ start: 0, end: file.size - 1 });
  pipeline(stream, response, (error) => {
    if (error !== undefined && error !== null && !response.destroyed) {
      context.log(`serve: ${request.method} ${quoted(request.url ?? '')} failed while sending: ${(error as Error).message}`);
    }
  });
}

function answerError(request: http.IncomingMessage, response: http.ServerResponse, error: unknown, context: Context) {
  const known = error instanceof HttpError;
  const status = known ? error.status : 500;
  const message = known ? error.message : `cannot serve it (${(error as Error).message})`;
  context.log(`serve: ${status} ${request.method} ${quoted(request.url ?? '')}: ${message}`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response
    .writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...(known ? error.headers : {}) })
    .end(`${message}\n`);
}

/** Starts serving on 127.0.0.1; refuses before listening when the page is not built. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  checkOptionsObject(options, 'options');
  if (options === undefined) throw new OptionError('{options} must give at least port and modelDir');
  checkInteger(options.port, 'port', 0, 65535);
  checkPath(options.modelDir, 'modelDir');
  if (options.webDir !== undefined) checkPath(options.webDir, 'webDir');
  const webDir = options.webDir ?? WEB_DIR;
  const page = path.join(webDir, PAGE_FILES['/']);
  if (!(await fs.stat(page).catch(() => undefined))?.isFile()) {
    throw new UserError(`the page is not built (${page} is missing): run npm run build`);
  }
  const server = http.createServer((request, response) => {
    respond(request, response, context).catch((error) => answerError(request, response, error, context));
  });
  const context: Context = {
    webDir,
    modelDir: options.modelDir,
    port: () => (server.address() as AddressInfo).port,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  server.maxConnections = MAX_CONNECTIONS;
  // A client that opens a connection and sends nothing, or sends its headers a byte at a time, is let go.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
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
