// `rnn-adder train --bits N --seed S` as its own process, as a user runs it: measured from outside for the
// whole-process suite, or with the profile hook preloaded (profile-hook.ts) for the start-up suite.
import { promises as fs } from 'fs';
import * as path from 'path';
import { BackendName } from 'rnn-adder';
import { CLI_MAIN } from '../cli';
import { timedProcess } from './harness';
import type { Profile } from './profile-hook';

const HOOK = path.join(__dirname, 'profile-hook.js');

export interface CliRun {
  seed: number;
  /** The whole process, start-up and saving included. */
  wallSeconds: number;
  cpuSeconds: number;
  /** The training loop alone, as the run itself reports it. */
  trainSeconds: number;
  samples: number;
  exact: boolean;
}

/** Trains into a fresh directory under `dir` (removed after), with `node …preload` before the CLI. */
async function train(bits: number, seed: number, backend: BackendName, dir: string, preload: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const out = path.join(dir, `adder-${bits}-${seed}`);
  const args = ['train', '--bits', String(bits), '--seed', String(seed), '--out', out, '--backend', backend, '--json'];
  const { seconds, cpuSeconds, json } = timedProcess(process.execPath, [...preload, CLI_MAIN, ...args], env);
  await fs.rm(out, { recursive: true, force: true });
  return { seed, wallSeconds: +seconds.toFixed(3), cpuSeconds, trainSeconds: +json.seconds.toFixed(3), samples: json.samples, exact: json.exact };
}

export function trainProcess(bits: number, seed: number, backend: BackendName, dir: string): Promise<CliRun> {
  return train(bits, seed, backend, dir, [], process.env);
}

/** The same run with the profile hook: where its time went. */
export async function profiledTrainProcess(bits: number, seed: number, backend: BackendName, dir: string): Promise<CliRun & { profile: Profile }> {
  const file = path.join(dir, `profile-${bits}-${seed}.json`);
  const run = await train(bits, seed, backend, dir, ['-r', HOOK], { ...process.env, RNN_ADDER_BENCH_PROFILE: file });
  return { ...run, profile: JSON.parse(await fs.readFile(file, 'utf8')) as Profile };
}
