// `rnn-adder train`'s flags as the API's TrainOptions (resolved and checked by resolveConfig, once, in the parser),
// and where a model goes without --out. Free of tfjs, so that the parser refuses a bad configuration before any work.
import * as path from 'path';
import { TaskName } from '../names';
import { DEFAULT_SEED, TrainConfig, TrainOptions } from '../train/config';

/** The flags that make a training run: the API's options, with Adam's settings one flag each. */
export interface TrainFlags extends Omit<TrainOptions, 'adam'> {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** The flags as the API's options (yargs' arguments hold much else: aliases, --out, --json). */
export function trainOptionsOf(flags: TrainFlags): TrainOptions {
  const { task, bits, delay, length, tbptt, hidden, batch, lr, maxSamples, cell, optimizer, engine, loss, clip, init, bias, seed } = flags;
  const { beta1, beta2, epsilon } = flags;
  return { task, bits, delay, length, tbptt, hidden, batch, lr, maxSamples, cell, optimizer, engine, loss, clip, init, bias, seed, adam: { beta1, beta2, epsilon } };
}

/** The folder that models trained without --out go into: untracked, apart from the shipped models/. */
export const TRAINED_DIR = 'trained';

/** The setting of a task that names it: the operand width, the echo's delay, the adding problem's length. */
const SETTING: Record<TaskName, (c: TrainConfig) => number | undefined> = {
  add: (c) => c.bits,
  echo: (c) => c.delay,
  'adding-problem': (c) => c.length,
};

/**
 * Where a model goes without --out: trained/<name>-<setting>, the name being adder (lstm, gru for the gated cells)
 * for addition and the task (after the cell, when not elman) for the others, and -seed-N where the seed is not
 * the default: trained/adder-8, trained/lstm-16-seed-2, trained/echo-3, trained/lstm-adding-problem-100.
 */
export function defaultModelDir(c: TrainConfig): string {
  const task = c.task ?? 'add';
  const cell = c.cell === 'elman' ? '' : `${c.cell}-`;
  const name = task === 'add' ? (c.cell === 'elman' ? 'adder' : c.cell) : `${cell}${task}`;
  const seed = c.seed === DEFAULT_SEED ? '' : `-seed-${c.seed}`;
  return path.join(TRAINED_DIR, `${name}-${SETTING[task](c)}${seed}`);
}
