// The work of `rnn-adder train`: train until exact (or give up), save, plot, print the summary.
import {
  BackendName,
  CellName,
  DEFAULT_LEARNING_RATES,
  defaultEngine,
  disposeParams,
  EngineName,
  InitName,
  lockModelDirectory,
  LossName,
  makePlotDirectory,
  notExactHint,
  OptimizerName,
  SaveLock,
  saveModel,
  train,
  TrainConfig,
  trainingCurvesSpec,
  TrainResult,
  writeSvg,
} from '../../index';
import { percent } from '../percent';
import { trainingProgress } from '../progress';
import { CommonArgs, emit } from '../run';

export interface TrainArgs extends CommonArgs {
  bits: number;
  cell: CellName;
  hidden: number;
  batch: number;
  lr?: number;
  optimizer: OptimizerName;
  /** Absent: the cell's default (defaultEngine). */
  engine?: EngineName;
  loss: LossName;
  clip?: number;
  init: InitName;
  bias: boolean;
  seed: number;
  maxSamples: number;
  /** Resolved by the parser: --out, else models/adder-<bits> (models/<cell>-<bits> for lstm, gru); free, or replaceable with --force. */
  out: string;
  force: boolean;
  plot?: string;
}

/** Said before training starts, so that a long run shows at once what it is doing. */
function configurationLine(c: TrainConfig, backend: string): string {
  return (
    `${c.bits}-bit ${c.cell === 'elman' ? '' : `${c.cell} `}adder, hidden ${c.hidden}, engine ${c.engine}, backend ${backend} ` +
    `(${c.optimizer} lr ${c.lr}, batch ${c.batch}, ${c.loss}, seed ${c.seed})`
  );
}

function summary(result: TrainResult, out: string | undefined): string {
  const acc = result.accuracy;
  const checked = `${acc.method}, ${acc.pairs.toLocaleString('en')} pairs`;
  return [
    `${result.samples.toLocaleString('en')} training pairs in ${result.seconds.toFixed(2)} s`,
    result.exact
      ? `exact: every sum right (${checked})`
      : `NOT exact: ${percent(acc.accuracy)} of sums right (${checked}); ${notExactHint(result)}`,
    out !== undefined ? `saved to ${out}` : 'nothing saved',
  ].join('\n');
}

export async function run(args: TrainArgs, backend: BackendName): Promise<void> {
  const config: TrainConfig = {
    bits: args.bits,
    cell: args.cell,
    hidden: args.hidden,
    bias: args.bias,
    init: args.init,
    loss: args.loss,
    optimizer: args.optimizer,
    lr: args.lr ?? DEFAULT_LEARNING_RATES[args.optimizer],
    batch: args.batch,
    clip: args.clip,
    engine: args.engine ?? defaultEngine(args.cell),
    seed: args.seed,
    maxSamples: args.maxSamples,
  };
  // An --out or --plot that cannot be written is said before training, not after; the lock on --out refuses a
  // second run saving there at once.
  const lock = await lockModelDirectory(args.out);
  try {
    if (args.plot !== undefined) await makePlotDirectory(args.plot);
    await trainAndReport(args, config, backend, lock);
  } finally {
    await lock.release();
  }
}

async function trainAndReport(args: TrainArgs, config: TrainConfig, backend: BackendName, lock: SaveLock): Promise<void> {
  const { out } = args;
  if (!args.json) process.stdout.write(configurationLine(config, backend) + '\n');
  const progress = trainingProgress(args.json === true);
  let result: TrainResult;
  try {
    result = await train(config, progress?.hooks);
  } finally {
    progress?.stop();
  }
  try {
    if (result.exact) await saveModel(out, result, { lock });
    const title = `${args.bits}-bit adder, ${result.config.optimizer}, seed ${args.seed}`;
    const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'training.svg', trainingCurvesSpec(result.history, title));
    const saved = result.exact ? out : undefined;
    const { config: c, accuracy: acc } = result;
    const json = {
      backend,
      bits: c.bits,
      cell: c.cell,
      hidden: c.hidden,
      engine: c.engine,
      samples: result.samples,
      steps: result.steps,
      seconds: result.seconds,
      exact: result.exact,
      verified: { method: acc.method, pairs: acc.pairs, accuracy: acc.accuracy },
      out: saved ?? null,
      fullChecks: result.fullChecks,
      config: c,
      failures: acc.failures,
      history: result.history,
      plot: plot ?? null,
      stall: result.stall ?? null,
    };
    emit(args, json, () => summary(result, saved) + (plot ? `\nwrote ${plot}` : ''));
  } finally {
    disposeParams(result.params);
  }
  if (!result.exact) process.exitCode = 1;
}
