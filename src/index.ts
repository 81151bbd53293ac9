// rnn-adder's public API: `import { train, loadModel, add } from 'rnn-adder'`. Everything a script, the CLI or a
// page needs, and nothing else; each name is documented where it is defined, and all are listed in docs/api.md.
// The parts below read bottom-up, as the source does (README.md, "Layout").

// Backend: tensorflow (tfjs-node) > wasm > cpu. train, loadModel and gradcheck set one up by themselves; call
// initBackend first to choose, or before using the engine's tensor functions directly.
export { initBackend } from './backend';

// Names, limits and errors (no tfjs behind them): cells, losses, inits, optimizers, engines, tasks, backends; the
// largest sizes the commands accept; the errors a caller can cause, with their codes.
export * from './names';
export * from './limits';
export * from './errors';

// Data: numbers as bit sequences (least significant bit first, T = bits + 1 steps), seeded operand sets.
export { decodeBits, EncodedBatch, encodePairs, Operand, stepsFor } from './data/bits';
export { carryChainPairs, exhaustivePairs, Pairs, randomPairs, Rng, seededRng } from './data/sample';
export { OperandPairs, parseOperand, parsePairs } from './data/operands';

// Engine: the parameters, each cell's hand-derived forward and backward pass, the loss, and tf.grad's cross-check.
export {
  disposeParams,
  GATES,
  Grads,
  initParams,
  NetConfig,
  PARAM_NAMES,
  ParamName,
  Params,
  paramShapes,
  PlainParams,
} from './engine/params';
export { backward, ForwardCache, forward, lossAndGrads } from './engine/elman';
export { CellCache, CellEngine, disposeCache, LossAndGrads, SequenceOptions, statesOf } from './engine/cell';
export { CELL_ENGINES, engineFor } from './engine/cells';
export { LstmCache, LstmStep } from './engine/lstm';
export { GruCache, GruStep } from './engine/gru';
export { loss } from './engine/loss';
export { autodiffLossAndGrads } from './engine/autodiff';
export { fusedForward, fusedGrads, fusedLossAndGrads, fusedPrefixOutputs } from './engine/fused/elman';
export { ElmanKernel } from './engine/fused/elman-kernel';
export { fusedLstmForward, fusedLstmGrads, fusedLstmLossAndGrads } from './engine/fused/lstm';
export { LstmKernel } from './engine/fused/lstm-kernel';
export { fusedGruForward, fusedGruGrads, fusedGruLossAndGrads } from './engine/fused/gru';
export { GruKernel } from './engine/fused/gru-kernel';
export { fusedEngineFor } from './engine/fused/cells';
export { FusedGrads } from './engine/fused/ops';
export { FusedKernel, FlatParams, KernelOutputs, KernelSequenceOptions, KernelState, KernelStep } from './engine/fused/contract';
export { ActivationName, KERNEL_CAPABILITIES, KernelCapabilities } from './engine/fused/capabilities';
export { CellWeights, LayerGrads, LayerKernel, LayerOptions } from './engine/fused/contract';

// Fused tfjs layers: tfjs' SimpleRNN, LSTM and GRU trained by the hand-derived backward in one kernel call, and the
// conversions to and from tfjs' own layers.
export { FusedSimpleRNN, fusedSimpleRNN } from './layers/simple-rnn';
export { FusedLSTM, fusedLSTM } from './layers/lstm';
export { FusedGRU, fusedGRU } from './layers/gru';
export { FusedGRUArgs, FusedLSTMArgs, FusedSimpleRNNArgs } from './layers/options';
export { toFusedModel, toStandardModel } from './layers/convert';
export { inputTensor, maskTensor, targetTensor } from './engine/batch-tensors';

// Check: hand BPTT against tf.grad and float64 finite differences; a batch's gradients as plain numbers.
export { gradcheck } from './api/gradcheck';
export { DEFAULT_GRADCHECK, GradcheckConfig } from './check/gradcheck-config';
export {
  BPTT_VS_AUTODIFF_TOLERANCE,
  BPTT_VS_FINITE_DIFF_TOLERANCE,
  Comparison,
  GradcheckReport,
  ParamComparison,
} from './check/gradcheck';
export { GRADCHECK_COLUMNS, gradcheckRows } from './check/report-rows';
export { batchGradients } from './check/batch-grads';

