// `npm run readme`: runs every `$ npx rnn-adder …` line of the console blocks in README.md and docs/*.md, as
// printed, on the fresh build (wasm backend, in a sandbox holding a copy of the shipped models), and writes what
// each printed under it, cut where the block cuts it (scripts/readme-blocks.ts). Run it after a change to any
// command's output; test/scripts/readme.test.ts fails, naming the block and the command, until it is run.
//   node dist/scripts/readme.js [FILE.md …]     # default: README.md and docs/*.md
import { promises as fs } from 'fs';
import * as path from 'path';
import { consoleBlocks, documentFiles, matches, renderBlock, REPO, runShown, sandbox } from './readme-blocks';

async function regenerate(file: string): Promise<boolean> {
  const text = await fs.readFile(path.join(REPO, file), 'utf8');
  const blocks = consoleBlocks(file, text);
  if (blocks.length === 0) return false;
  const cwd = await sandbox();
  let out = '';
  let from = 0;
  try {
    for (const block of blocks) {
      const commands = block.commands.map(({ command, output }) => {
        const ran = runShown(command, cwd);
        if (ran.status !== 0) throw new Error(`${file}:${block.line}: "$ ${command}" exited ${ran.status}: ${ran.stderr.trim()}`);
        console.log(`${matches(output, ran.stdout) ? 'same   ' : 'changed'} ${file}:${block.line} $ ${command}`);
        return { command, shown: output, printed: ran.stdout };
      });
      out += text.slice(from, block.start) + renderBlock(commands);
      from = block.end;
    }
  } finally {
    await fs.rm(cwd, { recursive: true, force: true });
  }
  out += text.slice(from);
  await fs.writeFile(path.join(REPO, file), out);
  return out !== text;
}

async function main(): Promise<void> {
  const files = process.argv.length > 2 ? process.argv.slice(2) : await documentFiles();
  for (const file of files) {
    if (await regenerate(file)) console.log(`wrote ${file}`);
  }
}

main().catch((error) => {
  console.error(`readme: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
});
