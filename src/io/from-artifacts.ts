// A model's artifacts (model.json parsed, weights in memory) → engine parameters: the shapes, metadata and
// topology checked first, then tfjs' own loader (tf.loadLayersModel), then the weights copied out. No file system:
// the CLI reads the artifacts from a directory (load.ts), the page fetches them over HTTP.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../errors';
import { ModelMetadata } from './metadata';
import { escaped, shown } from './printable';
import { modelToParams } from './model';
import { NetConfig, Params } from '../engine/params';
import { checkTopologyGraph } from './topology-graph';
import { architectureOf, checkFiniteWeights, checkMetadata, checkTopology } from './validate';
import { weightsSha256 } from './weights-hash';

export interface LoadedModel {
  /** Copies the caller owns (disposeParams when done). */
  params: Params;
  metadata: ModelMetadata;
  config: NetConfig;
}

/** weights.bin is not the file saved with this model.json: a load that raced a save tries again. */
export class MixedSaveError extends UserError {
  constructor(source: string) {
    super(
      `${source}: the weights are not those this model.json was saved with (their SHA-256 differs): ` +
        'a save replaced the model while it was read, or its files were mixed by hand',
    );
    this.name = 'MixedSaveError';
  }
}

const QUANTIZED_DTYPES = ['uint8', 'uint16', 'float16'];

/**
 * Quantized weights (uint8, uint16 or float16, as tfjs' converter writes them) decoded to float32 as tfjs decodes
 * them (tf.io.decodeWeights), so that the checks and the copy below read plain float32.
 */
function dequantized(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer, source: string): [tf.io.WeightsManifestEntry[], ArrayBuffer] {
  if (!specs.some((spec) => spec.quantization !== undefined)) return [specs, data];
  for (const spec of specs) {
    const q = spec.quantization as Record<string, unknown> | undefined;
    if (q === undefined) continue;
    const scaled = q.dtype === 'float16' || (Number.isFinite(q.scale) && (Number.isFinite(q.min) || q.min === undefined));
    if (!QUANTIZED_DTYPES.includes(q.dtype as string) || !scaled) {
      throw new UserError(
        `${source}: weight ${spec.name} has quantization ${shown(q)}, expected dtype ${QUANTIZED_DTYPES.join(', ')} ` +
          '(with a finite scale and min for the integers)',
      );
    }
  }
  const tensors = tf.io.decodeWeights(data, specs);
  try {
    const values = specs.map((spec) => tensors[spec.name].dataSync() as Float32Array);
    const out = new Float32Array(values.reduce((n, v) => n + v.length, 0));
    values.reduce((offset, v) => (out.set(v, offset), offset + v.length), 0);
    return [specs.map(({ quantization: _, ...spec }) => spec), out.buffer];
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * tfjs' loader, undoing its half-built model when it fails: the variables of the layers it built before failing
 * would otherwise stay registered for good.
 */
async function buildDisposingOnFailure(artifacts: tf.io.ModelArtifacts, source: string): Promise<tfl.LayersModel> {
  const variables = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    for (const [name, variable] of Object.entries(tf.engine().registeredVariables)) {
      if (!variables.has(name)) variable.dispose();
    }
    throw new UserError(`${source}: tfjs cannot build this model (${escaped((error as Error).message)})`);
  }
}

/** `source` names model.json in every error (a path or a URL). */
export async function modelFromArtifacts(artifacts: tf.io.ModelArtifacts, source: string): Promise<LoadedModel> {
  checkTopologyGraph(artifacts.modelTopology as Record<string, unknown>, source);
  const config = architectureOf(artifacts.weightSpecs ?? [], source);
  const { weightsSha256: savedHash, ...metadata } = checkMetadata(artifacts.userDefinedMetadata, config, source);
  checkTopology(artifacts.modelTopology as Record<string, unknown>, config, source);
  let decoded = artifacts;
  if (artifacts.weightData !== undefined) {
    const saved = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const [weightSpecs, weightData] = dequantized(artifacts.weightSpecs ?? [], saved, source);
    checkFiniteWeights(weightSpecs, weightData, source);
    // After the checks of the bytes themselves: weights of another save are finite, a corrupted file need not be.
    if (savedHash !== undefined && (await weightsSha256(saved)) !== savedHash) throw new MixedSaveError(source);
    decoded = { ...artifacts, weightSpecs, weightData };
  }
  const model = await buildDisposingOnFailure(decoded, source);
  try {
    return { params: modelToParams(model), metadata, config };
  } finally {
    model.dispose();
  }
}
