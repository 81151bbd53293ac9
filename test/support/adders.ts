// Fixture models for the io and CLI tests: untrained ones from initParams, and a hand-built exact adder.
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { saveModel } from '../../src/io';
import { ModelMetadata } from '../../src/io/metadata';
import { configOf, NetConfig, Params } from '../../src/engine/params';

/** Metadata that fits the parameters, as a training run would record it. */
export function fixtureMetadata(config: NetConfig, bits = 8): ModelMetadata {
  return {
    bits,
    cell: config.cell ?? 'elman',
    hidden: config.hidden,
    loss: 'mse',
    bias: config.bias,
    init: 'uniform',
    optimizer: 'sgd',
    learningRate: 0.5,
    batch: 1,
    engine: 'bptt',
    seed: 1,
    samples: 0,
    seconds: 0,
    accuracy: { value: 0, method: 'exhaustive', count: 4 ** bits },
    version: '0.0.0-test',
    backend: 'test',
    savedAt: '2024-01-01T00:00:00.000Z',
  };
}

/**
 * An adder by hand, exact at any width (H = 3, sigmoid units used as thresholds with gain K):
 * u_i = [a_t + b_t + c_{t−1} ≥ i − ½] for i = 1, 2, 3, where the carry c_t = u_2 feeds back through Ws,
 * and the sum bit is u_1 − u_2 + u_3, the parity of the count of ones.
 */
export function exactAdderParams(): Params {
  const K = 20;
  return {
    Wx: tf.tensor2d([[K, K, K], [K, K, K]]),
    Ws: tf.tensor2d([[0, 0, 0], [K, K, K], [0, 0, 0]]),
    bs: tf.tensor1d([-0.5 * K, -1.5 * K, -2.5 * K]),
    Wy: tf.tensor2d([[K], [-K], [K]]),
    by: tf.tensor1d([-0.5 * K]),
  };
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `rnn-adder-${prefix}-`));
}

export async function saveFixture(dir: string, params: Params, bits = 8): Promise<string> {
  await saveModel(dir, params, fixtureMetadata(configOf(params), bits));
  return dir;
}

/** Every file under dir with its bytes, to show a failing command left a model untouched. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    out[name] = (await fs.readFile(path.join(dir, name))).toString('base64');
  }
  return out;
}

/** Rewrites dir/model.json through f (for corrupt-model cases). */
export async function editModelJSON(dir: string, f: (json: any) => void): Promise<void> {
  const file = path.join(dir, 'model.json');
  const json = JSON.parse(await fs.readFile(file, 'utf8'));
  f(json);
  await fs.writeFile(file, JSON.stringify(json));
}
