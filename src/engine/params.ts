// The network's parameters, their shapes per cell and their seeded initialisation.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../data/sample';
import { CellName, CELLS, InitName } from './names';

export const PARAM_NAMES = ['Wx', 'Ws', 'bs', 'Wy', 'by'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export { CELLS, CellName, INITS, InitName } from './names';

/** G, the blocks a cell's kernels hold side by side, in tfjs-layers' order: LSTM (i, f, c, o), GRU (z, r, h). */
export const GATES: Record<CellName, number> = { elman: 1, lstm: 4, gru: 3 };

/** The input width of the adders: x_t = [bit_t(a), bit_t(b)]. */
export const ADDER_INPUTS = 2;

export interface NetConfig {
  /** Absent means 'elman'. */
  cell?: CellName;
  hidden: number;
  /** false drops bs and by: the seeds' network. */
  bias: boolean;
  /** I, the width of x_t; absent means ADDER_INPUTS. */
  inputs?: number;
}

/**
 * Wx [I, G·H], Ws [H, G·H], bs [G·H] (the cell's kernel, recurrent kernel and bias, G gate blocks side by side),
 * Wy [H,1], by [1] (the readout); bs and by absent without biases. The Elman cell (G = 1) has Wx [2,H], Ws [H,H].
 */
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
  const GH = GATES[config.cell ?? 'elman'] * H;
  const I = config.inputs ?? ADDER_INPUTS;
  const shapes: Record<ParamName, number[]> = { Wx: [I, GH], Ws: [H, GH], bs: [GH], Wy: [H, 1], by: [1] };
  return Object.fromEntries(paramNames(config).map((name) => [name, shapes[name]]));
}

/** The cell whose recurrent kernel [H, G·H] has this G, or undefined when no cell has it. */
export function cellWithGates(gates: number): CellName | undefined {
  return CELLS.find((cell) => GATES[cell] === gates);
}

/** Reads the config back from a parameter set's shapes: Ws [H, G·H] gives H and the cell, Wx [I, G·H] gives I. */
export function configOf(params: Params): NetConfig {
  const [H, GH] = params.Ws.shape;
  const cell = cellWithGates(GH / H);
  if (cell === undefined) throw new Error(`configOf: Ws has shape [${params.Ws.shape}], which is no cell's [H, G·H]`);
  return { cell, hidden: H, bias: params.bs !== undefined, inputs: params.Wx.shape[0] };
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
