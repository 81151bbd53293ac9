// `npm run bench [-- --suite NAME[,NAME…]] [-- --json]`: the speed figures of docs/benchmarks.md, measured in one
// run on one backend, each against its peer of the same run. `--help` lists the suites. With --json the last
// stdout line is one JSON object: every suite's keys, the machine, its load, the date.
import * as os from 'os';
import { initBackend } from 'rnn-adder';
import { log, machine, setQuiet } from './harness';
import { findNumpyPeer } from './peer';
import { SUITES } from './suites';

const USAGE = [
  'usage: npm run bench [-- --suite NAME[,NAME…]] [-- --json]',
  '',
  'Runs every suite (or those named), on the backend RNN_ADDER_BACKEND or the best one here.',
  '  --suite NAME[,NAME…]  only these suites:',
  ...SUITES.map((s) => `      ${s.name.padEnd(14)} ${s.describe}`),
  '  --json                print nothing but one JSON line of every figure at the end',
  '  --help                this text',
].join('\n');

class UsageError extends Error {}

/** The suites named by --suite (all without it); an unknown name is a usage error. */
function chosenSuites(argv: string[]): typeof SUITES {
  const at = argv.findIndex((a) => a === '--suite' || a.startsWith('--suite='));
  if (at < 0) return SUITES;
  const value = argv[at].includes('=') ? argv[at].slice('--suite='.length) : argv[at + 1];
  const names = (value ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--suite: ${unknown.length > 0 ? `unknown suite ${unknown.join(', ')}` : 'name a suite'}; one of ${SUITES.map((s) => s.name).join(', ')}`);
  }
  return SUITES.filter((s) => names.includes(s.name));
}

async function bench(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const known = new Set(['--json', '--suite', '--help']);
  const flag = argv.find((a, i) => a.startsWith('-') && !known.has(a.split('=')[0]) && argv[i - 1] !== '--suite');
  if (flag !== undefined) throw new UsageError(`unknown option ${flag} (see --help)`);
  const json = argv.includes('--json');
  const suites = chosenSuites(argv);
  setQuiet(json);
  const backend = await initBackend();
  const peer = findNumpyPeer();
  const started = performance.now();
  const where = machine();
  log(`rnn-adder benchmark: backend ${backend}, ${where.cpus} × ${where.model}, node ${where.node}, load ${where.load.start.toFixed(1)}`);
  const figures: Record<string, unknown> = {};
  for (const suite of suites) Object.assign(figures, await suite.run({ backend, peer }));
  where.load.end = +os.loadavg()[0].toFixed(2);
  log(`\nbench took ${((performance.now() - started) / 1000).toFixed(0)} s; load ${where.load.start.toFixed(1)} at the start, ${where.load.end.toFixed(1)} at the end`);
  if (json) console.log(JSON.stringify({ backend, suites: suites.map((s) => s.name), ...figures, machine: where, date: new Date().toISOString() }));
}

bench(process.argv.slice(2)).catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
