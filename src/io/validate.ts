// Does a model directory hold an rnn-adder network? Checks on the manifest's weights, the metadata and the
// topology; each failure is a UserError that names the file and says what was expected and what arrived.
import * as tf from '@tensorflow/tfjs-core';
import { LOSSES } from '../engine/loss';
import { ENGINES, INITS, OPTIMIZERS } from '../names';
import { UserError } from '../errors';
import { ModelMetadata } from './metadata';
import { CELL_LAYERS, READOUT_LAYER, RNN_LAYER, WEIGHT_NAMES } from './model';
import { CellName, CELLS, GATES, NetConfig, paramNames, paramShapes } from '../engine/params';
import { MAX_BATCH, MAX_HIDDEN, MAX_TRAIN_BITS } from '../limits';
import { TaskName, TASKS, TASK_INPUTS } from '../tasks/task';
import { listShown, nameShown, namesShown, shown } from './printable';
import { WEIGHTS_HASH } from './weights-hash';

const show = (shape: readonly unknown[]): string => `[${shape.join(', ')}]`;

/** A JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isPositiveInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** The cells, with their H, whose recurrent kernel [H, G·H] goes with a kernel of K = G·H columns. */
function cellsFor(K: number): { cell: CellName; hidden: number }[] {
  return CELLS.filter((cell) => K % GATES[cell] === 0).map((cell) => ({ cell, hidden: K / GATES[cell] }));
}

/**
 * Cell, hidden size and biases from the manifest's weights: rnn/kernel [I, G·H] and rnn/recurrent_kernel [H, G·H]
 * give I, G (the cell) and H, the rest must agree.
 */
export function architectureOf(specs: readonly tf.io.WeightsManifestEntry[], file: string): NetConfig {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const found = namesShown(specs.map((spec) => spec.name));
  if (byName.size !== specs.length) throw new UserError(`${file} names a weight twice (weights: ${found})`);
  const kernel = byName.get(WEIGHT_NAMES.Wx);
  if (kernel === undefined) {
    throw new UserError(`${file} is not an rnn-adder model: it has no ${WEIGHT_NAMES.Wx} weight (weights: ${found})`);
  }
  const widths = [...new Set(Object.values(TASK_INPUTS))];
  if (kernel.shape.length !== 2 || !widths.includes(kernel.shape[0]) || !isPositiveInteger(kernel.shape[1])) {
    throw new UserError(`${file}: weight ${WEIGHT_NAMES.Wx} has shape ${show(kernel.shape)}, expected [I, G·H] with I ${widths.join(' or ')}`);
  }
  const recurrent = byName.get(WEIGHT_NAMES.Ws);
  if (recurrent === undefined) throw new UserError(`${file}: weight ${WEIGHT_NAMES.Ws} is missing`);
  const candidates = cellsFor(kernel.shape[1]);
  const match = candidates.find((c) => show(recurrent.shape) === show([c.hidden, kernel.shape[1]]));
  if (match === undefined) {
    const fits = candidates.map((c) => `${show([c.hidden, kernel.shape[1]])} (${c.cell}, H = ${c.hidden})`).join(' or ');
    throw new UserError(
      `${file}: weight ${WEIGHT_NAMES.Ws} has shape ${show(recurrent.shape)}, which matches no cell with ` +
        `${WEIGHT_NAMES.Wx} ${show(kernel.shape)}: expected ${fits}`,
    );
  }
  const { cell, hidden } = match;
  if (hidden > MAX_HIDDEN) {
    throw new UserError(`${file}: weight ${WEIGHT_NAMES.Ws} has H = ${hidden}, more than the ${MAX_HIDDEN} hidden units rnn-adder trains`);
  }
  const bias = byName.has(WEIGHT_NAMES.bs);
  if (bias !== byName.has(WEIGHT_NAMES.by)) {
    const [has, lacks] = bias ? [WEIGHT_NAMES.bs, WEIGHT_NAMES.by] : [WEIGHT_NAMES.by, WEIGHT_NAMES.bs];
    throw new UserError(`${file}: biases must be in both layers or in neither, but it has ${has} and no ${lacks}`);
  }
  const config: NetConfig = { cell, hidden, bias, inputs: kernel.shape[0] };
  const shapes = paramShapes(config);
  const expected = new Set<string>();
  for (const name of paramNames(config)) {
    const weight = WEIGHT_NAMES[name];
    expected.add(weight);
    const spec = byName.get(weight);
    if (spec === undefined) throw new UserError(`${file}: weight ${weight} is missing (H = ${hidden})`);
    if (show(spec.shape) !== show(shapes[name]!)) {
      throw new UserError(
        `${file}: weight ${weight} has shape ${show(spec.shape)}, expected ${show(shapes[name]!)} (H = ${hidden})`,
      );
    }
    if (spec.dtype !== 'float32') throw new UserError(`${file}: weight ${weight} is ${spec.dtype}, expected float32`);
  }
  const extra = specs.map((spec) => spec.name).filter((name) => !expected.has(name));
  if (extra.length > 0) throw new UserError(`${file}: unexpected weight ${namesShown(extra)} for an rnn-adder model`);
  return config;
}

