// The network's parameters, their shapes per cell (docs/model-format.md) and their seeded initialisation.
import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../data/sample';
import { CellName, CELLS, InitName } from '../names';

export const PARAM_NAMES = ['Wx', 'Ws', 'bs', 'Wy', 'by'] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export { CELLS, CellName, INITS, InitName } from '../names';

/** G, the blocks a cell's kernels hold side by side, in tfjs-layers' order: LSTM (i, f, c, o), GRU (z, r, h). */
export const GATES: Record<CellName, number> = { elman: 1, lstm: 4, gru: 3 };

/** The input width of the adders: x_t = [bit_t(a), bit_t(b)]. */
export const ADDER_INPUTS = 2;

export interface NetConfig {
  /** Absent means 'elman'. */
  cell?: CellName;
  hidden: number;
  /** false drops bs and by: the network of Trask's numpy adder. */
  bias: boolean;
  /** I, the width of x_t; absent means ADDER_INPUTS. */
  inputs?: number;
}

/**
 * The five parameters by name, whatever holds them: `Wx`, `Ws`, `Wy` are matrices, `bs`, `by` vectors (absent
 * without biases): Wx [I, G·H], Ws [H, G·H], bs [G·H] (the cell's kernel, recurrent kernel and bias, G gate
 * blocks side by side in tfjs-layers' order), Wy [H, 1], by [1] (the readout). The Elman cell (G = 1) has
 * Wx [2, H], Ws [H, H].
 */
export type ParamSet<Matrix, Vector> = {
  Wx: Matrix;
  Ws: Matrix;
  bs?: Vector;
  Wy: Matrix;
  by?: Vector;
};

/**
 * The network's parameters as tensors, in the shapes of ParamSet.
 * @example
 *   const p: Params = initParams({ hidden: 16, bias: true }, 0);
 *   p.Ws.shape; // [16, 16]
 */
export type Params = ParamSet<tf.Tensor2D, tf.Tensor1D>;

/** A gradient has one entry per parameter, with the parameter's shape. */
export type Grads = Params;

/** Parameters (or gradients) as nested arrays in the same shapes, as `arraySync` reads them: Wx [2][H], …, by [1]. */
export type PlainParams = ParamSet<number[][], number[]>;

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
 * Seeded initial values: uniform(−1, 1) as Trask's numpy adder, or glorot uniform(±√(6/(fan_in+fan_out))) for
 * the weights; biases start at 0 under glorot. Generated in JS so a seed gives the same weights on every backend.
 * @example
 *   const p = initParams({ hidden: 16, bias: true }, 0);
 *   // … forward(p, x) …
 *   disposeParams(p);
 */
export function initParams(config: NetConfig, seed: number, init: InitName = 'uniform'): Params {
  const rng = seededRng(seed);
  const shapes = paramShapes(config);
  const params: Partial<Record<ParamName, tf.Tensor>> = {};
  for (const name of paramNames(config)) {
    const shape = shapes[name]!;
    const size = tf.util.sizeFromShape(shape);
    const isBias = shape.length === 1;
    const limit = init === 'uniform' ? 1 : isBias ? 0 : Math.sqrt(6 / (shape[0] + shape[1]));
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (2 * rng() - 1) * limit;
    params[name] = tf.tensor(values, shape);
  }
  // The ranks are paramShapes': matrices for Wx, Ws, Wy, vectors for bs, by.
  return params as Params;
}

/** Frees every tensor of a parameter set (or of a gradient). */
export function disposeParams(params: Partial<Params>): void {
  for (const name of PARAM_NAMES) params[name]?.dispose();
}

/** A parameter set converted entry by entry, matrices by `matrix` and vectors by `vector`, keeping the names. */
export function convertParams<M, V, M2, V2>(
  params: ParamSet<M, V>,
  matrix: (value: M, name: ParamName) => M2,
  vector: (value: V, name: ParamName) => V2,
): ParamSet<M2, V2> {
  // In PARAM_NAMES order, which JSON output (`grads --json`) keeps.
  return {
    Wx: matrix(params.Wx, 'Wx'),
    Ws: matrix(params.Ws, 'Ws'),
    ...(params.bs !== undefined && { bs: vector(params.bs, 'bs') }),
    Wy: matrix(params.Wy, 'Wy'),
    ...(params.by !== undefined && { by: vector(params.by, 'by') }),
  };
}

/** f applied to every tensor of a parameter set, keeping names and ranks: `mapParams(p, (w) => tf.mul(w, 2))`. */
export function mapParams(params: Params, f: <R extends tf.Rank>(value: tf.Tensor<R>, name: ParamName) => tf.Tensor<R>): Params {
  return convertParams(params, f, f);
}
