// `npm start`: trains an 8-bit adder into models/my-adder-8 (replacing its own last one, never the shipped
// models/adder-8), then adds a few numbers with it, carries and all.
import { add, disposeParams, loadModel } from 'rnn-adder';
import { runCli } from './cli';

const OUT = 'models/my-adder-8';
const SUMS: [number, number][] = [
  [200, 55],
  [127, 128],
  [255, 255],
  [170, 85],
  [1, 254],
];

async function start(): Promise<number> {
  const status = runCli(['train', '--bits', '8', '--out', OUT, '--force']);
  if (status !== 0) return status;
  const model = await loadModel(OUT);
  try {
    console.log(`\nsums by ${OUT}:`);
    for (const [a, b] of SUMS) {
      const sum = add(model, a, b);
      console.log(`  ${a} + ${b} = ${sum}${sum === BigInt(a + b) ? '' : `  (wrong: ${a + b})`}`);
    }
  } finally {
    disposeParams(model.params);
  }
  console.log(`\nmore: node dist/src/cli/main.js add 12345 67890 --model ${OUT}   (wider than 8 bits: its length generalization)`);
  return 0;
}

start().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`start: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  },
);
