// The gradient check through the API: defaults filled in, a backend set up first.
import { ensureBackend } from '../backend';
import { withDefaults } from '../defaults';
import { DEFAULT_GRADCHECK, GradcheckConfig, GradcheckReport, runGradcheck } from '../check/gradcheck';

/**
 * Compares every entry of the hand-derived BPTT gradient with tf.grad's and with float64 central finite
 * differences, on random weights and a random batch from `seed`; `ok` when all are within tolerance.
 * @example
 *   const report = await gradcheck({ bits: 16, loss: 'bce' });
 *   for (const c of report.comparisons) console.log(c.message);
 */
export async function gradcheck(options: Partial<GradcheckConfig> = {}): Promise<GradcheckReport> {
  await ensureBackend();
  return runGradcheck(withDefaults(DEFAULT_GRADCHECK, options));
}
