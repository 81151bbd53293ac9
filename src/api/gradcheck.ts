// The gradient check through the API: its options checked as the CLI checks its flags, defaults filled in, a
// backend set up first.
import { ensureBackend } from '../backend';
import { checkBoolean, checkChoice, checkInteger, checkOptionsObject } from '../data/arguments';
import { CELLS, LOSSES } from '../names';
import { checkGradcheckWork } from '../limits';
import { GATES } from '../engine/params';
import { withDefaults } from '../defaults';
import { DEFAULT_GRADCHECK, GradcheckConfig, GradcheckReport, runGradcheck } from '../check/gradcheck';
import { GRADCHECK_MAX } from '../check/gradcheck-config';

/** Refuses, before any tensor exists, what `rnn-adder gradcheck` refuses. */
function checkGradcheckConfig(c: GradcheckConfig): void {
  checkChoice(c.cell ?? 'elman', 'cell', CELLS);
  checkInteger(c.bits, 'bits', 1, GRADCHECK_MAX.bits, 'limit');
  checkInteger(c.hidden, 'hidden', 1, GRADCHECK_MAX.hidden, 'limit');
  checkInteger(c.batch, 'batch', 1, GRADCHECK_MAX.batch, 'limit');
  checkInteger(c.seed, 'seed', 0, Number.MAX_SAFE_INTEGER);
  checkBoolean(c.bias, 'bias');
  checkChoice(c.loss, 'loss', LOSSES);
  checkGradcheckWork({ gates: GATES[c.cell ?? 'elman'], bits: c.bits, hidden: c.hidden, batch: c.batch });
}

/**
 * Compares every entry of the hand-derived BPTT gradient with tf.grad's and with float64 central finite
 * differences, on random weights and a random batch from `seed`; `ok` when all are within tolerance. Options
 * out of the CLI's bounds throw an OptionError naming the option.
 * @example
 *   const report = await gradcheck({ bits: 16, loss: 'bce' });
 *   for (const c of report.comparisons) console.log(c.message);
 */
export async function gradcheck(options: Partial<GradcheckConfig> = {}): Promise<GradcheckReport> {
  checkOptionsObject(options, 'options');
  const config = withDefaults(DEFAULT_GRADCHECK, options);
  checkGradcheckConfig(config);
  await ensureBackend();
  return runGradcheck(config);
}
