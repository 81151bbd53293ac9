// Which tfjs backend was asked for: `--backend` > RNN_ADDER_BACKEND > auto. Apart from src/backend.ts, which
// loads tfjs, so that the CLI can refuse a bad choice as a usage error in the time it takes Node to start.
import { UserError } from './errors';
import { BACKEND_ENV, BackendChoice, BackendName, BACKENDS } from './names';

/**
 * The backend asked for: `requested` if given, else `env[RNN_ADDER_BACKEND]`, else auto (an empty variable counts
 * as unset). An unknown name is refused, saying where it came from.
 */
export function backendChoice(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): BackendChoice {
  const [value, source] = requested !== undefined ? [requested, '--backend'] : [env[BACKEND_ENV], BACKEND_ENV];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new UserError(`${source} is "${value}": expected one of auto, ${BACKENDS.join(', ')}`);
}