// Train any task until solved, with progress callbacks; save what it trained.
export { train } from './api/train';
export { saveModel } from './api/save';
export {
  DEFAULT_LEARNING_RATES,
  defaultConfig,
  defaultEngine,
  defaultTaskConfig,
  FUSED_CELLS,
  resolveConfig,
  taskSettings,
  TrainConfig,
  TrainOptions,
} from './train/config';
export { TaskScore, TaskScores, TrainResult } from './train/train';

// Tasks beside addition: the echo of a bit stream (the TensorFlow examples that came with Trask's adder) and
// Hochreiter & Schmidhuber's adding problem.
export { describeTask, TaskSettings, TaskWords, TASK_INPUTS, TASK_WORDS } from './tasks/task';
export { DEFAULT_DELAY, DEFAULT_ECHO_TBPTT, ECHO_TEST_BITS, echoStream, MAX_DELAY } from './tasks/echo';
export {
  addingProblemBatch,
  MAX_LENGTH,
  MIN_LENGTH,
  PAPER_SEQUENCES_AT_100,
  RIGHT_WITHIN,
  TEST_SEQUENCES,
} from './tasks/adding-problem';
export { SequenceBatch } from './data/sequences';
export { EchoScore, scoreEcho } from './eval/echo';
export { AddingProblemScore, testAddingProblem } from './eval/adding-problem';
export { TrainHooks } from './train/loop';
export { lossDrop, MIN_LOSS_DROP, RELIABLE_HIDDEN, Stall, StallCause, STALL_WINDOW } from './train/stall';
export { notExactHint } from './train/hint';
// Train step by step, as the loop does (what the benchmark times): parameters as one flat vector, a gradient step
// through an engine, an update rule.
export { FlatLayout, flatLayout, paramsFromFlat, readFlat } from './train/flat';
export { gradientStep, StepReadout } from './train/gradient-step';
export { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, AdamSettings, ADDER_ADAM, createOptimizer, Optimizer, STANDARD_ADAM } from './train/optimizers';
export { batchSampler } from './tasks/add';
export { HistoryPoint } from './train/history';

// Use and measure an adder; save and load it (the standard tfjs format, atomic saves, checked loads).
export { add, Adder, evaluate, loadAdder, loadModel, toLayersModel } from './api/adder';
export { Accuracy, Verification } from './eval/accuracy';
export { EvaluateOptions } from './eval/evaluate';
export { GENERALIZATION_WIDTHS, lengthGeneralization } from './eval/generalization';
export { AdditionTrace, traceAddition, TraceStep } from './eval/trace';
export { LoadedModel, lockModelDirectory, MODEL_JSON, SaveLock, WEIGHTS_BIN } from './io';
export { ModelMetadata } from './io/metadata';

// Seeing inside: gradient flow over the lag, the automaton the network learned, and their plots as SVG.
export { GradFlow, GradFlowOptions, gradientFlow } from './analysis/gradflow';
export {
  additionBatch,
  BackwardStep,
  BackwardTrace,
  GradientTerms,
  gradientTerms,
  lossAtStep,
  Matrix,
  stepNorms,
  TERM_PARAMS,
  TermParam,
  TermSeries,
  termSeries,
  traceBackward,
} from './analysis/backward';
export { EXPLODING_PRESET, SteppingConfig, SteppingTrainer, StepRecord } from './analysis/backward-training';
export { DEFAULT_INSPECT, InspectOptions } from './analysis/inspect-options';
export { Inspection, inspectAdder } from './analysis/inspect';
export { makePlotDirectory, writeSvg } from './plot/render';
export { gradFlowSpec, inspectSpec, NamedGradFlow, trainingCurvesSpec } from './plot/specs';

// The page: its static server on 127.0.0.1 (the bundled page, tfjs' .wasm files, one model directory).
export { RunningServer, ServeOptions, startServer } from './serve/server';
