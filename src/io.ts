// Model directories on disk (DESIGN.md "The model on disk"): the pieces live in src/io/.
export { MODEL_JSON, WEIGHTS_BIN } from './io/format';
export { loadModel, LoadedModel } from './io/load';
export { encodeModel, saveModel, SaveOptions } from './io/save';
