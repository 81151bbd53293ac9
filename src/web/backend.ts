// The page's tfjs backend, for the page and its training worker alike: wasm and cpu registered, and tfjs picks as
// it always does (the highest priority that initialises: wasm, else cpu). The .wasm files come from our own
// server (rnn-adder serve puts tfjs-backend-wasm's dist/ at /wasm/), never a CDN.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export const WASM_PATH = '/wasm/';

/** Initialises tfjs and returns the backend's name. */
export async function initWebBackend(): Promise<string> {
  setWasmPaths(WASM_PATH);
  await tf.ready();
  return tf.getBackend();
}
