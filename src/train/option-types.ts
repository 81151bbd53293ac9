// The shape of a training run's options as a caller of any language may pass them (plain JavaScript included):
// an object of known options, each choice one of its names, each flag a boolean, each number a number. Checked
// before the values are (src/train/config.ts), so that a typo or a wrong type is named, never a TypeError.
import { OptionError, UsageError } from '../errors';
import { CELLS, ENGINES, INITS, LOSSES, OPTIMIZERS, TASKS } from '../names';

const CHOICES: Record<string, readonly string[]> = {
  task: TASKS,
  cell: CELLS,
  optimizer: OPTIMIZERS,
  engine: ENGINES,
  loss: LOSSES,
  init: INITS,
};
const NUMBERS = ['bits', 'delay', 'length', 'tbptt', 'hidden', 'batch', 'lr', 'clip', 'seed', 'maxSamples'];
const ADAM = ['beta1', 'beta2', 'epsilon'];
const OPTIONS = [...Object.keys(CHOICES), ...NUMBERS, 'bias', 'adam'];

/** A value as a message shows it: strings quoted, other values as JavaScript prints them. */
const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** Edits (insertions, deletions, substitutions) that turn `a` into `b`: Levenshtein's distance. */
function edits(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** The known name a mistyped one most likely meant: within a third of its letters (at least one), case aside. */
function nearest(name: string, names: readonly string[]): string | undefined {
  const within = Math.max(1, Math.floor(name.length / 3));
  return names.find((known) => edits(known.toLowerCase(), name.toLowerCase()) <= within);
}

/** Refuses options that are not an object of known options with values of the right kind. */
export function checkOptionTypes(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError(`training options must be an object such as { bits: 8 }, got ${shown(options)}`);
  }
  for (const [key, value] of Object.entries(options)) {
    if (!OPTIONS.includes(key)) {
      const near = nearest(key, OPTIONS);
      throw new UsageError(`${shown(key)} is not a training option${near ? ` (did you mean ${near}?)` : ''}`);
    }
    if (value === undefined) continue;
    if (key in CHOICES && !CHOICES[key].includes(value as string)) {
      throw new OptionError(`{${key}} must be one of ${CHOICES[key].join(', ')}, got ${shown(value)}`);
    }
    if (NUMBERS.includes(key) && typeof value !== 'number') throw new OptionError(`{${key}} must be a number, got ${shown(value)}`);
    if (key === 'bias' && typeof value !== 'boolean') throw new OptionError(`{bias} must be true or false, got ${shown(value)}`);
    if (key === 'adam') checkAdamTypes(value);
  }
}

function checkAdamTypes(adam: unknown): void {
  if (typeof adam !== 'object' || adam === null) throw new OptionError(`{adam} must be an object such as { beta1: 0.9 }, got ${shown(adam)}`);
  for (const [key, value] of Object.entries(adam)) {
    if (!ADAM.includes(key)) throw new OptionError(`{adam} takes ${ADAM.join(', ')}, not ${shown(key)}`);
    if (value !== undefined && typeof value !== 'number') throw new OptionError(`{${key}} must be a number, got ${shown(value)}`);
  }
}
