// One `rnn-adder train --bits N --seed S` as its own process, as a user runs it, with the profile hook preloaded
// (profile-hook.ts): its wall time as this process sees it, its CPU time, and, with `detail`, where both went.
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { BackendName } from 'rnn-adder';
import { CLI_MAIN } from '../cli';
import { timedJson } from './harness';
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
  profile: Profile;
}

export async function trainProcess(bits: number, seed: number, backend: BackendName, dir: string, detail = false): Promise<CliRun> {
  const out = path.join(dir, `adder-${bits}-${seed}`);
  const profileFile = path.join(dir, `profile-${bits}-${seed}.json`);
  const args = ['train', '--bits', String(bits), '--seed', String(seed), '--out', out, '--backend', backend, '--json'];
  const env = { ...process.env, RNN_ADDER_BENCH_PROFILE: profileFile, RNN_ADDER_BENCH_DETAIL: detail ? '1' : '0' };
  const { seconds, json } = timedJson(`rnn-adder ${args.join(' ')}`, () =>
    spawnSync(process.execPath, ['-r', HOOK, CLI_MAIN, ...args], { encoding: 'utf8', env }),
  );
  const profile = JSON.parse(await fs.readFile(profileFile, 'utf8')) as Profile;
  await fs.rm(out, { recursive: true, force: true });
  return {
    seed,
    wallSeconds: +seconds.toFixed(3),
    cpuSeconds: +(profile.total.cpuMs / 1000).toFixed(3),
    trainSeconds: +json.seconds.toFixed(3),
    samples: json.samples,
    exact: json.exact,
    profile,
  };
}
