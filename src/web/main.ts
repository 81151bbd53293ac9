// The page's wiring: the controls (ui.ts) to the project's own code — operands parsed and added as `rnn-adder add`
// does, its backward pass as `add --backward` reads it, training by the CLI's loop in a worker (worker.ts) or one
// minibatch per Step on this thread, the gradient check of `rnn-adder gradcheck`.
import * as tf from '@tensorflow/tfjs-core';
import { additionBatch, gradientTerms, TERM_PARAMS, TermParam, termSeries, traceBackward } from '../analysis/backward';
import { EXPLODING_PRESET, SteppingConfig, SteppingTrainer, StepRecord } from '../analysis/backward-training';
import type { LossName } from '../engine/loss';
import { DEFAULT_GRADCHECK, runGradcheck } from '../check/gradcheck';
import { parseOperand } from '../data/operands';
import { CELLS, CellName, OptimizerName } from '../names';
import { disposeParams, Params } from '../engine/params';
import { messageFor, named, OptionWording } from '../errors';
import { traceAddition } from '../eval/trace';
import type { LoadedModel } from '../io/from-artifacts';
import { DEFAULT_LEARNING_RATES, defaultConfig, resolveConfig, TrainConfig } from '../train/config';
import { initWebBackend } from './backend';
import { LiveChart } from './chart';
import type { TrainRequest, WorkerMessage } from './messages';
import { fetchModel, modelFromFiles } from './model';
import * as ui from './ui';

/** The width the page trains by default, as `rnn-adder train` does: every one of its 65,536 sums is checked. */
const PAGE_BITS = 8;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The backward view's flow triangle costs T backward passes: past this many steps it is not drawn. */
const MAX_BACKWARD_STEPS = 33;
/** An option as the training form names it: its field's label ("learning rate" for lr), quoted. */
const asField: OptionWording = (option) => `“${document.getElementById(option)?.closest('label')?.firstChild?.textContent?.trim() ?? option}”`;

/** The adder the page adds with: the served model, or the last exact one trained here. */
let adder: { model: LoadedModel; name: string } | undefined;

/**
 * The step-through run, while there is one: its settings, the run, its twin without clipping (when the run clips:
 * the norm chart draws both), and the records of their steps. Its weights replace the adder's in every view.
 */
type Stepping = { config: SteppingConfig; preset: boolean; run: SteppingTrainer; twin?: SteppingTrainer; records: StepRecord[]; twinNorms: number[] };
let stepping: Stepping | undefined;
/** The pending Play step, while playing. */
let playTimer: number | undefined;
let worker: Worker | undefined;
let pairsSeen = 0;
const chart = new LiveChart(ui.controls.chart);

function useAdder(model: LoadedModel, name: string): void {
  if (adder) disposeParams(adder.model.params);
  adder = { model, name };
  const m = model.metadata;
  const cell = model.config.cell === 'elman' ? '' : `${model.config.cell}, `;
  ui.showModelStatus(`${name}: trained on ${m.bits} bits, ${cell}hidden ${m.hidden}, ${(100 * m.accuracy.value).toFixed(2)}% exact (${m.accuracy.method})`);
  add();
}

async function loadServedModel(url: string): Promise<void> {
  ui.showModelStatus(`loading ${url}…`);
  try {
    useAdder(await fetchModel(url), url);
  } catch (error) {
    const still = adder ? `; still adding with ${adder.name}` : '';
    ui.showModelStatus(`${messageOf(error)}${still}`, 'bad');
  }
}

function operand(field: 'a' | 'b', what: string): bigint | undefined {
  try {
    const value = parseOperand(ui.controls[field].value, what);
    ui.showFieldError(field, undefined);
    return value;
  } catch (error) {
    ui.showFieldError(field, messageOf(error));
    return undefined;
  }
}

/** f on the weights the views show: the step-through run's (as tensors for the call), else the adder's. */
function withWeights(f: (params: Params, cell: CellName, kind: LossName) => void): void {
  if (stepping) {
    const params = stepping.run.params();
    try {
      f(params, stepping.config.cell, stepping.config.loss);
    } finally {
      disposeParams(params);
    }
  } else if (adder) {
    f(adder.model.params, adder.model.config.cell ?? 'elman', adder.model.metadata.loss);
  }
}

/** The backward view of a + b: per-step quantities, the flow triangle, and the terms of the chosen ∂ℓ_t/∂W. */
function showBackward(params: Params, a: bigint, b: bigint, kind: LossName): void {
  const batch = additionBatch(a, b);
  if (batch.steps > MAX_BACKWARD_STEPS) {
    ui.showBackward(undefined);
    return;
  }
  const t = ui.offerLossSteps(batch.steps);
  const param = ui.controls.termParam.value as TermParam;
  const terms = gradientTerms(params, batch, t, param, kind);
  ui.showBackward(traceBackward(params, batch, kind), terms, termSeries(terms));
}

