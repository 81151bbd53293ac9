// The package as a user gets it: `npm pack`, then installed into a fresh project. Offline, and without a
// registry's package list: the project's lockfile is this repository's (its runtime entries), so `npm ci --offline`
// takes every dependency from the npm cache that installing this repository filled.
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.join(__dirname, '..', '..', '..');

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel', 'error'], { cwd, encoding: 'utf8' });

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

/** Packs the repository (its built dist/) and installs the tarball into a new project; returns the project's path. */
export async function installPacked(): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-packed-'));
  // --ignore-scripts: dist/ is already built (the tests run from it); `prepare` would build it again.
  const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', root], REPO).trim().split('\n').pop()!;
  const project = path.join(root, 'project');
  await fs.mkdir(project);
  const spec = `file:../${tarball}`;
  const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8'));
  const lock = JSON.parse(await fs.readFile(path.join(REPO, 'package-lock.json'), 'utf8'));
  const packages: Record<string, LockEntry> = { '': { name: 'project', dependencies: { 'rnn-adder': spec } } };
  for (const [where, entry] of Object.entries(lock.packages as Record<string, LockEntry>)) {
    if (where !== '' && !entry.dev) packages[where] = entry;
  }
  const { version, license, dependencies, optionalDependencies, bin, engines } = pkg;
  packages['node_modules/rnn-adder'] = { version, resolved: spec, license, dependencies, optionalDependencies, bin, engines };
  await fs.writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'project', private: true, dependencies: { 'rnn-adder': spec } }));
  await fs.writeFile(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'project', lockfileVersion: 3, requires: true, packages }));
  // tfjs-node (optional) downloads libtensorflow when installed: left out, as on any offline machine.
  npm(['ci', '--offline', '--omit=optional', '--ignore-scripts'], project);
  return project;
}

/** The TypeScript example under a README heading, exactly as printed. */
export async function readmeExample(heading: string): Promise<string> {
  const readme = await fs.readFile(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(`\n## ${heading}\n`)[1];
  const code = section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section.split('\n## ')[0]);
  if (code === undefined || code === null) throw new Error(`README.md has no \`\`\`ts block under "## ${heading}"`);
  return code[1];
}
