// Model directories on disk (DESIGN.md "The model on disk"): the pieces live in src/io/.
export { MODEL_JSON, WEIGHTS_BIN } from './format';
export { loadModel, LoadedModel } from './load';
export { encodeModel } from './encode';
export { lockModelDirectory, saveModel, SaveOptions } from './save';
export { SaveLock } from './atomic';
