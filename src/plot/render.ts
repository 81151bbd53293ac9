// Turns a vega-lite spec into an SVG file, in Node, without a browser: vega-lite compiles the spec to vega,
// and a headless vega View (renderer 'none') renders it to an SVG string.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { UserError } from '../errors';

export type { TopLevelSpec };

export interface Rendered {
  svg: string;
  /** What vega-lite and vega warned about (they would otherwise print to the console, mixing with our output). */
  warnings: string[];
}

/** vega and vega-lite take ~60 ms to load: required on first use, so that only commands that draw pay for them. */
function vegaModules(): { vega: typeof Vega; compile: typeof import('vega-lite').compile } {
  return { vega: require('vega'), compile: require('vega-lite').compile };
}

/** A vega logger that keeps warnings and errors instead of printing them. */
function collectingLogger(vega: typeof Vega, warnings: string[]): Vega.LoggerInterface {
  let level = vega.Warn;
  const keep = (...args: readonly unknown[]) => {
    warnings.push(args.map(String).join(' '));
    return logger;
  };
  const logger = {
    level: (next?: number) => (next === undefined ? level : ((level = next), logger)),
    error: keep,
    warn: keep,
    info: () => logger,
    debug: () => logger,
  } as Vega.LoggerInterface;
  return logger;
}

export async function renderSvg(spec: TopLevelSpec): Promise<Rendered> {
  const { vega, compile } = vegaModules();
  const warnings: string[] = [];
  const logger = collectingLogger(vega, warnings);
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

/** Creates the --plot directory, or says in one line why it cannot; a command calls it before its long work. */
export async function makePlotDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = errorCode(error);
    throw new UserError(
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `--plot ${dir}: expected a directory, but a file is in the way`
        : `--plot ${dir}: cannot create the directory (${code})`,
    );
  }
}

/** Renders `spec` to DIR/NAME (creating DIR) and returns the file's path. */
export async function writeSvg(dir: string, name: string, spec: TopLevelSpec): Promise<string> {
  const { svg } = await renderSvg(spec);
  await makePlotDirectory(dir);
  const file = path.join(dir, name);
  try {
    await writeFile(file, svg);
  } catch (error) {
    throw new UserError(`cannot write ${file} (${errorCode(error)})`);
  }
  return file;
}
