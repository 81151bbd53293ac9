// Preloaded with `node --require` into a process under test: when it exits, writes the paths of every module
// it loaded, one a line, to the file named by LOADED_MODULES_FILE.
import { writeFileSync } from 'fs';

const file = process.env.LOADED_MODULES_FILE;
if (file) process.on('exit', () => writeFileSync(file, Object.keys(require.cache).join('\n')));
