// The API's vocabulary, free of tfjs: the names, defaults and limits a command line parses against. Loading this
// loads no tfjs, so `--help` and usage errors answer in Node's start-up time. The entry point re-exports it all.
export { BACKEND_ENV, BackendChoice, BackendName, BACKENDS } from './backend-choice';
export { CellName, CELLS, InitName, INITS, LossName, LOSSES } from './engine/names';
export { DEFAULT_GRADCHECK, GradcheckConfig } from './check/gradcheck-config';
export {
  DEFAULT_LEARNING_RATES,
  defaultConfig,
  defaultEngine,
  EngineName,
  ENGINES,
  FUSED_CELLS,
  OptimizerName,
  OPTIMIZERS,
  TrainConfig,
} from './train/config';
export { DEFAULT_SAMPLED_PAIRS, EXHAUSTIVE_MAX_BITS, MAX_EVAL_BITS } from './eval/limits';
export { DEFAULT_INSPECT, InspectOptions } from './analysis/inspect-options';
export { asFlag, asOption, messageFor, named, OptionError, OptionWording, Template, UsageError, UserError, UserErrorCode } from './errors';
// The largest sizes the commands accept (a flag, or a number read from a model file), each measured to finish in
// about a minute.
export {
  checkBpttStates,
  checkGradcheckWork,
  checkPairSteps,
  MAX_BATCH,
  MAX_BPTT_STATES,
  MAX_EVAL_SAMPLES,
  MAX_GRAD_PAIRS,
  MAX_GRADCHECK_WORK,
  MAX_HIDDEN,
  MAX_OPERAND_DIGITS,
  MAX_PAIR_STEPS,
  MAX_TRAIN_BITS,
  MAX_TRAIN_SAMPLES,
} from './limits';
