// The console blocks of README.md and docs/*.md: each `$ npx rnn-adder …` line and the output printed under it,
// run as printed and compared with what the page shows. What `npm run readme` (scripts/readme.ts) regenerates and
// test/scripts/readme.test.ts checks.
//
// A shown output may leave lines out: a line that is only `…` stands for the lines between the ones shown above
// it and below it (one such line a command), and a line ending in `…` for the rest of that line. Regenerating
// keeps the same cuts. Before comparing, what changes from run to run is masked: durations ("in 2.43 s") and the
// sandbox's absolute path (printed as /…).
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_MAIN } from './cli';

export const REPO = path.join(__dirname, '..', '..');

/** The files whose console blocks are checked, relative to the repository. */
export async function documentFiles(): Promise<string[]> {
  const docs = (await fs.readdir(path.join(REPO, 'docs'))).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => path.join('docs', f))];
}

/** One `$ command` of a block and the lines printed under it. */
export interface Shown {
  command: string;
  output: string[];
}

export interface ConsoleBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Character range of the block's body (between the fences) in the file's text. */
  start: number;
  end: number;
  commands: Shown[];
}

/** Every ```console block of a markdown text. */
export function consoleBlocks(file: string, text: string): ConsoleBlock[] {
  const blocks: ConsoleBlock[] = [];
  const fence = /^```console\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(text); match !== null; match = fence.exec(text)) {
    const start = match.index + '```console\n'.length;
    const commands: Shown[] = [];
    for (const line of match[1].replace(/\n$/, '').split('\n')) {
      if (line.startsWith('$ ')) commands.push({ command: line.slice(2), output: [] });
      else if (commands.length === 0) throw new Error(`${file}: a console block starts with "${line}", not a $ command`);
      else commands[commands.length - 1].output.push(line);
    }
    blocks.push({ file, line: text.slice(0, match.index).split('\n').length, start, end: start + match[1].length, commands });
  }
  return blocks;
}

/** A command line split as a POSIX shell splits plain words and quoted strings (no variables, no globs). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  const word = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = word.exec(command); m !== null; m = word.exec(command)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/** The arguments after `npx rnn-adder`; anything else is not a command this check can run. */
export function cliArguments(command: string): string[] {
  const [npx, name, ...args] = shellWords(command);
  if (npx !== 'npx' || name !== 'rnn-adder') throw new Error(`"$ ${command}": only npx rnn-adder commands are run`);
  return args;
}

/**
 * Commands too slow for the test suite (more than a few seconds here), with the arguments the test adds to
 * shorten them, the exit status the shortened run ends with, and the number of output lines it then compares
 * (the lines that do not depend on the run's length). `npm run readme` runs them in full.
 */
export const SHORTENED: Record<string, { extra: string[]; status: number; compareLines: number }> = {
  // 38,528 sequences, ~5 s of CPU; 640 do not solve it (exit 1), but the first line says the recipe.
  'npx rnn-adder train --task adding-problem --cell lstm --seed 1': { extra: ['--max-samples', '640'], status: 1, compareLines: 1 },
};

/** A directory holding a copy of the shipped models, where the commands run: nothing they write lands in the repository. */
export async function sandbox(): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'rnn-adder-readme-')));
  const pkg = JSON.parse(await fs.readFile(path.join(REPO, 'package.json'), 'utf8')) as { files: string[] };
  for (const model of pkg.files.filter((f) => f.startsWith('models/'))) {
    await fs.cp(path.join(REPO, model), path.join(dir, model), { recursive: true });
  }
  return dir;
}

export interface Ran {
  status: number | null;
  stdout: string[];
  stderr: string;
}

/** Runs a command as printed (or with `extra` arguments) in the sandbox, on the wasm backend the docs show. */
export function runShown(command: string, cwd: string, extra: string[] = []): Ran {
  const run = spawnSync(process.execPath, [CLI_MAIN, ...cliArguments(command), ...extra], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, RNN_ADDER_BACKEND: 'wasm' },
  });
  const stdout = run.stdout.replace(/\n$/, '').split(cwd).join('/…');
  return { status: run.status, stdout: stdout === '' ? [] : stdout.split('\n'), stderr: run.stderr };
}

