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
import { escaped, pathShown, quoted, shown } from './printable';
import { isObject } from './validate';

const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2,
};

/** model.json is a few kilobytes; a bigger one is not ours, and is refused before it is read. */
const MAX_MODEL_JSON_BYTES = 1 << 20;
/** Bounds on the manifest, far above any rnn-adder model (one file, a few weights a layer): each file is opened. */
const MAX_WEIGHT_FILES = 64;
const MAX_WEIGHTS = 256;

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** Why a file of the model directory could not be opened: the server answers 404 for `missing`, 403 otherwise. */
export type ModelFileProblem = 'missing' | 'outside' | 'not-a-file' | 'unreadable';

/** A file of the model directory that cannot be read, saying which and why. */
export class ModelFileError extends UserError {
  constructor(message: string, readonly problem: ModelFileProblem) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** Which model.json was read: a save replaces the file, so another inode, size or time means another save. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** model.json of a model directory, parsed and checked; the weights are not read yet. */
export interface ModelJSONFile {
  /** The directory as the user named it, for messages. */
  dir: string;
  /** The directory with its links resolved: every file must stay inside it. */
  root: string;
  /** dir/model.json, for messages. */
  file: string;
  json: tf.io.ModelJSON;
  /** The model.json read, to tell whether a save replaced it since. */
  identity: FileIdentity;
}

/** The directory exists, is a directory and is not empty; or one line saying which, naming an interrupted save's copy. */
async function modelRoot(dir: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw new UserError(`cannot read ${pathShown(dir)}: ${errorCode(error)}`);
    const previous = await interruptedSaveCopy(dir);
    throw new UserError(
      previous === undefined
        ? `no model at ${dir}: the directory does not exist`
        : `no model at ${dir}: a save was interrupted, and the previous model is at ${previous} ` +
            `(rename it back, or save to ${dir} again, which restores it first)`,
    );
  }
  if (!stat.isDirectory()) throw new UserError(`${pathShown(dir)} is not a model directory: it is a file`);
  let names;
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    throw new UserError(`cannot read the model directory ${pathShown(dir)}: ${errorCode(error)} (its permissions do not let you list it)`);
  }
  if (names.length === 0) throw new UserError(`no model in ${pathShown(dir)}: the directory is empty`);
  return fs.realpath(dir);
}

const isOutside = (root: string, file: string): boolean => {
  const inside = path.relative(root, file);
  return inside === '' || inside.startsWith('..') || path.isAbsolute(inside);
};

/** An open regular file of the model directory and its size. */
export interface CheckedFile {
  name: string;
  handle: FileHandle;
  size: number;
  identity: FileIdentity;
}

/**
 * Opens a file of the model directory only if, links resolved, it is inside the directory (a link to /etc/passwd
 * is refused without a word about that file) and is a regular file: a FIFO or a device would block or never end.
 * O_NONBLOCK keeps the open itself from waiting on a FIFO with no writer; the type and size are read from the
 * opened file, so it cannot be swapped between the check and the read.
 */