/** Why the metadata does not describe this network, or undefined when it does (shared with saveModel). */
export function metadataProblem(metadata: unknown, config: NetConfig): string | undefined {
  if (!isObject(metadata)) {
    return 'has no userDefinedMetadata object (rnn-adder saves bits, hidden, loss, bias there)';
  }
  const m = metadata as Partial<Record<keyof ModelMetadata, unknown>>;
  const task = m.task ?? 'add';
  if (!(TASKS as readonly unknown[]).includes(task)) {
    return `userDefinedMetadata.task must be one of ${TASKS.join(', ')}, got ${shown(m.task)}`;
  }
  const inputs = TASK_INPUTS[task as TaskName];
  if ((config.inputs ?? 2) !== inputs) {
    return `userDefinedMetadata.task is ${task}, which takes ${inputs} input(s) a step, but the weights take ${config.inputs}`;
  }
  const cell = config.cell ?? 'elman';
  // Models saved before the gated cells record no cell: they are Elman networks.
  if ((m.cell ?? 'elman') !== cell) {
    return `userDefinedMetadata.cell is ${shown(m.cell)} but the weights are those of the ${cell} cell`;
  }
  // The same bound as `train --bits`: eval, grads and inspect take it as the default for their own --bits.
  if (task === 'add' && !(isPositiveInteger(m.bits) && m.bits <= MAX_TRAIN_BITS)) {
    return `userDefinedMetadata.bits must be an integer from 1 to ${MAX_TRAIN_BITS}, got ${shown(m.bits)}`;
  }
  if (task === 'echo' && !isPositiveInteger(m.delay)) {
    return `userDefinedMetadata.delay must be a positive integer for an echo, got ${shown(m.delay)}`;
  }
  if (task === 'adding-problem' && !isPositiveInteger(m.length)) {
    return `userDefinedMetadata.length must be a positive integer for the adding problem, got ${shown(m.length)}`;
  }
  if (m.hidden !== config.hidden) {
    return `userDefinedMetadata.hidden is ${shown(m.hidden)} but the weights have H = ${config.hidden}`;
  }
  if (m.bias !== config.bias) {
    return `userDefinedMetadata.bias is ${shown(m.bias)} but the weights ${config.bias ? 'have' : 'have no'} biases`;
  }
  if (!(LOSSES as readonly unknown[]).includes(m.loss)) {
    return `userDefinedMetadata.loss must be one of ${LOSSES.join(', ')}, got ${shown(m.loss)}`;
  }
  return recordProblem(m);
}

const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isNonNegativeInteger = (v: unknown): boolean => isNonNegative(v) && Number.isInteger(v);
const oneOf = (values: readonly unknown[]) => (v: unknown) => values.includes(v);

/** What the rest of the metadata must be: each field read back is used (init by gradflow, seed, …) or shown. */
const RECORD_FIELDS: [keyof ModelMetadata, (v: unknown) => boolean, string][] = [
  ['init', oneOf(INITS), `one of ${INITS.join(', ')}`],
  ['optimizer', oneOf(OPTIMIZERS), `one of ${OPTIMIZERS.join(', ')}`],
  ['learningRate', (v) => isNonNegative(v) && v > 0, 'a number greater than 0'],
  ['batch', (v) => isNonNegativeInteger(v) && (v as number) > 0 && (v as number) <= MAX_BATCH, `an integer from 1 to ${MAX_BATCH}`],
  ['engine', oneOf(ENGINES), `one of ${ENGINES.join(', ')}`],
  ['seed', isNonNegativeInteger, 'an integer ≥ 0'],
  ['samples', isNonNegativeInteger, 'an integer ≥ 0'],
  ['seconds', isNonNegative, 'a number ≥ 0'],
  ['version', (v) => typeof v === 'string', 'a string'],
  ['backend', (v) => typeof v === 'string', 'a string'],
  ['savedAt', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'an ISO date'],
];

function recordProblem(m: Partial<Record<keyof ModelMetadata, unknown>>): string | undefined {
  for (const [field, ok, expected] of RECORD_FIELDS) {
    if (!ok(m[field])) return `userDefinedMetadata.${field} must be ${expected}, got ${shown(m[field])}`;
  }
  if (m.weightsSha256 !== undefined && !(typeof m.weightsSha256 === 'string' && WEIGHTS_HASH.test(m.weightsSha256))) {
    return `userDefinedMetadata.weightsSha256 must be 64 lowercase hex digits, got ${shown(m.weightsSha256)}`;
  }
  const a = m.accuracy;
  if (
    !isObject(a) ||
    !(isNonNegative(a.value) && a.value <= 1) ||
    !oneOf(['exhaustive', 'sampled'])(a.method) ||
    !isNonNegativeInteger(a.count)
  ) {
    return (
      'userDefinedMetadata.accuracy must be { value: a fraction from 0 to 1, method: exhaustive or sampled, ' +
      `count: an integer ≥ 0 }, got ${shown(a)}`
    );
  }
  return undefined;
}

