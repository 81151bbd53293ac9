// The PyTorch peers (scripts/torch_peer.py): the interpreter RNN_ADDER_TORCH_PYTHON names (a venv's python with
// PyTorch 2, made as docs/benchmarks.md says) and Debian's python3-torch (/usr/bin/python3), each found once and
// asked its version, BLAS and oneDNN; one that is missing or fails is "not available", never an error.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CellName } from 'rnn-adder';
import { runJson } from '../harness';
import { peerEnv } from '../peer';

export const TORCH_PEER = path.join(__dirname, '..', '..', '..', '..', 'scripts', 'torch_peer.py');
export const TORCH_PYTHON_VARIABLE = 'RNN_ADDER_TORCH_PYTHON';
/** Debian's python, whose python3-torch is 1.13 on reference BLAS: a weak peer, kept for machines without PyTorch 2. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface TorchPeer {
  /** sys.executable of the interpreter. */
  python: string;
  torch: string;
  blas: string;
  onednn: boolean;
  /** "PyTorch 2.13.0+cpu", as the tables name it. */
  label: string;
}

/** One candidate interpreter's peer, or why it is not available. */
function probe(python: string): TorchPeer | string {
  const found = spawnSync(python, ['-c', 'import sys, torch; print(sys.executable)'], { encoding: 'utf8', env: peerEnv() });
  if (found.error || found.status !== 0) return `${python}: no torch (${found.error?.message ?? String(found.stderr).trim().split('\n').pop()})`;
  const executable = found.stdout.trim();
  const { json } = runJson(executable, [TORCH_PEER, '--info'], peerEnv());
  return { python: executable, ...json, label: `PyTorch ${json.torch}` };
}

/** The peers here, the named interpreter first, each interpreter once; `missing` says why a candidate is not one. */
export function findTorchPeers(env: NodeJS.ProcessEnv = process.env): { peers: TorchPeer[]; missing: string[] } {
  const candidates = [env[TORCH_PYTHON_VARIABLE], DEBIAN_PYTHON].filter((p): p is string => p !== undefined && p !== '');
  const peers: TorchPeer[] = [];
  const missing: string[] = [];
  for (const python of candidates) {
    const peer = probe(python);
    if (typeof peer === 'string') missing.push(peer);
    else if (!peers.some((p) => p.python === peer.python)) peers.push(peer);
  }
  return { peers, missing };
}

export interface TorchRow {
  units: number;
  threads: number;
  /** Steps per timed block: as many as fill 50 ms. */
  callsPerBlock: number;
  /** Wall ms per step in the best and the median block; CPU ms per step (all threads) in the least busy block. */
  msPerStep: number;
  medianMs: number;
  cpuMsPerStep: number;
}

/** The peer's warm steps of one cell (nn.RNN for the Elman) at every hidden size and thread count, in one process. */
export function runTorchPeer(peer: TorchPeer, cell: CellName, units: number[], threads: number[]): TorchRow[] {
  const args = [TORCH_PEER, '--cell', cell, '--units', units.join(','), '--threads', threads.join(',')];
  return runJson(peer.python, args, peerEnv()).json.rows;
}
