// Preloaded into a `rnn-adder` process (`node -r profile-hook.js dist/src/cli/main.js …`) by the start-up suite;
// writes, at exit, to the file named by RNN_ADDER_BENCH_PROFILE, the process's CPU time (user + system, since the
// process began) and wall time, split: every moment after this hook starts is charged to the innermost of what is running then, a module being loaded (grouped by
// package, or by folder of src/) or one of the PHASES below, else to "other" (the CLI's main module at work:
// building and parsing its commands, printing; and the exit); "node start" is what came before the hook (Node's own start-up). The src/ code is not changed: a phase
// is timed by wrapping its function on the exports object its callers read it from.
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';

/** A function of the built package timed as a phase: its module (under dist/), its export, the phase's name. */
const PHASES: { file: string; name: string; phase: string }[] = [
  { file: 'src/backend.js', name: 'initBackend', phase: 'backend' },
  { file: 'src/train/loop.js', name: 'runTraining', phase: 'training' },
  { file: 'src/train/exactness.js', name: 'preCheckPasses', phase: 'pre-checks' },
  { file: 'src/train/exactness.js', name: 'fullCheck', phase: 'full checks' },
  { file: 'src/io/save.js', name: 'saveModel', phase: 'saving' },
];

export interface Account {
  wallMs: number;
  cpuMs: number;
  count: number;
}

export interface Profile {
  /** Wall (since Node's time origin) and CPU time (since the process began) when this hook started. */
  nodeStart: { wallMs: number; cpuMs: number };
  total: { wallMs: number; cpuMs: number };
  /** "load <group>", the phases, "other". */
  accounts: Record<string, Account>;
  /** PHASES entries never timed: their module was not loaded or had no such export (renamed: fix PHASES). */
  missing: string[];
}

const cpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

const profile: Profile = {
  nodeStart: { wallMs: performance.now(), cpuMs: cpuMs() },
  total: { wallMs: 0, cpuMs: 0 },
  accounts: {},
  missing: [],
};

/** Where a loaded file belongs: its npm package, the folder of dist/src/ (or the file at its top), or Node itself. */
function groupOf(filename: string): string {
  const modules = `node_modules${path.sep}`;
  const at = filename.lastIndexOf(modules);
  if (at >= 0) {
    const [scope, name] = filename.slice(at + modules.length).split(path.sep);
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const src = `${path.sep}dist${path.sep}src${path.sep}`;
  const inSrc = filename.indexOf(src);
  if (inSrc >= 0) {
    const parts = filename.slice(inSrc + src.length).split(path.sep);
    return `src/${parts.length > 1 ? parts[0] : parts[0].replace(/\.js$/, '')}`;
  }
  return path.isAbsolute(filename) ? 'other files' : 'node builtins';
}

function profileLoadsAndPhases(): void {
  const { accounts, missing } = profile;
  const wrapped = new Set<(typeof PHASES)[number]>();
  const stack = ['other'];
  let mark = { wallMs: profile.nodeStart.wallMs, cpuMs: profile.nodeStart.cpuMs };
  const charge = () => {
    const now = { wallMs: performance.now(), cpuMs: cpuMs() };
    const account = (accounts[stack[stack.length - 1]] ??= { wallMs: 0, cpuMs: 0, count: 0 });
    account.wallMs += now.wallMs - mark.wallMs;
    account.cpuMs += now.cpuMs - mark.cpuMs;
    mark = now;
  };
  const enter = (label: string) => {
    charge();
    stack.push(label);
    (accounts[label] ??= { wallMs: 0, cpuMs: 0, count: 0 }).count++;
  };
  const leave = () => {
    charge();
    stack.pop();
  };
  /** f, charging its calls to `phase` (until its promise settles, for an async one). */
  const timed = (phase: string, f: (...args: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      enter(phase);
      let result: unknown;
      try {
        result = f.apply(this, args);
      } catch (error) {
        leave();
        throw error;
      }
      if (result instanceof Promise) return result.finally(leave);
      leave();
      return result;
    };
  const loader = Module as unknown as {
    _load(request: string, parent: unknown, isMain: boolean): any;
    _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
    _cache: Record<string, unknown>;
  };
  const load = loader._load;
  loader._load = function (request: string, parent: unknown, isMain: boolean) {
    let filename: string;
    try {
      filename = loader._resolveFilename(request, parent, isMain);
    } catch {
      return load.call(this, request, parent, isMain);
    }
    // The main module's own top-level code is the CLI at work (building and parsing its commands), not loading.
    if (isMain || filename in loader._cache) return load.call(this, request, parent, isMain);
    enter(`load ${groupOf(filename)}`);
    let exports: any;
    try {
      exports = load.call(this, request, parent, isMain);
    } finally {
      leave();
    }
    for (const entry of PHASES) {
      if (!filename.endsWith(path.join('dist', entry.file)) || typeof exports?.[entry.name] !== 'function') continue;
      exports[entry.name] = timed(entry.phase, exports[entry.name]);
      wrapped.add(entry);
    }
    return exports;
  };
  process.on('exit', () => {
    charge();
    missing.push(...PHASES.filter((entry) => !wrapped.has(entry)).map(({ file, name }) => `${file} ${name}`));
  });
}

const out = process.env.RNN_ADDER_BENCH_PROFILE;
if (out !== undefined) {
  profileLoadsAndPhases();
  process.on('exit', () => {
    profile.total = { wallMs: performance.now(), cpuMs: cpuMs() };
    fs.writeFileSync(out, JSON.stringify(profile));
  });
}
