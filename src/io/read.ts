// Reads a model directory into tfjs ModelArtifacts, checking the files before anything uses them: the
// directory and model.json exist, model.json is a layers model, the manifest's paths stay inside the
// directory, and the weight files hold exactly the bytes the manifest declares.
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';
import { LAYERS_MODEL_FORMAT, MODEL_JSON } from './format';
import { isObject } from './validate';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2,
};

async function checkDirectory(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no model at ${dir}: the directory does not exist` : `cannot read ${dir}: ${code}`);
  }
  if (!stat.isDirectory()) throw new UserError(`${dir} is not a model directory: it is a file`);
  if ((await fs.readdir(dir)).length === 0) throw new UserError(`no model in ${dir}: the directory is empty`);
}

async function readFileNamed(file: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding ? await fs.readFile(file, encoding) : await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file} is missing` : `cannot read ${file}: ${code}`);
  }
}

async function readModelJSON(file: string): Promise<tf.io.ModelJSON> {
  const text = (await readFileNamed(file, 'utf8')) as string;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(json)) throw new UserError(`${file} is not a tfjs model: expected a JSON object`);
  if (json.format !== LAYERS_MODEL_FORMAT) {
    throw new UserError(`${file} is not a tfjs layers model: format is ${JSON.stringify(json.format)}, expected "${LAYERS_MODEL_FORMAT}"`);
  }
  if (!isObject(json.modelTopology)) throw new UserError(`${file} is not a tfjs layers model: it has no modelTopology`);
  const manifest = json.weightsManifest;
  const wellFormed =
    Array.isArray(manifest) &&
    manifest.length > 0 &&
    manifest.every(
      (group) =>
        isObject(group) &&
        Array.isArray(group.paths) &&
        group.paths.every((p) => typeof p === 'string') &&
        Array.isArray(group.weights) &&
        group.weights.every(
          (w) => isObject(w) && typeof w.name === 'string' && typeof w.dtype === 'string' && Array.isArray(w.shape) &&
            w.shape.every((d) => Number.isInteger(d) && (d as number) >= 0),
        ),
    );
  if (!wellFormed) {
    throw new UserError(`${file}: weightsManifest must be a list of {paths: [file…], weights: [{name, shape, dtype}…]}`);
  }
  return json as unknown as tf.io.ModelJSON;
}

/** The file a manifest path names, refusing absolute paths and any that climb out of dir. */
function weightFilePath(dir: string, relative: string, file: string): string {
  const root = path.resolve(dir);
  const resolved = path.resolve(root, relative);
  const inside = path.relative(root, resolved);
  if (relative === '' || path.isAbsolute(relative) || inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new UserError(`${file}: weight file path ${JSON.stringify(relative)} is outside the model directory`);
  }
  return path.join(dir, inside);
}

function declaredBytes(spec: tf.io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined) throw new UserError(`${file}: weight ${spec.name} has unsupported dtype ${dtype}`);
  return tf.util.sizeFromShape(spec.shape) * size;
}

/** model.json and its weights, checked and ready for tf.io.fromMemory. */
export async function readModelArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  await checkDirectory(dir);
  const jsonFile = path.join(dir, MODEL_JSON);
  const json = await readModelJSON(jsonFile);
  const weightFiles = json.weightsManifest.flatMap((group) => group.paths.map((p) => weightFilePath(dir, p, jsonFile)));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = [];
  for (const weightFile of weightFiles) buffers.push((await readFileNamed(weightFile)) as Buffer);
  const bytes = Buffer.concat(buffers);
  const declared = weightSpecs.reduce((sum, spec) => sum + declaredBytes(spec, jsonFile), 0);
  if (bytes.length !== declared) {
    throw new UserError(
      `${weightFiles.join(' + ')} ${weightFiles.length === 1 ? 'holds' : 'hold'} ${bytes.length} bytes, ` +
        `but ${MODEL_JSON} declares ${declared}`,
    );
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    userDefinedMetadata: json.userDefinedMetadata,
  };
}
