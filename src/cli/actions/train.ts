// The work of `rnn-adder train`: train until exact or solved (or give up), save, plot, print the summary.
import {
  BackendName,
  describeTask,
  disposeParams,
  LongLagResult,
  lockModelDirectory,
  makePlotDirectory,
  PAPER_SEQUENCES_AT_100,
  RIGHT_WITHIN,
  notExactHint,
  SaveLock,
  saveModel,
  saveTaskModel,
  taskSettings,
  TASK_WORDS,
  train,
  TrainConfig,
  trainingCurvesSpec,
  trainOnTask,
  TrainResult,
  writeSvg,
} from '../../index';
import { percent } from '../percent';
import { trainingProgress } from '../progress';
import { CommonArgs, emit } from '../run';
import { trainConfigOf, TrainFlags } from '../train-config';

export interface TrainArgs extends CommonArgs, TrainFlags {
  /** Resolved by the parser: --out, else models/<task>-<setting>; free, or replaceable with --force. */
  out: string;
  force: boolean;
  plot?: string;
}

/** Said before training starts, so that a long run shows at once what it is doing. */
function configurationLine(c: TrainConfig, backend: string): string {
  const cell = c.cell === 'elman' ? '' : `${c.cell} `;
  const task = c.task === undefined || c.task === 'add' ? `${c.bits}-bit ${cell}adder` : `${describeTask(taskSettings(c))}, ${c.cell}`;
  // Adam's settings and the initialisation where they are not the adders' (the adding problem's LSTM).
  const moments = c.optimizer === 'adam' && c.adam ? ` β1 ${c.adam.beta1} β2 ${c.adam.beta2}` : '';
  const init = c.init === 'uniform' ? '' : `, ${c.init} init`;
  return (
    `${task}, hidden ${c.hidden}, ${c.tbptt === undefined ? '' : `tbptt ${c.tbptt}, `}engine ${c.engine}, backend ${backend} ` +
    `(${c.optimizer}${moments} lr ${c.lr}, batch ${c.batch}, ${c.loss}${init}, seed ${c.seed})`
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

function longLagSummary(result: LongLagResult, out: string | undefined): string {
  const s = result.score;
  const unit = TASK_WORDS[result.task.task].samples;
  const tested =
    'delay' in s
      ? `${s.right.toLocaleString('en')} of ${s.scored.toLocaleString('en')} bits of a fresh ${s.bits.toLocaleString('en')}-bit stream echoed right`
      : `${s.wrong} wrong of ${s.sequences.toLocaleString('en')} fresh sequences (|error| ≥ ${RIGHT_WITHIN}), mean squared error ${s.mse.toExponential(2)}`;
  const paper =
    result.task.task === 'adding-problem' && result.task.length === 100 && result.solved
      ? ` (Hochreiter & Schmidhuber's LSTM: ${PAPER_SEQUENCES_AT_100.toLocaleString('en')})`
      : '';
  return [
    `${result.samples.toLocaleString('en')} training ${unit}${paper} in ${result.seconds.toFixed(2)} s`,
    `${result.solved ? 'solved' : 'NOT solved; try more --max-samples or another --seed'}: ${tested}`,
    out !== undefined ? `saved to ${out}` : 'nothing saved',
  ].join('\n');
}

/** The echo and the adding problem: trained until solved, saved when solved, summarised. */
async function runLongLag(args: TrainArgs, backend: BackendName, config: TrainConfig, lock: SaveLock): Promise<void> {
  const task = config.task as 'echo' | 'adding-problem';
  const progress = trainingProgress(args.json === true, task);
  let result: LongLagResult;
  try {
    result = await trainOnTask({ ...config, task }, progress?.hooks);
  } finally {
    progress?.stop();
  }
  try {
    if (result.solved) await saveTaskModel(args.out, result, { lock });
    const title = `${describeTask(result.task)}, ${config.optimizer}, seed ${config.seed}`;
    const curves = trainingCurvesSpec(result.history, title, task);
    const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'training.svg', curves);
    const saved = result.solved ? args.out : undefined;
    const json = {
      backend,
      ...result.task,
      hidden: config.hidden,
      tbptt: config.tbptt ?? null,
      engine: config.engine,
      samples: result.samples,
      steps: result.steps,
      seconds: result.seconds,
      solved: result.solved,
      score: result.score,
      out: saved ?? null,
      config,
      history: result.history,
      plot: plot ?? null,
    };
    emit(args, json, () => longLagSummary(result, saved) + (plot ? `\nwrote ${plot}` : ''));
  } finally {
    disposeParams(result.params);
  }
  if (!result.solved) process.exitCode = 1;
}

export async function run(args: TrainArgs, backend: BackendName): Promise<void> {
  const config = trainConfigOf(args);
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
  if (config.task !== undefined && config.task !== 'add') return runLongLag(args, backend, config, lock);
  const progress = trainingProgress(args.json === true, 'add');
  let result: TrainResult;
  try {
    result = await train(config, progress?.hooks);
  } finally {
    progress?.stop();
  }
  try {
    if (result.exact) await saveModel(out, result, { lock });
    const title = `${config.bits}-bit adder, ${result.config.optimizer}, seed ${args.seed}`;
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
