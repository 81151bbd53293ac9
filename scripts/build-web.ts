// Bundles the page (src/web) into dist/web with esbuild: app.js for the page, worker.js for the training worker,
// both from the same src/ as the CLI, plus index.html and style.css. `npm run build` runs it after tsc, so the
// shipped dist/ holds the page and `rnn-adder serve` needs no bundler at run time.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'fs/promises';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const src = path.join(root, 'src', 'web');
const out = path.join(root, 'dist', 'web');
const { version } = require(path.join(root, 'package.json')) as { version: string };

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  await build({
    entryPoints: { app: path.join(src, 'main.ts'), worker: path.join(src, 'worker.ts') },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // BigInt (the operands) needs ES2020.
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    define: { RNN_ADDER_VERSION: JSON.stringify(version) },
    logLevel: 'warning',
  });
  await Promise.all(['index.html', 'style.css'].map((file) => copyFile(path.join(src, file), path.join(out, file))));
}

main().catch((error) => {
  console.error(`build-web: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
