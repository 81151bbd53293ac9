// A gradient check's report as a table of text, a row per parameter and comparison: what `rnn-adder gradcheck`
// prints and the page shows.
import type { GradcheckReport } from './gradcheck';

export const GRADCHECK_COLUMNS = ['param', 'comparison', 'worst rel err', 'at', 'got', 'expected', 'tolerance', ''];

/** One row per parameter and comparison, in GRADCHECK_COLUMNS' order; the last cell is `ok` or `FAIL`. */
export function gradcheckRows(report: GradcheckReport): string[][] {
  return report.comparisons.flatMap((c) =>
    c.params.map((p) => [
      p.param,
      c.label,
      p.relError.toExponential(2),
      `[${p.index}]`,
      p.actual.toExponential(4),
      p.expected.toExponential(4),
      String(c.tolerance),
      p.ok ? 'ok' : 'FAIL',
    ]),
  );
}
