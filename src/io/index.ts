// Model directories on disk (DESIGN.md "The model on disk"): the pieces live in src/io/.
export { MODEL_JSON, WEIGHTS_BIN } from './format';
export { loadAdder, loadModel, LoadedModel } from './load';
export { encodeModel } from './encode';
export { saveModel, SaveOptions } from './save';