export async function openModelFile(root: string, name: string): Promise<CheckedFile> {
  const shownName = pathShown(name);
  let real;
  try {
    real = await fs.realpath(name);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') throw new ModelFileError(`${shownName} is missing`, 'missing');
    throw new ModelFileError(`cannot read ${shownName}: ${errorCode(error)}`, 'unreadable');
  }
  if (isOutside(root, real)) throw new ModelFileError(`${shownName} is a link to a file outside the model directory`, 'outside');
  let handle;
  try {
    handle = await fs.open(real, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (error) {
    // Renamed away between realpath and open: a save replaced the directory.
    if (errorCode(error) === 'ENOENT') throw new ModelFileError(`${shownName} is missing`, 'missing');
    throw new ModelFileError(`cannot read ${shownName}: ${errorCode(error)}`, 'unreadable');
  }
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new ModelFileError(`${shownName} is not a regular file`, 'not-a-file');
  }
  return { name, handle, size: stat.size, identity: { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs } };
}

/** The whole of a checked file, exactly the size its stat gave. */
async function readChecked(file: CheckedFile): Promise<Buffer> {
  const bytes = Buffer.alloc(file.size);
  const { bytesRead } = await file.handle.read(bytes, 0, file.size, 0);
  if (bytesRead !== file.size) throw new UserError(`${pathShown(file.name)} changed while it was read`);
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
    throw new UserError(`${file} is not valid JSON (${escaped((error as Error).message)})`);
  }
  if (!isObject(json)) throw new UserError(`${file} is not a tfjs model: expected a JSON object`);
  if (json.format !== LAYERS_MODEL_FORMAT) {
    throw new UserError(`${file} is not a tfjs layers model: format is ${shown(json.format)}, expected "${LAYERS_MODEL_FORMAT}"`);
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
  const groups = manifest as { paths: string[]; weights: unknown[] }[];
  const files = groups.reduce((n, group) => n + group.paths.length, 0);
  const weights = groups.reduce((n, group) => n + group.weights.length, 0);
  if (files > MAX_WEIGHT_FILES || weights > MAX_WEIGHTS) {
    throw new UserError(
      `${file}: weightsManifest names ${files} files and ${weights} weights, more than the ${MAX_WEIGHT_FILES} and ${MAX_WEIGHTS} a model can have`,
    );
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
  let text: string;
  try {
    if (checked.size > MAX_MODEL_JSON_BYTES) {
      throw new UserError(`${file} holds ${checked.size} bytes, more than the ${MAX_MODEL_JSON_BYTES} a model.json can be`);
    }
    text = (await readChecked(checked)).toString('utf8');
  } finally {
    await checked.handle.close();
  }
  return { dir, root, file, json: parseModelJSON(text, file), identity: checked.identity };
}

/** Whether dir/model.json is still the file that was read (not replaced by a save since). */
export async function isUnchanged({ file, identity }: ModelJSONFile): Promise<boolean> {
  const now = await fs.stat(file).catch(() => undefined);
  return now !== undefined && now.ino === identity.ino && now.size === identity.size && now.mtimeMs === identity.mtimeMs;
}

/** The weight file paths model.json names, as written there. */
export const manifestPaths = (json: tf.io.ModelJSON): string[] => json.weightsManifest.flatMap((group) => group.paths);

/** The file a manifest path names, refusing absolute paths and any that climb out of dir. */
export function weightFilePath(dir: string, relative: string, file: string): string {
  const resolved = path.resolve(dir, relative);
  if (relative === '' || path.isAbsolute(relative) || isOutside(path.resolve(dir), resolved)) {
    throw new UserError(`${file}: weight file path ${quoted(relative)} is outside the model directory`);
  }
  return path.join(dir, path.relative(path.resolve(dir), resolved));
}

function declaredBytes(spec: tf.io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_ELEMENT[dtype];
  if (size === undefined) throw new UserError(`${file}: weight ${quoted(spec.name)} has unsupported dtype ${quoted(dtype)}`);
  return tf.util.sizeFromShape(spec.shape) * size;
}

/**
 * The weights model.json declares, as tfjs ModelArtifacts for tf.io.fromMemory. Call it only once the declared
 * shapes are known to be sane: the files must hold exactly the declared bytes, which are then read.
 */
export async function readWeightData({ dir, root, file, json }: ModelJSONFile): Promise<tf.io.ModelArtifacts> {
  const names = manifestPaths(json).map((p) => weightFilePath(dir, p, file));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const declared = weightSpecs.reduce((sum, spec) => sum + declaredBytes(spec, file), 0);
  const opened: CheckedFile[] = [];
  let bytes;
  try {
    for (const name of names) opened.push(await openModelFile(root, name));
    const held = opened.reduce((sum, f) => sum + f.size, 0);
    if (held !== declared) {
      const files = names.length <= 3 ? names.map((n) => pathShown(n)).join(' + ') : `the ${names.length} weight files`;
      throw new UserError(`${files} ${names.length === 1 ? 'holds' : 'hold'} ${held} bytes, but ${MODEL_JSON} declares ${declared}`);
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
