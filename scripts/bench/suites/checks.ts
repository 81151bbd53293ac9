// The exactness checks the training loop runs: the exhaustive 8-bit evaluation (65,536 pairs by shared prefixes)
// and the sampled 16-bit check (10,014 pairs), through the fused forward; and the exhaustive check per cell.
import { CellName, CELLS, disposeParams, evaluate, initParams } from 'rnn-adder';
import { log, round, timePerCall } from '../harness';
import { Suite } from '../suite';
import { NET } from '../training-step';

/** ms of one evaluation at `bits` (best of `reps` after `warmup`), logged with its median. */
function evaluationMs(label: string, cell: CellName, bits: number, reps: number, warmup: number): number {
  const params = initParams({ ...NET, cell }, 1);
  const { best, median } = timePerCall(() => evaluate({ params }, bits), 1, reps, warmup);
  disposeParams(params);
  log(`  ${label}: ${best.toFixed(1)} ms (median ${median.toFixed(1)} ms)`);
  return round(best, 2);
}

export const checks: Suite = {
  name: 'checks',
  describe: 'the exactness checks: exhaustive 8-bit and sampled 16-bit (fused forward), and the 8-bit one per cell',
  run() {
    log('\nexactness checks (the fused forward):');
    const evalExhaustive8Ms = evaluationMs('exhaustive 8-bit evaluation (65,536 pairs)', 'elman', 8, 7, 2);
    const evalSampled16Ms = evaluationMs('sampled 16-bit check (10,014 pairs)', 'elman', 16, 7, 2);
    log(`  target: exhaustive 8-bit ≤ 100 ms`);
    log('\nper cell, exhaustive 8-bit evaluation:');
    const cellEval = Object.fromEntries(
      CELLS.map((cell) => [cell, round(evaluationMs(`${cell.padEnd(5)} (65,536 pairs)`, cell, 8, 3, 1), 1)]),
    ) as Record<CellName, number>;
    return { evalExhaustive8Ms, evalSampled16Ms, cellEval };
  },
};
