// Picks the tfjs backend: `tensorflow` (tfjs-node, where it installed) > `wasm` > `cpu`,
// or the one forced by `--backend` / RNN_ADDER_BACKEND, and says which it used.
// tfjs-core and the two backends, not the whole @tensorflow/tfjs (which also loads webgl, the converter and
// tfjs-data): ~40 ms off every start. One tfjs-core is shared by all, tfjs-node's included. Its Node bundle does
// not register the chained ops (`t.reshape(…)`), so src/ calls the functions (`tf.reshape(t, …)`). Each backend
// loads only when it is tried (the cpu backend is ~12 ms CPU of a start where wasm runs): neither needs the other.
import * as tf from '@tensorflow/tfjs-core';
import { backendChoice } from './backend-choice';
import { UserError } from './errors';
import { BackendName, BACKENDS } from './names';

// PROD silences tfjs' "install the node backend" banner, which would otherwise land on stderr.
tf.env().set('PROD', true);

/** Each backend's package, which registers it on the shared tfjs-core when loaded. */
const BACKEND_PACKAGES: Record<BackendName, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/**
 * Loads the backend's package, which registers it on the shared tfjs-core as a side effect (a second require is
 * the module cache's); false where it is not installed (tfjs-node is optional).
 */
function backendLoads(name: BackendName): boolean {
  try {
    require(BACKEND_PACKAGES[name]);
    return true;
  } catch (error) {
    if (name === 'tensorflow') return false;
    throw error;
  }
}

let chosen: BackendName | undefined;

/** What XNNPACK prints when it declines an operation (an empty matrix, say), which tfjs then computes anyway. */
const XNN_STATUS = /^XNN status for /;
const consoleWarn = console.warn;

/**
 * tf.setBackend without tfjs' noise on stderr: a backend that fails to start warns there (initBackend says so in
 * its own line), and the wasm module binds its C side's stderr to console.warn as it starts, so the filter set
 * here stays its stderr and drops XNNPACK's status lines for good.
 */
async function setBackendQuietly(name: BackendName): Promise<boolean> {
  let starting = true;
  console.warn = (...args: unknown[]) => {
    if (!starting && !XNN_STATUS.test(String(args[0]))) consoleWarn.apply(console, args);
  };
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    return true;
  } finally {
    starting = false;
    console.warn = consoleWarn;
  }
}

/**
 * The backend tfjs is using, set up first if there is none: a backend the caller chose (initBackend, or
 * tf.setBackend) is kept; otherwise RNN_ADDER_BACKEND or `auto` decides. What the API calls before any tensor work.
 */
export async function ensureBackend(): Promise<string> {
  if (chosen !== undefined) return chosen;
  const current = tf.engine().backendName;
  if (current != null && tf.engine().registry[current] !== undefined) return current;
  return initBackend();
}

/**
 * Initialises tfjs once per process and returns the backend now in use: `requested` (a name or 'auto'), else
 * RNN_ADDER_BACKEND, else the first of tensorflow > wasm > cpu that starts.
 */
export async function initBackend(requested?: string): Promise<BackendName> {
  const choice = backendChoice(requested);
  if (chosen !== undefined && (choice === 'auto' || choice === chosen)) return chosen;
  const order: BackendName[] = choice === 'auto' ? [...BACKENDS] : [choice];
  for (const name of order) {
    if (!backendLoads(name)) continue;
    if (await setBackendQuietly(name)) {
      chosen = name;
      return name;
    }
  }
  throw new UserError(
    choice === 'tensorflow'
      ? 'backend "tensorflow" needs @tensorflow/tfjs-node, which is not installed here (try --backend wasm)'
      : `backend "${choice}" could not be initialised`,
  );
}