/** What varies from run to run, masked: durations. */
export function mask(line: string): string {
  return line.replace(/\b\d+(\.\d+)? (s|ms)\b/g, '<time> $2');
}

const ELIDED = '…';

/** The index of the line that stands for left-out lines (`…` alone, indented or not), or −1. */
function cutAt(shown: string[]): number {
  return shown.findIndex((line) => line.trim() === ELIDED);
}

/** A printed line against a shown one: equal once masked, or, where the shown line ends in `…`, starting alike. */
function sameLine(shown: string, printed: string): boolean {
  return shown.endsWith(ELIDED) ? mask(printed).startsWith(mask(shown.slice(0, -ELIDED.length))) : mask(printed) === mask(shown);
}

/** Whether printed output matches what a block shows, cuts and masks applied. */
export function matches(shown: string[], printed: string[]): boolean {
  const cut = cutAt(shown);
  const head = cut < 0 ? shown : shown.slice(0, cut);
  const tail = cut < 0 ? [] : shown.slice(cut + 1);
  if (cut < 0 ? printed.length !== shown.length : printed.length < head.length + tail.length) return false;
  return head.every((w, i) => sameLine(w, printed[i])) && tail.every((w, i) => sameLine(w, printed[printed.length - tail.length + i]));
}

/**
 * The printed output cut as the block cut what it shows: the same head and tail, lines shortened alike. A line
 * that still matches is kept as shown, so a regeneration changes only what changed (not every duration).
 */
export function cutLike(shown: string[], printed: string[]): string[] {
  const cut = cutAt(shown);
  if (cut < 0) return printed.map((line, i) => keepOrCut(shown[i], line));
  const tail = shown.length - cut - 1;
  const head = printed.slice(0, cut).map((line, i) => keepOrCut(shown[i], line));
  const end = printed.slice(printed.length - tail).map((line, i) => keepOrCut(shown[cut + 1 + i], line));
  return [...head, shown[cut], ...end];
}

function keepOrCut(shown: string | undefined, line: string): string {
  if (shown === undefined) return line;
  if (sameLine(shown, line)) return shown;
  return shown.endsWith(ELIDED) ? line.slice(0, shown.length - ELIDED.length) + ELIDED : line;
}

/** A block's body as printed now: each command with its output cut like the old one's. */
export function renderBlock(commands: { command: string; shown: string[]; printed: string[] }[]): string {
  return commands.flatMap(({ command, shown, printed }) => [`$ ${command}`, ...cutLike(shown, printed)]).join('\n') + '\n';
}

/** A readable account of a drift: which block, which command, what it shows and what it printed. */
export function driftReport(block: ConsoleBlock, shown: Shown, printed: string[]): string {
  return [
    `${block.file}:${block.line}: "$ ${shown.command}" drifted (npm run readme regenerates it)`,
    '--- shown',
    ...shown.output.map((l) => `  ${l}`),
    '+++ printed now',
    ...printed.map((l) => `  ${l}`),
  ].join('\n');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a markdown text's headings (outside code blocks), each as GitHub numbers repeats. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const prose = text.replace(/^```[\s\S]*?^```$/gm, '');
  for (const [, heading] of prose.matchAll(/^#{1,6} (.+)$/gm)) {
    const anchor = headingAnchor(heading);
    const n = seen.get(anchor) ?? 0;
    anchors.add(n === 0 ? anchor : `${anchor}-${n}`);
    seen.set(anchor, n + 1);
  }
  return anchors;
}

/** The relative links of a markdown text (`[text](target)`, not URLs), as written. */
export function relativeLinks(text: string): string[] {
  const prose = text.replace(/^```[\s\S]*?^```$/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/.test(t));
}

/** The `rnn-adder …` command lines of a markdown text's fenced code blocks (console or sh), comments cut off. */
export function commandLines(text: string): string[] {
  const blocks = [...text.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/^\$ /, '').replace(/\s+#.*$/, ''))
    .filter((line) => /^(npx )?rnn-adder /.test(line));
}
