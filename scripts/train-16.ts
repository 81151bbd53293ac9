// `npm run train:16`: trains the shipped 16-bit adder into models/adder-16 (extra flags pass through to `train`).
import { runCli } from './cli';

process.exitCode = runCli(['train', '--bits', '16', '--out', 'models/adder-16', '--force', ...process.argv.slice(2)]);
