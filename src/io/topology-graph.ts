// The shape of a saved topology as a graph, checked before anything reads it as layers: tfjs builds a functional
// model by visiting nodes until every input is ready, so a layer that feeds itself (a cycle) or waits for a layer
// that is not there keeps it looping with growing memory. Here those, and sizes far beyond a model of rnn-adder,
// are one line in microseconds.
import { UserError } from '../errors';
import { namesShown, shown } from './printable';
import { isObject } from './validate';

/** Layers in a topology: rnn-adder's have an input, a few recurrent layers and a readout. */
export const MAX_TOPOLOGY_LAYERS = 64;
/** Calls of one layer (its inbound nodes) and inputs of one call: one each in a model of rnn-adder. */
const MAX_NODES = 4;
const MAX_NODE_INPUTS = 4;

const TOPOLOGY_CLASSES = ['Sequential', 'Model', 'Functional'];

type Json = Record<string, unknown>;

/** The name a node entry `[layerName, nodeIndex, tensorIndex, kwargs?]` (or an input/output entry) refers to. */
function entryName(entry: unknown, where: string, file: string): string {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isInteger(entry[1]) || !Number.isInteger(entry[2])) {
    throw new UserError(`${file}: ${where} must be [layer name, node index, tensor index], got ${shown(entry)}`);
  }
  return entry[0];
}

/** Each functional layer's name and the names of the layers it reads, bounded and well formed. */
function inboundOf(layers: Json[], file: string): Map<string, string[]> {
  const inbound = new Map<string, string[]>();
  for (const layer of layers) {
    if (typeof layer.name !== 'string') throw new UserError(`${file}: a layer of the functional topology has no name`);
    if (inbound.has(layer.name)) throw new UserError(`${file}: the topology names layer ${shown(layer.name)} twice`);
    const nodes = layer.inbound_nodes ?? [];
    if (!Array.isArray(nodes) || nodes.length > MAX_NODES) {
      throw new UserError(`${file}: layer ${shown(layer.name)}'s inbound_nodes must be a list of at most ${MAX_NODES} calls`);
    }
    const reads: string[] = [];
    for (const node of nodes) {
      if (!Array.isArray(node) || node.length > MAX_NODE_INPUTS) {
        throw new UserError(`${file}: layer ${shown(layer.name)} has a call that is not a list of at most ${MAX_NODE_INPUTS} inputs`);
      }
      for (const entry of node) reads.push(entryName(entry, `an input of layer ${shown(layer.name)}`, file));
    }
    inbound.set(layer.name, reads);
  }
  return inbound;
}

/** Refuses a layer that reads one that is not there, and any cycle (Kahn's order must reach every layer). */
function checkAcyclic(inbound: Map<string, string[]>, file: string): void {
  const waiting = new Map<string, number>();
  const readers = new Map<string, string[]>();
  for (const [name, reads] of inbound) {
    for (const read of reads) {
      if (!inbound.has(read)) throw new UserError(`${file}: layer ${shown(name)} reads layer ${shown(read)}, which is not in the topology`);
      readers.set(read, [...(readers.get(read) ?? []), name]);
    }
    waiting.set(name, reads.length);
  }
  const ready = [...waiting].filter(([, n]) => n === 0).map(([name]) => name);
  for (let i = 0; i < ready.length; i++) {
    for (const reader of readers.get(ready[i]) ?? []) {
      const left = waiting.get(reader)! - 1;
      waiting.set(reader, left);
      if (left === 0) ready.push(reader);
    }
  }
  if (ready.length < inbound.size) {
    const looped = [...waiting].filter(([, n]) => n > 0).map(([name]) => name);
    throw new UserError(`${file}: the topology's layers ${namesShown(looped)} feed each other in a cycle`);
  }
}

/** A Sequential or functional topology of at most MAX_TOPOLOGY_LAYERS layers, and a functional one a DAG. */
export function checkTopologyGraph(topology: Json, file: string): void {
  if (!TOPOLOGY_CLASSES.includes(topology.class_name as string)) {
    throw new UserError(`${file}: modelTopology.class_name is ${shown(topology.class_name)}, expected ${TOPOLOGY_CLASSES.join(' or ')}`);
  }
  const config = topology.config;
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers) || !layers.every(isObject)) throw new UserError(`${file}: modelTopology.config.layers must be a list of layers`);
  if (layers.length > MAX_TOPOLOGY_LAYERS) {
    throw new UserError(`${file}: the topology has ${layers.length} layers, more than the ${MAX_TOPOLOGY_LAYERS} a model can have`);
  }
  if (topology.class_name === 'Sequential') return;
  const inbound = inboundOf(layers, file);
  checkAcyclic(inbound, file);
  for (const key of ['input_layers', 'output_layers']) {
    const ends = isObject(config) ? config[key] : undefined;
    if (!Array.isArray(ends) || ends.length === 0 || ends.length > MAX_NODE_INPUTS) {
      throw new UserError(`${file}: modelTopology.config.${key} must list from 1 to ${MAX_NODE_INPUTS} layers`);
    }
    for (const end of ends) {
      const name = entryName(end, `an entry of ${key}`, file);
      if (!inbound.has(name)) throw new UserError(`${file}: ${key} names layer ${shown(name)}, which is not in the topology`);
    }
  }
}
