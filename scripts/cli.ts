// Runs the built rnn-adder CLI as a child process, as a user would: what the npm scripts, the benchmark and (through
// CLI_MAIN) test/support/cli.ts share.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';

/** dist/src/cli/main.js, from dist/scripts/. */
export const CLI_MAIN = path.join(__dirname, '..', 'src', 'cli', 'main.js');

/** Runs `rnn-adder ...args` with this process's stdio; returns its exit code. */
export function runCli(args: string[]): number {
  return spawnSync(process.execPath, [CLI_MAIN, ...args], { stdio: 'inherit' }).status ?? 1;
}

/** Runs `rnn-adder ...args` and captures its output. */
export function captureCli(args: string[], env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI_MAIN, ...args], { encoding: 'utf8', env });
}