export function checkMetadata(metadata: unknown, config: NetConfig, file: string): ModelMetadata {
  const problem = metadataProblem(metadata, config);
  if (problem !== undefined) throw new UserError(`${file}: ${problem}`);
  return metadata as ModelMetadata;
}

/** Every weight is a finite number: a NaN or an infinity would only show up later as a loss of null. */
export function checkFiniteWeights(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer, file: string): void {
  let offset = 0;
  for (const spec of specs) {
    const size = tf.util.sizeFromShape(spec.shape);
    const values = new Float32Array(data, offset, size);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UserError(`${file}: weight ${spec.name} ${show(spec.shape)} holds ${values[bad]} at flat index ${bad}; weights must be finite`);
    }
    offset += 4 * size;
  }
}

interface LayerExpectation {
  name: string;
  className: string;
  config: Record<string, unknown>;
}

/** A topology's layers, Sequential or functional, in their saved (Keras, snake_case) form. */
function topologyLayers(topology: Record<string, unknown>): Record<string, unknown>[] {
  const config = topology.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  return Array.isArray(layers) ? layers.filter(isObject) : [];
}

/**
 * The topology is the cell's layer `rnn` (SimpleRNN sigmoid, LSTM or GRU with tanh and sigmoid gates) then Dense
 * `readout` (sigmoid), on input [batch, T, I] with T free.
 * Checked on the JSON, before tfjs builds anything: a model tfjs fails to build halfway leaks its variables.
 */
export function checkTopology(topology: Record<string, unknown>, config: NetConfig, file: string): void {
  const all = topologyLayers(topology);
  const layers = all.filter((layer) => layer.class_name !== 'InputLayer');
  const nameOf = (layer: Record<string, unknown>) =>
    String(isObject(layer.config) && layer.config.name !== undefined ? layer.config.name : layer.name);
  const { className, activation, recurrentActivation } = CELL_LAYERS[config.cell ?? 'elman'];
  const gated = recurrentActivation === undefined ? {} : { recurrent_activation: recurrentActivation };
  const expected: LayerExpectation[] = [
    {
      name: RNN_LAYER,
      className,
      config: {
        units: config.hidden,
        activation,
        ...gated,
        ...(config.cell === 'gru' ? { reset_after: false } : {}),
        return_sequences: true,
        go_backwards: false,
        stateful: false,
        use_bias: config.bias,
      },
    },
    { name: READOUT_LAYER, className: 'Dense', config: { units: 1, activation: 'sigmoid', use_bias: config.bias } },
  ];
  const described = (name: string, className: string) => `${name} (${className})`;
  const found = layers.map((layer) => [nameOf(layer), String(layer.class_name)]);
  const wanted = expected.map((e) => described(e.name, e.className)).join(', ');
  if (found.map(([name, className]) => described(name, className)).join(', ') !== wanted) {
    const shownLayers = found.map(([name, className]) => described(nameShown(name), nameShown(className)));
    throw new UserError(`${file}: the model's layers are ${listShown(shownLayers)}, expected ${wanted}`);
  }
  layers.forEach((layer, i) => {
    const actual = isObject(layer.config) ? layer.config : {};
    // tfjs would apply these silently: a constraint rewrites the weights, a regularizer or dropout changes training.
    for (const [key, value] of Object.entries(actual)) {
      const acts = /_(constraint|regularizer)$/.test(key) ? value != null : /dropout$/.test(key) ? value !== 0 : false;
      if (acts) {
        throw new UserError(`${file}: layer ${expected[i].name} has ${key} ${shown(value)}; rnn-adder models have none`);
      }
    }
    for (const [key, value] of Object.entries(expected[i].config)) {
      if (actual[key] !== value) {
        throw new UserError(
          `${file}: layer ${expected[i].name} has ${key} ${shown(actual[key])}, expected ${shown(value)}`,
        );
      }
    }
  });
  const input = all.map((layer) => (isObject(layer.config) ? layer.config.batch_input_shape : undefined)).find(Array.isArray);
  const I = config.inputs ?? 2;
  if (JSON.stringify(input) !== JSON.stringify([null, null, I])) {
    throw new UserError(
      `${file}: the model's input shape is ${input === undefined ? 'missing' : shown(input)}, expected [null,null,${I}] (batch, any T, ${I} input${I === 1 ? '' : 's'} a step)`,
    );
  }
}
