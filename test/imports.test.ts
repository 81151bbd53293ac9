// The layers of src/ hold: the import graph, read from the sources, has no circle, and no part imports a part of a
// later layer. The order is written here once; README's "Layout" shows the same line. Reads files only: no tfjs.
import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const SRC = path.join(ROOT, 'src');

/**
 * The parts, bottom-up: a part may import its own files and the parts of its own or an earlier layer, never a
 * later one. A part is a folder of src/, or a file at its top (backend-choice.ts belongs to backend).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'names', 'limits', 'defaults'],
  ['data'],
  ['engine', 'backend'],
  ['tasks'],
  ['check', 'eval', 'layers'],
  ['train'],
  ['io', 'analysis'],
  ['plot'],
  ['api', 'serve'],
  ['index'],
  ['cli', 'web'],
];

/** The layers as README's "Layout" draws them. */
const LAYER_LINE = LAYERS.map((layer) => layer.join(', ')).join(' → ');

/** TypeScript sources of src/, as paths relative to src/; the AssemblyScript kernels compile apart and import nothing here. */
function sources(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'assembly' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(SRC, full)] : [];
  });
}

/** Generated at build time (the kernels' WebAssembly as base64): present or not, a leaf. */
const GENERATED = /-wasm$/;

/** import … from, export … from, import(), require(), `import type` included: a circle of types is a circle too. */
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

/** The files that `file` imports, relative to src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(IMPORT)]
    .map((m) => path.join(path.dirname(file), m[1]))
    .filter((target) => !GENERATED.test(target))
    .map((target) => {
      const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
      const found = candidates.find((c) => fs.existsSync(path.join(SRC, c)));
      if (found === undefined) throw new Error(`${file} imports ${target}, which is not in src/`);
      return found;
    });
}

function partOf(file: string): string {
  const [first] = file.split(path.sep);
  const part = first.endsWith('.ts') ? first.slice(0, -3) : first;
  return part === 'backend-choice' ? 'backend' : part;
}

/** A circle in `graph`, as the nodes along it (first = last), or undefined. */
function findCircle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'open');
    trail.push(node);
    for (const next of graph.get(node) ?? []) {
      const circle = visit(next);
      if (circle) return circle;
    }
    trail.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const circle = visit(node);
    if (circle) return circle;
  }
  return undefined;
}

describe('the layers of src/', () => {
  const files = sources();
  const fileGraph = new Map(files.map((file) => [file, new Set(importsOf(file))]));
  const partGraph = new Map<string, Set<string>>();
  for (const [file, targets] of fileGraph) {
    for (const target of targets) {
      if (partOf(target) !== partOf(file)) partGraph.set(partOf(file), (partGraph.get(partOf(file)) ?? new Set()).add(partOf(target)));
    }
  }
  const layerOf = new Map(LAYERS.flatMap((layer, i) => layer.map((part) => [part, i] as const)));

  it(`are read from ${files.length} files`, () => {
    expect(files).to.include.members(['index.ts', 'names.ts', path.join('train', 'loop.ts'), path.join('cli', 'main.ts')]);
    expect(fileGraph.get(path.join('train', 'loop.ts')), 'train/loop.ts imports').to.include(path.join('train', 'config.ts'));
  });

  it('give every part a layer', () => {
    const parts = [...new Set(files.map(partOf))];
    expect(parts.filter((part) => !layerOf.has(part)), 'parts in no layer').to.deep.equal([]);
  });

  it('have no import circle between files', () => {
    const circle = findCircle(fileGraph);
    expect(circle, `circle: ${circle?.join(' → ')}`).to.equal(undefined);
  });

  it('have no import circle between parts', () => {
    const circle = findCircle(partGraph);
    expect(circle, `circle: ${circle?.join(' → ')}`).to.equal(undefined);
  });

  it('have no part importing a part of a later layer', () => {
    const back: string[] = [];
    for (const [file, targets] of fileGraph) {
      for (const target of targets) {
        if (layerOf.get(partOf(target))! > layerOf.get(partOf(file))!) back.push(`${file} → ${target}`);
      }
    }
    expect(back, `imports of a later layer (${LAYER_LINE})`).to.deep.equal([]);
  });

  it('are the ones README\'s "Layout" draws', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('\n## Layout');
    const end = readme.indexOf('\n## ', start + 1);
    expect(start, 'README.md has a "Layout" section').to.be.above(0);
    expect(readme.slice(start, end < 0 ? undefined : end), 'README.md, "Layout"').to.include(LAYER_LINE);
  });
});

describe('test/ mirrors src/', () => {
  it('groups its test files in folders named after the parts they test (support/ and scripts/ besides)', () => {
    const TEST = path.join(ROOT, 'test');
    const parts = new Set(LAYERS.flat());
    const folders = fs.readdirSync(TEST, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((name) => !parts.has(name) && name !== 'support' && name !== 'scripts'), 'folders that are no part of src/').to.deep.equal([]);
    // At the top only the files about the whole package: its layers, its errors, its modules alone, its tarball.
    const top = fs.readdirSync(TEST).filter((name) => name.endsWith('.test.ts'));
    expect(top.sort()).to.deep.equal(['errors.test.ts', 'imports.test.ts', 'package.test.ts', 'self-sufficient.test.ts']);
  });
});
