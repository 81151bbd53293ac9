// The numpy peer (scripts/numpy_peer.py): found once through the interpreter's real binary, run with the machine's
// OpenBLAS overrides removed, asked which BLAS kernel and how many threads it runs.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { runJson, timedProcess } from './harness';

export const NUMPY_PEER = path.join(__dirname, '..', '..', '..', 'scripts', 'numpy_peer.py');

export interface NumpyPeer {
  /** sys.executable: python3 on PATH may be a version manager's shim that adds ~0.2 s to every start. */
  python: string;
  version: string;
  /** OpenBLAS's kernel (its core name) and thread count as the peer runs it. */
  blas: { core: string; threads: number };
}

/**
 * The environment the peer runs in: this machine may set OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (old OpenBLAS
 * builds misbehave without them), which slow a current numpy; they are dropped together, for the peer alone.
 */
export function peerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export function findNumpyPeer(): NumpyPeer | undefined {
  const probe = spawnSync('python3', ['-c', 'import sys, numpy; print(sys.executable); print(numpy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const [python, version] = probe.stdout.trim().split('\n');
  const { json } = runJson(python, [NUMPY_PEER, '--blas-info'], peerEnv());
  return { python, version, blas: json };
}

/** One run of the peer, measured from outside as rnn-adder's runs are, with its own report (its loop's seconds…). */
export function runPeer(peer: NumpyPeer, args: string[]): { seconds: number; cpuSeconds: number; json: any } {
  return timedProcess(peer.python, [NUMPY_PEER, ...args], peerEnv());
}
