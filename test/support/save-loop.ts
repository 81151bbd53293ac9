// A process that saves to one directory again and again for a while, alternating two models told apart by their
// seed (initParams(config, seed)), for the test of loads racing saves: `node save-loop.js DIR MS`.
import { initBackend } from '../../src/backend';
import { disposeParams, initParams, NetConfig } from '../../src/engine/params';
import { saveModel } from '../../src/io';
import { fixtureMetadata } from './adders';

/** The racing models: H 8 Elman networks, seeds 1 and 2. */
export const RACE_CONFIG: NetConfig = { cell: 'elman', hidden: 8, bias: true };
export const RACE_SEEDS = [1, 2];

async function main(dir: string, ms: number): Promise<void> {
  await initBackend('cpu');
  const params = RACE_SEEDS.map((seed) => initParams(RACE_CONFIG, seed));
  const end = Date.now() + ms;
  let saves = 0;
  for (let i = 0; Date.now() < end; i++) {
    const seed = RACE_SEEDS[i % RACE_SEEDS.length];
    await saveModel(dir, params[i % RACE_SEEDS.length], { ...fixtureMetadata(RACE_CONFIG), seed });
    saves++;
  }
  params.forEach(disposeParams);
  process.stdout.write(`${saves}\n`);
}

if (require.main === module) {
  main(process.argv[2], Number(process.argv[3])).catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
