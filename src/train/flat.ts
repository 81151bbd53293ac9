// The parameters as one flat Float32Array, in paramNames order: what the optimizers and clipping work on.
import * as tf from '@tensorflow/tfjs-core';
import { FlatParams } from '../engine/fused/contract';
import { NetConfig, ParamName, paramNames, Params, paramShapes } from '../engine/params';

export interface FlatLayout {
  /** The network laid out. */
  config: NetConfig;
  names: ParamName[];
  shapes: number[][];
  /** Where each parameter starts in the flat vector. */
  offsets: number[];
  size: number;
}

export function flatLayout(config: NetConfig): FlatLayout {
  const names = paramNames(config);
  const all = paramShapes(config);
  const shapes = names.map((name) => all[name]!);
  const offsets: number[] = [];
  let size = 0;
  for (const shape of shapes) {
    offsets.push(size);
    size += tf.util.sizeFromShape(shape);
  }
  return { config, names, shapes, offsets, size };
}

/** Copies the tensors' values into `out` (a gradient or a parameter set: the same layout). */
export function readFlat(values: Params, layout: FlatLayout, out: Float32Array): Float32Array {
  layout.names.forEach((name, i) => out.set(values[name]!.dataSync(), layout.offsets[i]));
  return out;
}

/** Copies flat arrays into `out` in the layout's places. */
export function writeFlat(values: FlatParams, layout: FlatLayout, out: Float32Array): Float32Array {
  layout.names.forEach((name, i) => out.set(values[name]!, layout.offsets[i]));
  return out;
}

/** Each parameter's place in the flat vector, as a view (no copy). */
export function flatViews(flat: Float32Array, layout: FlatLayout): FlatParams {
  const views: Partial<Record<ParamName, Float32Array>> = {};
  layout.names.forEach((name, i) => {
    views[name] = flat.subarray(layout.offsets[i], layout.offsets[i] + tf.util.sizeFromShape(layout.shapes[i]));
  });
  return views as FlatParams;
}

/** New tensors holding the flat vector's values. */
export function paramsFromFlat(flat: Float32Array, layout: FlatLayout): Params {
  const params: Partial<Record<ParamName, tf.Tensor>> = {};
  layout.names.forEach((name, i) => {
    const size = tf.util.sizeFromShape(layout.shapes[i]);
    params[name] = tf.tensor(flat.slice(layout.offsets[i], layout.offsets[i] + size), layout.shapes[i]);
  });
  // The layout's shapes are paramShapes': matrices for Wx, Ws, Wy, vectors for bs, by.
  return params as Params;
}
