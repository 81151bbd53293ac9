// V8's code cache for the binary's modules (Node 20 has no module.enableCompileCache): each CommonJS module is
// compiled with the bytecode a previous run left in dist/.code-cache, and a module compiled without it leaves
// its own when the process exits. Loading is most of a short command's CPU time: the cache took ~17% off the
// CPU time of a whole `train --bits 8`. V8 refuses bytecode made from other source or by another V8
// (cachedDataRejected), and the module then compiles as usual; a cache is named by the module's source, so a
// rebuilt or upgraded file is never run with another's bytecode.
// Imported first by main.ts, before any other module loads; anything that goes wrong here only costs the saving.
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as vm from 'vm';

/** dist/.code-cache: beside dist/src, so `npm run build` clears it and `npm pack` leaves it out. */
const CACHE_DIR = path.join(__dirname, '..', '..', '.code-cache');

/** Module.prototype._compile, which @types/node does not declare. */
type Compile = (this: Module, content: string, filename: string) => unknown;

/**
 * The cache file of a module's path and source. The source is in the name because V8's own check compares little
 * more than the source's length: a rebuilt file of the same length must not meet its old bytecode.
 */
function cacheFile(filename: string, content: string): string {
  return path.join(CACHE_DIR, createHash('sha1').update(filename).update('\0').update(content).digest('hex'));
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes each new cache whole (a temporary file renamed), so that parallel runs never read half of one. */
function writeCaches(scripts: Map<string, vm.Script>): void {
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    for (const [file, script] of scripts) {
      const temporary = `${file}.${process.pid}`;
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, file);
    }
  } catch {
    // A read-only install runs without the cache.
  }
}

function installCodeCache(): void {
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const compile = prototype._compile;
  const fresh = new Map<string, vm.Script>();
  prototype._compile = function (this: Module, content: string, filename: string): unknown {
    // A vm.Script has no loader for import() (Node's is experimental in vm): such a module compiles as Node would.
    if (content.includes('import(')) return compile.call(this, content, filename);
    const file = cacheFile(filename, content);
    // Node's own wrapper, and its removal of a #! line, so that the compiled source is the one Node would compile.
    const source = Module.wrap(content.replace(/^#!.*/, ''));
    const script = new vm.Script(source, { filename, cachedData: readCache(file) });
    if (script.cachedDataRejected !== false) fresh.set(file, script);
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    const require = Module.createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  // At exit, so that the cache holds the functions the run compiled lazily as well.
  process.once('exit', () => writeCaches(fresh));
}

installCodeCache();
