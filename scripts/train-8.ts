// `npm run train:8`: trains the shipped 8-bit adder into models/adder-8 (extra flags pass through to `train`).
import { runCli } from './cli';

process.exitCode = runCli(['train', '--bits', '8', '--out', 'models/adder-8', '--force', ...process.argv.slice(2)]);
