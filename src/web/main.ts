// The page's wiring: the controls (ui.ts) to the project's own code — operands parsed and added as `rnn-adder add`
// does, training by the CLI's loop in a worker (worker.ts), the gradient check of `rnn-adder gradcheck`.
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_GRADCHECK, runGradcheck } from '../check/gradcheck';
import { parseOperand } from '../data/operands';
import { CELLS, CellName, OptimizerName } from '../names';
import { disposeParams } from '../engine/params';
import { messageFor, OptionWording } from '../errors';
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

/** An option as the training form names it: its field's label ("learning rate" for lr), quoted. */
const asField: OptionWording = (option) => `“${document.getElementById(option)?.closest('label')?.firstChild?.textContent?.trim() ?? option}”`;

/** The adder the page adds with: the served model, or the last exact one trained here. */
let adder: { model: LoadedModel; name: string } | undefined;
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

/** The sum of the two fields, or nothing at all while either is not a non-negative integer. */
function add(): void {
  const a = operand('a', 'the first operand');
  const b = operand('b', 'the second operand');
  if (a === undefined || b === undefined || adder === undefined) ui.showAddition(undefined);
  else ui.showAddition(traceAddition(adder.model.params, a, b), adder.model.config.cell);
  ui.showTensors(tf.memory().numTensors);
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
        ui.showTrainStatus(`gave up after ${run}: ${(100 * acc.accuracy).toFixed(2)}% of sums right (${checked})`, 'bad', message.hint);
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
      ui.showTrainStatus(message.message, 'bad');
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
  ui.showBackend(await initWebBackend());
  await loadServedModel(c.modelUrl.value.trim());
}

start().catch((error) => ui.showModelStatus(messageOf(error), 'bad'));
