// The work of `rnn-adder train`, for every task: train until solved (or give up), save, plot, print the summary.
// Imports the modules it runs, not the package's index: the gradient check, the analyses and the server stay unloaded.
import { saveModel } from '../../api/save';
import { disposeParams } from '../../engine/params';
import { asFlag } from '../../errors';
import { lockModelDirectory, SaveLock } from '../../io';
import { BackendName } from '../../names';
import { PAPER_SEQUENCES_AT_100, RIGHT_WITHIN } from '../../tasks/adding-problem';
import { describeTask, TASK_WORDS } from '../../tasks/task';
import { TrainConfig, taskSettings } from '../../train/config';
import { notExactHint } from '../../train/hint';
import { trainNetwork, TrainResult } from '../../train/train';
import { percent } from '../percent';
import { trainingProgress } from '../progress';
import { CommonArgs, emit } from '../run';
import { TrainFlags } from '../train-config';

export interface TrainArgs extends CommonArgs, TrainFlags {
  /** Resolved and checked by the parser from the flags. */
  config: TrainConfig;
  /** Resolved by the parser: --out, else defaultModelDir; free, or replaceable with --force. */
  out: string;
  force: boolean;
  plot?: string;
}

/** Said before training starts, so that a long run shows at once what it is doing. */
function configurationLine(c: TrainConfig, backend: string): string {
  const task = taskSettings(c);
  const cell = c.cell === 'elman' ? '' : `${c.cell} `;
  const what = task.task === 'add' ? `${task.bits}-bit ${cell}adder` : `${describeTask(task)}, ${c.cell}`;
  // Adam's settings and the initialisation where they are not the adders' (the adding problem's LSTM).
  const moments = c.optimizer === 'adam' && c.adam ? ` β1 ${c.adam.beta1} β2 ${c.adam.beta2}` : '';
  const init = c.init === 'uniform' ? '' : `, ${c.init} init`;
  return (
    `${what}, hidden ${c.hidden}, ${c.tbptt === undefined ? '' : `tbptt ${c.tbptt}, `}engine ${c.engine}, backend ${backend} ` +
    `(${c.optimizer}${moments} lr ${c.lr}, batch ${c.batch}, ${c.loss}${init}, seed ${c.seed})`
  );
}

/** The summary's first two lines: the samples trained on, and the verdict on fresh data. */
function verdictLines(result: TrainResult): string[] {
  const { score: s, task } = result;
  const seconds = `in ${result.seconds.toFixed(2)} s`;
  if ('pairs' in s) {
    const checked = `${s.method}, ${s.pairs.toLocaleString('en')} pairs`;
    return [
      `${result.samples.toLocaleString('en')} training pairs ${seconds}`,
      result.solved
        ? `exact: every sum right (${checked})`
        : `NOT exact: ${percent(s.accuracy)} of sums right (${checked}); ${notExactHint(result, asFlag)}`,
    ];
  }
  const tested =
    'delay' in s
      ? `${s.right.toLocaleString('en')} of ${s.scored.toLocaleString('en')} bits of a fresh ${s.bits.toLocaleString('en')}-bit stream echoed right`
      : `${s.wrong} wrong of ${s.sequences.toLocaleString('en')} fresh sequences (|error| ≥ ${RIGHT_WITHIN}), mean squared error ${s.mse.toExponential(2)}`;
  const paper =
    task.task === 'adding-problem' && task.length === 100 && result.solved
      ? ` (Hochreiter & Schmidhuber's LSTM: ${PAPER_SEQUENCES_AT_100.toLocaleString('en')})`
      : '';
  return [
    `${result.samples.toLocaleString('en')} training ${TASK_WORDS[task.task].samples}${paper} ${seconds}`,
    `${result.solved ? 'solved' : 'NOT solved; try more --max-samples or another --seed'}: ${tested}`,
  ];
}

/** The --json object: the adder's keys, or the long-lag tasks' (both as the README shows them). */
function jsonOf(result: TrainResult, backend: BackendName, out: string | undefined, plot: string | undefined): object {
  const { config: c, score: s } = result;
  const run = { samples: result.samples, steps: result.steps, seconds: result.seconds };
  if ('pairs' in s) {
    const verified = { method: s.method, pairs: s.pairs, accuracy: s.accuracy };
    return {
      backend, bits: c.bits, cell: c.cell, hidden: c.hidden, engine: c.engine, ...run, exact: result.solved, verified,
      out: out ?? null, fullChecks: result.checks, config: c, failures: s.failures, history: result.history,
      plot: plot ?? null, stall: result.stall ?? null,
    };
  }
  return {
    backend, ...result.task, hidden: c.hidden, tbptt: c.tbptt ?? null, engine: c.engine, ...run, solved: result.solved, score: s,
    out: out ?? null, config: c, history: result.history, plot: plot ?? null,
  };
}

/** training.svg in `dir`: loss and accuracy against samples. The plotting modules load only for --plot. */
async function plotCurves(dir: string, result: TrainResult): Promise<string> {
  const [{ writeSvg }, { trainingCurvesSpec }] = await Promise.all([import('../../plot/render'), import('../../plot/specs')]);
  const { config: c, task } = result;
  const what = task.task === 'add' ? `${task.bits}-bit adder` : describeTask(task);
  return writeSvg(dir, 'training.svg', trainingCurvesSpec(result.history, `${what}, ${c.optimizer}, seed ${c.seed}`, task.task));
}

export async function run(args: TrainArgs, backend: BackendName): Promise<void> {
  // An --out or --plot that cannot be written is said before training, not after; the lock on --out refuses a
  // second run saving there at once.
  const lock = await lockModelDirectory(args.out);
  try {
    if (args.plot !== undefined) await (await import('../../plot/render')).makePlotDirectory(args.plot);
    await trainAndReport(args, backend, lock);
  } finally {
    await lock.release();
  }
}

async function trainAndReport(args: TrainArgs, backend: BackendName, lock: SaveLock): Promise<void> {
  const { config } = args;
  const task = config.task ?? 'add';
  if (!args.json) process.stdout.write(configurationLine(config, backend) + '\n');
  const progress = trainingProgress(args.json === true, task);
  let result: TrainResult;
  try {
    // The configuration was resolved and checked by the parser, and the backend set up by the handler.
    result = trainNetwork(config, progress?.hooks);
  } finally {
    progress?.stop();
  }
  try {
    if (result.solved) await saveModel(args.out, result, { lock });
    const plot = args.plot === undefined ? undefined : await plotCurves(args.plot, result);
    const saved = result.solved ? args.out : undefined;
    const text = () => [...verdictLines(result), saved !== undefined ? `saved to ${saved}` : 'nothing saved'].join('\n') + (plot ? `\nwrote ${plot}` : '');
    emit(args, jsonOf(result, backend, saved, plot), text);
  } finally {
    disposeParams(result.params);
  }
  if (!result.solved) process.exitCode = 1;
}
