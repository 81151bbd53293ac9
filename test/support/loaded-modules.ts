// Preloaded into a CLI run (NODE_OPTIONS=--require): writes the modules the process loaded, one path a line, to
// $LOADED_MODULES_OUT when it exits. What a command loads is its start-up time.
import * as fs from 'fs';

const out = process.env.LOADED_MODULES_OUT;
if (out !== undefined) process.on('exit', () => fs.writeFileSync(out, Object.keys(require.cache).join('\n') + '\n'));
