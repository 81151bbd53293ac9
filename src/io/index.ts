// Model directories on disk (docs/model-format.md): the pieces live in src/io/.
export { MODEL_JSON, WEIGHTS_BIN } from './format';
export { loadAdder, loadModel, LoadedModel } from './load';
export { encodeModel } from './encode';
export { lockModelDirectory, saveModel, SaveOptions } from './save';
export { SaveLock } from './atomic';
