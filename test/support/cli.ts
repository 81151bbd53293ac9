// The real rnn-adder binary as a user runs it, for the CLI tests: its stdout, stderr and exit status, and the
// bad-input contract (one clear line on stderr, a non-zero exit, never a stack trace).
import { expect } from 'chai';
import { spawn } from 'child_process';
import { CLI_MAIN } from '../../scripts/cli';

export interface CliRun {
  /** The exit code; null if a signal ended the process. */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `node dist/src/cli/main.js ...args` and collects what it printed. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs every argument list, `concurrency` processes at a time (the machine has 2 cores); results in order. */
export async function runCliAll(cases: string[][], concurrency: number, options: CliOptions = {}): Promise<CliRun[]> {
  const results: CliRun[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      results[i] = await runCli(cases[i], options);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/**
 * Nothing on stdout, exactly one line `rnn-adder: <message>` on stderr and no stack trace, and the given exit
 * status (any non-zero one if none is given). A string must equal the message; a RegExp is matched against it.
 */
export function expectOneLineError(run: CliRun, message: string | RegExp, status?: number): void {
  const context = `stderr: ${JSON.stringify(run.stderr)}`;
  expect(run.stdout, `nothing on stdout; ${context}`).to.equal('');
  expect(run.stderr.endsWith('\n') && run.stderr.split('\n').length === 2, `exactly one line; ${context}`).to.equal(true);
  expect(run.stderr.startsWith('rnn-adder: '), context).to.equal(true);
  const line = run.stderr.slice('rnn-adder: '.length, -1);
  if (message instanceof RegExp) expect(line).to.match(message);
  else expect(line).to.equal(message);
  if (status === undefined) expect(run.status, `exit status; ${context}`).to.be.above(0);
  else expect(run.status, `exit status; ${context}`).to.equal(status);
}
