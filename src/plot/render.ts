// Turns a vega-lite spec into an SVG file, in Node, without a browser: vega-lite compiles the spec to vega,
// and a headless vega View (renderer 'none') renders it to an SVG string.
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

export interface Rendered {
  svg: string;
  /** What vega-lite and vega warned about (they would otherwise print to the console, mixing with our output). */
  warnings: string[];
}

/** A vega logger that keeps warnings and errors instead of printing them. */
function collectingLogger(warnings: string[]): vega.LoggerInterface {
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
  } as vega.LoggerInterface;
  return logger;
}

export async function renderSvg(spec: TopLevelSpec): Promise<Rendered> {
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), warnings };
  } finally {
    view.finalize();
  }
}

/** Renders `spec` to DIR/NAME (creating DIR) and returns the file's path. */
export async function writeSvg(dir: string, name: string, spec: TopLevelSpec): Promise<string> {
  const { svg } = await renderSvg(spec);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, svg);
  return file;
}