/** The sum of the two fields and its backward pass, or nothing at all while either is not a non-negative integer. */
function add(): void {
  const a = operand('a', 'the first operand');
  const b = operand('b', 'the second operand');
  if (a === undefined || b === undefined || (adder === undefined && stepping === undefined)) {
    ui.showAddition(undefined);
    ui.showBackward(undefined);
  } else {
    withWeights((params, cell, kind) => {
      ui.showAddition(traceAddition(params, a, b), cell);
      showBackward(params, a, b, kind);
    });
  }
  ui.showTensors(tf.memory().numTensors);
}

/** The training form as a step-through run's settings. */
function steppingConfig(): SteppingConfig {
  const { cell, bits, hidden, batch, optimizer, lr, seed, loss, clip } = trainConfig();
  return { cell, bits, hidden, batch, optimizer, lr, seed, loss, ...(clip !== undefined && { clip }) };
}

function startStepping(config: SteppingConfig, preset: boolean): void {
  const twin = config.clip === undefined ? undefined : new SteppingTrainer({ ...config, clip: undefined });
  stepping = { config, preset, run: new SteppingTrainer(config), twin, records: [], twinNorms: [] };
}

function describeRun(config: SteppingConfig, preset: boolean): string {
  const clip = config.clip === undefined ? 'no clipping' : `clip ${config.clip}`;
  return `${preset ? 'the exploding-gradient preset: ' : ''}${config.bits}-bit ${config.cell}, hidden ${config.hidden}, ${config.optimizer} lr ${config.lr}, batch ${config.batch}, ${clip}`;
}

function showSteppingState(): void {
  const source = stepping
    ? `Weights: the step-through run after ${stepping.run.updates} steps (${describeRun(stepping.config, stepping.preset)}).`
    : 'Weights: the loaded model.';
  ui.showSteppingState(source, playTimer !== undefined, stepping?.run.diverged === undefined);
  const s = stepping;
  const series = s
    ? [
        { label: s.config.clip === undefined ? 'this run' : `clip ${s.config.clip}`, colour: '#2f6fdd', norms: s.records.map((r) => r.gradNorm) },
        ...(s.twin ? [{ label: 'without clipping', colour: '#c62f2f', norms: s.twinNorms, dashed: true }] : []),
      ]
    : [];
  ui.showNorms(series, s?.config.clip);
}

/** One minibatch of the run (started from the form's settings if there is none), then every view redrawn. */
function step(): boolean {
  try {
    if (!stepping) startStepping(steppingConfig(), false);
  } catch (error) {
    ui.showStep(undefined, messageOf(error), 'bad');
    return false;
  }
  const s = stepping!;
  if (s.run.diverged) return false;
  const record = s.run.step();
  s.records.push(record);
  if (s.twin && !s.twin.diverged) s.twinNorms.push(s.twin.step().gradNorm);
  const clipped = record.clipped ? ` (clipped to ${s.config.clip})` : '';
  const twin = s.twin?.diverged ? `; without clipping the twin diverged at step ${s.twinNorms.length} (${s.twin.diverged})` : '';
  if (record.diverged) {
    ui.showStep(record, `diverged at step ${record.step}: ${record.diverged}. Reset, then lower the rate or set a clip.`, 'bad');
  } else {
    ui.showStep(record, `step ${record.step}: batch loss ${record.loss.toExponential(3)}, ‖g‖ ${record.gradNorm.toExponential(2)}${clipped}${twin}`);
  }
  add();
  if (record.diverged) pause();
  showSteppingState();
  return record.diverged === undefined;
}

function play(): void {
  const tick = () => {
    playTimer = step() ? window.setTimeout(tick, 1000 / Number(ui.controls.rate.value)) : undefined;
    showSteppingState();
  };
  playTimer = window.setTimeout(tick, 0);
  showSteppingState();
}

function pause(): void {
  window.clearTimeout(playTimer);
  playTimer = undefined;
  showSteppingState();
}

/** Ends the run: the views go back to the loaded model. */
function reset(): void {
  pause();
  stepping = undefined;
  ui.showStep(undefined, 'Reset: the views show the loaded model again; Step starts a fresh run with the training form\'s settings.');
  add();
  showSteppingState();
}

function preset(): void {
  pause();
  startStepping(EXPLODING_PRESET, true);
  ui.showStep(undefined, `Ready: ${describeRun(EXPLODING_PRESET, true)}. Step or Play: the dashed twin runs without clipping.`);
  add();
  showSteppingState();
}

/** The form's settings over the CLI's defaults for the chosen width, optimizer and cell, resolved and checked here. */
function trainConfig(): TrainConfig {
  const f = ui.trainFields();
  const { bits, hidden, lr, batch, seed, clip } = f;
  return resolveConfig({ bits, optimizer: f.optimizer as OptimizerName, cell: f.cell as CellName, hidden, lr, batch, seed, clip });
}

/** "8-bit adder", "8-bit lstm adder": as `rnn-adder train` names it. */
function adderName(config: TrainConfig): string {
  return `${config.bits}-bit ${config.cell === 'elman' ? '' : `${config.cell} `}adder`;
}

function finishTraining(): void {
  worker?.terminate();
  worker = undefined;
  ui.setTraining(false);
}

