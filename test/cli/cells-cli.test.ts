// The gated cells end to end, as a user runs them: `train --cell lstm|gru` to an exact adder, which plain
// @tensorflow/tfjs loads and runs exactly, `add` reads the cell from the model, `grads` matches an independent
// float64 computation, and `inspect` refuses. (An unknown --cell is in test/cli/cli-parse.test.ts.)
import { expect } from 'chai';
import { spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { BPTT_VS_FINITE_DIFF_TOLERANCE, compareGradients, finiteDifferenceGrads } from '../../src/check/gradcheck';
import { plainParams } from '../../src/check/reference';
import { encodePairs, stepsFor } from '../../src/data/bits';
import { exhaustivePairs } from '../../src/data/sample';
import { CellName, disposeParams, PlainParams } from '../../src/engine/params';
import { loadModel } from '../../src/io';
import { tempDir } from '../support/adders';
import { expectOneLineError, runCli } from '../support/cli';

/** A separate program on plain @tensorflow/tfjs: test/support/plain-tfjs-predict.ts. */
const PLAIN_TFJS_PREDICT = path.join(__dirname, '..', 'support', 'plain-tfjs-predict.js');
const BITS = 3;

for (const cell of ['lstm', 'gru'] as CellName[]) {
  describe(`rnn-adder with --cell ${cell}`, () => {
    let cwd: string;
    let model: string;
    let trained: { samples: number; exact: boolean; cell: string };
    before(async () => {
      await initBackend();
      cwd = await tempDir(`cells-${cell}`);
      const run = await runCli(['train', '--cell', cell, '--bits', String(BITS), '--seed', '1', '--json'], { cwd });
      expect(run.status, run.stderr).to.equal(0);
      trained = JSON.parse(run.stdout);
      model = path.join(cwd, 'trained', `${cell}-${BITS}-seed-1`);
    });
    after(async () => {
      await fs.rm(cwd, { recursive: true, force: true });
    });

    it(`train --cell ${cell} gives an exact adder in trained/${cell}-${BITS}-seed-1 (the default --out), and its metadata names the cell`, async () => {
      // Both gated cells train on their fused kernels by default, and say so.
      expect(trained).to.include({ cell, exact: true, engine: 'fused' });
      const { metadata, config, params } = await loadModel(model);
      disposeParams(params);
      expect(config).to.include({ cell, hidden: 16 });
      expect(metadata).to.include({ cell, bits: BITS, samples: trained.samples });
    });

    it('loads in plain @tensorflow/tfjs, which adds every pair exactly', () => {
      const pairs = exhaustivePairs(BITS);
      const T = stepsFor(BITS);
      const enc = encodePairs(pairs.a, pairs.b, T);
      const x = Array.from({ length: enc.batch }, (_, i) =>
        Array.from({ length: T }, (_, t) => [enc.x[2 * (i * T + t)], enc.x[2 * (i * T + t) + 1]]),
      );
      const run = spawnSync(process.execPath, [PLAIN_TFJS_PREDICT, model, JSON.stringify(x)], { encoding: 'utf8' });
      expect(run.stderr).to.equal('');
      const p: number[] = JSON.parse(run.stdout).probabilities;
      const wrong = pairs.a.filter((a, i) => {
        const sum = p.slice(i * T, (i + 1) * T).reduce((s, v, t) => s + (v > 0.5 ? 2 ** t : 0), 0);
        return sum !== Number(a) + Number(pairs.b[i]);
      });
      expect(wrong, 'pairs plain tfjs adds wrongly').to.deep.equal([]);
    });

    it('add reads the cell from the model and adds', async () => {
      const run = await runCli(['add', '5', '7', '--model', model]);
      expect(run.stderr).to.equal('');
      expect(run.stdout).to.equal('12\n');
    });

    it('grads matches float64 finite differences of the independent reference forward', async () => {
      const run = await runCli(['grads', '--model', model, '--pairs', '3+5,7+7,0+1', '--loss', 'bce', '--json']);
      expect(run.status, run.stderr).to.equal(0);
      const out = JSON.parse(run.stdout) as { loss: number; grads: PlainParams };
      const { params } = await loadModel(model);
      const weights = plainParams(params);
      disposeParams(params);
      const data = encodePairs([3, 7, 0], [5, 7, 1], stepsFor(BITS));
      const c = compareGradients('grads vs finite differences', finiteDifferenceGrads(weights, data, 'bce'), out.grads, BPTT_VS_FINITE_DIFF_TOLERANCE);
      expect(c.ok, c.message).to.equal(true);
      expect(c.params.map((p) => p.param)).to.deep.equal(['Wx', 'Ws', 'bs', 'Wy', 'by']);
    });

    it('inspect refuses the model in one line', async () => {
      expectOneLineError(
        await runCli(['inspect', '--model', model]),
        `${model} is a network of the ${cell} cell: inspect reads the carry automaton of Elman networks only`,
      );
    });
  });
}
