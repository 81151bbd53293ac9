// The network's parameters, their shapes (DESIGN.md) and their seeded initialisation.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../data/sample';
import { InitName } from './names';

export const PARAM_NAMES = ['Wx', 'Ws', 'bs', 'Wy', 'by'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export { INITS, InitName } from './names';

export interface NetConfig {
  hidden: number;
  /** I, the input width: 2 (addition's default, and the adding problem's) or 1 (echo). */
  inputs?: number;
  /** false drops bs and by: the seeds' network. */
  bias: boolean;
}

/** Wx [I,H], Ws [H,H], bs [H], Wy [H,1], by [1]; bs and by absent without biases. */
export type Params<T = tf.Tensor> = {
  Wx: T;
  Ws: T;
  bs?: T;
  Wy: T;
  by?: T;
};

/** A gradient has one entry per parameter, with the parameter's shape. */
export type Grads<T = tf.Tensor> = Params<T>;

export function paramNames(config: NetConfig): ParamName[] {
  return config.bias ? [...PARAM_NAMES] : ['Wx', 'Ws', 'Wy'];
}

export function paramShapes(config: NetConfig): Partial<Record<ParamName, number[]>> {
  const H = config.hidden;
  const shapes: Record<ParamName, number[]> = { Wx: [config.inputs ?? 2, H], Ws: [H, H], bs: [H], Wy: [H, 1], by: [1] };
  return Object.fromEntries(paramNames(config).map((name) => [name, shapes[name]]));
}

/** Reads the config back from a parameter set's shapes. */
export function configOf(params: Params): NetConfig {
  return { hidden: params.Ws.shape[0], inputs: params.Wx.shape[0], bias: params.bs !== undefined };
}

/**
 * Seeded initial values: uniform(−1, 1) as the seeds, or glorot uniform(±√(6/(fan_in+fan_out))) for the
 * weights; biases start at 0 under glorot. Generated in JS so a seed gives the same weights on every backend.
 */
export function initParams(config: NetConfig, seed: number, init: InitName = 'uniform'): Params {
  const rng = seededRng(seed);
  const shapes = paramShapes(config);
  const params: Partial<Params> = {};
  for (const name of paramNames(config)) {
    const shape = shapes[name]!;
    const size = tf.util.sizeFromShape(shape);
    const isBias = shape.length === 1;
    const limit = init === 'uniform' ? 1 : isBias ? 0 : Math.sqrt(6 / (shape[0] + shape[1]));
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (2 * rng() - 1) * limit;
    params[name] = tf.tensor(values, shape);
  }
  return params as Params;
}

export function disposeParams(params: Partial<Params>): void {
  for (const name of PARAM_NAMES) params[name]?.dispose();
}

/** Applies f to every parameter that is present, keeping the names. */
export function mapParams<A, B>(params: Params<A>, f: (value: A, name: ParamName) => B): Params<B> {
  const out: Partial<Params<B>> = {};
  for (const name of PARAM_NAMES) {
    const value = params[name];
    if (value !== undefined) out[name] = f(value, name);
  }
  return out as Params<B>;
}