async function onWorkerMessage(message: WorkerMessage, config: TrainConfig): Promise<void> {
  switch (message.kind) {
    case 'started':
      ui.showTrainStatus(`training the ${adderName(config)} on ${message.backend}…`);
      return;
    case 'progress': {
      const p = message.point;
      pairsSeen = p.samples;
      chart.add(p);
      const check = message.check ? `; full check: ${(100 * message.check.accuracy).toFixed(2)}% of sums right` : '';
      ui.showTrainStatus(
        `training: ${p.samples.toLocaleString('en')} pairs, ${(100 * p.accuracy).toFixed(0)}% of recent batch sums right`,
        'plain',
        `loss ${p.loss.toExponential(2)}, ${p.seconds.toFixed(1)} s${check}`,
      );
      return;
    }
    case 'finished': {
      finishTraining();
      const acc = message.accuracy;
      const checked = `${acc.method}, ${acc.pairs.toLocaleString('en')} pairs`;
      const run = `${message.samples.toLocaleString('en')} training pairs in ${message.seconds.toFixed(2)} s`;
      if (!message.exact || message.files === undefined) {
        ui.showTrainStatus(`gave up after ${run}: ${(100 * acc.accuracy).toFixed(2)}% of sums right (${checked})`, 'bad', message.hint === undefined ? undefined : named(message.hint).worded(asField));
        return;
      }
      ui.showTrainStatus(`exact: every sum right (${checked})`, 'good', `${run}; the page now adds with this adder.`);
      ui.offerDownload(message.files);
      const name = `the ${adderName(config)} trained here`;
      useAdder(await modelFromFiles(message.files, name), name);
      return;
    }
    case 'failed':
      finishTraining();
      ui.showTrainStatus(message.template === undefined ? message.message : named(message.template).worded(asField), 'bad');
  }
}

function train(): void {
  let config: TrainConfig;
  try {
    config = trainConfig();
  } catch (error) {
    ui.showTrainStatus(messageFor(error, asField), 'bad');
    return;
  }
  finishTraining();
  pairsSeen = 0;
  ui.setTraining(true);
  ui.offerDownload(undefined);
  ui.showTrainStatus('starting the training worker…');
  chart.reset(`${adderName(config)}, hidden ${config.hidden}, ${config.optimizer} lr ${config.lr}, batch ${config.batch}`);
  worker = new Worker('worker.js');
  worker.onmessage = (event: MessageEvent<WorkerMessage>) =>
    onWorkerMessage(event.data, config).catch((error) => ui.showTrainStatus(messageOf(error), 'bad'));
  worker.onerror = (event) => {
    event.preventDefault();
    finishTraining();
    ui.showTrainStatus(`the training worker failed: ${event.message}`, 'bad');
  };
  worker.postMessage({ config } satisfies TrainRequest);
}

function stop(): void {
  finishTraining();
  const still = adder ? `; the page still adds with ${adder.name}` : '';
  ui.showTrainStatus(`stopped after ${pairsSeen.toLocaleString('en')} training pairs${still}`);
}

function gradcheck(): void {
  ui.showGradcheckRunning();
  // A frame to show "checking…" before the check holds the thread (a fraction of a second).
  requestAnimationFrame(() =>
    setTimeout(() => {
      try {
        const start = performance.now();
        const report = runGradcheck({ ...DEFAULT_GRADCHECK, cell: ui.controls.gradcheckCell.value as CellName });
        ui.showGradcheck(report, (performance.now() - start) / 1000);
      } catch (error) {
        ui.showGradcheckError(messageOf(error));
      }
      ui.showTensors(tf.memory().numTensors);
    }),
  );
}

async function start(): Promise<void> {
  const c = ui.controls;
  ui.setTrainFields(defaultConfig(PAGE_BITS));
  ui.offerChoices(c.gradcheckCell, CELLS, DEFAULT_GRADCHECK.cell ?? 'elman');
  c.a.addEventListener('input', add);
  c.b.addEventListener('input', add);
  c.addForm.addEventListener('submit', (event) => (event.preventDefault(), add()));
  c.modelForm.addEventListener('submit', (event) => (event.preventDefault(), void loadServedModel(c.modelUrl.value.trim())));
  c.optimizer.addEventListener('change', () => (c.lr.value = String(DEFAULT_LEARNING_RATES[c.optimizer.value as OptimizerName])));
  c.trainForm.addEventListener('submit', (event) => (event.preventDefault(), train()));
  c.stop.addEventListener('click', stop);
  c.gradcheck.addEventListener('click', gradcheck);
  ui.offerChoices(c.termParam, TERM_PARAMS, 'Ws');
  c.termStep.addEventListener('change', add);
  c.termParam.addEventListener('change', add);
  c.step.addEventListener('click', () => void step());
  c.play.addEventListener('click', play);
  c.pause.addEventListener('click', pause);
  c.reset.addEventListener('click', reset);
  c.preset.addEventListener('click', preset);
  showSteppingState();
  ui.showBackend(await initWebBackend());
  await loadServedModel(c.modelUrl.value.trim());
}

start().catch((error) => ui.showModelStatus(messageOf(error), 'bad'));
