// Reads a model directory in two checked steps, so that nothing large is read before the small part is known
// to be sane: model.json first (a regular file of bounded size, a layers model, a well-formed manifest), then,
// once the caller has checked the architecture it declares, the weight files (regular files inside the
// directory, links resolved, holding exactly the bytes the manifest declares, checked before a byte is read).
import * as tf from '@tensorflow/tfjs-core';
import { constants as fsConstants, promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import * as path from 'path';
import { UserError } from '../errors';
import { interruptedSaveCopy } from './atomic';
import { LAYERS_MODEL_FORMAT, MODEL_JSON } from './format';
import { isObject } from './validate';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2,
};

/** model.json is a few kilobytes; a bigger one is not ours, and is refused before it is read. */
const MAX_MODEL_JSON_BYTES = 1 << 20;

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** model.json of a model directory, parsed and checked; the weights are not read yet. */
export interface ModelJSONFile {
  /** The directory as the user named it, for messages. */
  dir: string;
  /** The directory with its links resolved: every file must stay inside it. */
  root: string;
  /** dir/model.json, for messages. */
  file: string;
  json: tf.io.ModelJSON;
}

/** The directory exists, is a directory and is not empty; or one line saying which, naming an interrupted save's copy. */
async function modelRoot(dir: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw new UserError(`cannot read ${dir}: ${errorCode(error)}`);
    const previous = await interruptedSaveCopy(dir);
    throw new UserError(
      previous === undefined
        ? `no model at ${dir}: the directory does not exist`
        : `no model at ${dir}: a save was interrupted, and the previous model is at ${previous} ` +
            `(rename it back, or save to ${dir} again, which restores it first)`,
    );
  }
  if (!stat.isDirectory()) throw new UserError(`${dir} is not a model directory: it is a file`);
  if ((await fs.readdir(dir)).length === 0) throw new UserError(`no model in ${dir}: the directory is empty`);
  return fs.realpath(dir);
}

const isOutside = (root: string, file: string): boolean => {
  const inside = path.relative(root, file);
  return inside === '' || inside.startsWith('..') || path.isAbsolute(inside);
};

/** An open regular file of the model directory and its size. */
interface CheckedFile {
  name: string;
  handle: FileHandle;
  size: number;
}

/**
 * Opens a file of the model directory only if, links resolved, it is inside the directory (a link to /etc/passwd
 * is refused without a word about that file) and is a regular file: a FIFO or a device would block or never end.
 * O_NONBLOCK keeps the open itself from waiting on a FIFO with no writer; the type and size are read from the
 * opened file, so it cannot be swapped between the check and the read.
 */
async function openModelFile(root: string, name: string): Promise<CheckedFile> {
  let real;
  try {
    real = await fs.realpath(name);
  } catch (error) {
    throw new UserError(errorCode(error) === 'ENOENT' ? `${name} is missing` : `cannot read ${name}: ${errorCode(error)}`);
  }
  if (isOutside(root, real)) throw new UserError(`${name} is a link to a file outside the model directory`);
  let handle;
  try {
    handle = await fs.open(real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(`cannot read ${name}: ${errorCode(error)}`);
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new UserError(`${name} is not a regular file`);
  }
  return { name, handle, size: stat.size };
}

/** The whole of a checked file, exactly the size its stat gave. */
async function readChecked(file: CheckedFile): Promise<Buffer> {
  const bytes = Buffer.alloc(file.size);
  const { bytesRead } = await file.handle.read(bytes, 0, file.size, 0);
  if (bytesRead !== file.size) throw new UserError(`${file.name} changed while it was read`);
  return bytes;
}

async function closeAll(files: CheckedFile[]): Promise<void> {
  await Promise.all(files.map((f) => f.handle.close()));
}

function parseModelJSON(text: string, file: string): tf.io.ModelJSON {
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
  const empty = (manifest as { paths: string[] }[]).findIndex((group) => group.paths.length === 0);
  if (empty >= 0) throw new UserError(`${file}: weightsManifest group ${empty + 1} names no weight file (its paths are [])`);
  return json as unknown as tf.io.ModelJSON;
}

/** Reads and checks dir/model.json; the weights it declares are left for readWeightData. */
export async function readModelJSON(dir: string): Promise<ModelJSONFile> {
  const root = await modelRoot(dir);
  const file = path.join(dir, MODEL_JSON);
  const checked = await openModelFile(root, file);
  let text;
  try {
    if (checked.size > MAX_MODEL_JSON_BYTES) {
      throw new UserError(`${file} holds ${checked.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json can be`);
    }
    text = (await readChecked(checked)).toString('utf8');
  } finally {
    await checked.handle.close();
  }
  return { dir, root, file, json: parseModelJSON(text, file) };
}

/** The file a manifest path names, refusing absolute paths and any that climb out of dir. */
function weightFilePath(dir: string, relative: string, file: string): string {
  const resolved = path.resolve(dir, relative);
  if (relative === '' || path.isAbsolute(relative) || isOutside(path.resolve(dir), resolved)) {
    throw new UserError(`${file}: weight file path ${JSON.stringify(relative)} is outside the model directory`);
  }
  return path.join(dir, path.relative(path.resolve(dir), resolved));
}

function declaredBytes(spec: tf.io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined) throw new UserError(`${file}: weight ${spec.name} has unsupported dtype ${dtype}`);
  return tf.util.sizeFromShape(spec.shape) * size;
}

/**
 * The weights model.json declares, as tfjs ModelArtifacts for tf.io.fromMemory. Call it only once the declared
 * shapes are known to be sane: the files must hold exactly the declared bytes, which are then read.
 */
export async function readWeightData({ dir, root, file, json }: ModelJSONFile): Promise<tf.io.ModelArtifacts> {
  const names = json.weightsManifest.flatMap((group) => group.paths.map((p) => weightFilePath(dir, p, file)));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const declared = weightSpecs.reduce((sum, spec) => sum + declaredBytes(spec, file), 0);
  const opened: CheckedFile[] = [];
  let bytes;
  try {
    for (const name of names) opened.push(await openModelFile(root, name));
    const held = opened.reduce((sum, f) => sum + f.size, 0);
    if (held !== declared) {
      throw new UserError(`${names.join(' + ')} ${names.length === 1 ? 'holds' : 'hold'} ${held} bytes, but ${MODEL_JSON} declares ${declared}`);
    }
    const buffers = [];
    for (const f of opened) buffers.push(await readChecked(f));
    bytes = Buffer.concat(buffers);
  } finally {
    await closeAll(opened);
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
