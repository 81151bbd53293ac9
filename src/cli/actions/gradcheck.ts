// The work of `rnn-adder gradcheck`: run the comparisons (bptt and, for a cell with a fused kernel, the fused kernel, each
// against tf.grad and finite differences) and print them as a table.
import { BackendName, checkGradcheckWork, GATES, gradcheck, GradcheckConfig, GradcheckReport, GRADCHECK_COLUMNS, gradcheckRows } from '../../index';
import { CommonArgs, emit } from '../run';

export interface GradcheckArgs extends CommonArgs, GradcheckConfig {}

function table(report: GradcheckReport): string {
  const rows = [GRADCHECK_COLUMNS, ...gradcheckRows(report)];
  const widths = GRADCHECK_COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export async function run(args: GradcheckArgs, backend: BackendName): Promise<void> {
  const { cell = 'elman', bits, hidden, batch, seed, bias, loss } = args;
  checkGradcheckWork({ gates: GATES[cell], bits, hidden, batch });
  const report = await gradcheck({ cell, bits, hidden, batch, seed, bias, loss });
  emit(args, { backend, ...report }, () => {
    const l = report.losses;
    return [
      `gradcheck: ${cell} cell, ${bits} bits (T = ${report.steps}), hidden ${hidden}, batch ${batch}, seed ${seed}, ` +
        `${loss}, ${bias ? 'with' : 'without'} biases; backend ${backend}`,
      `loss: bptt ${l.bptt.toPrecision(8)}${l.fused === null ? '' : `, fused ${l.fused.toPrecision(8)}`}, tf.grad ${l.autodiff.toPrecision(8)}, float64 ${l.reference.toPrecision(8)}`,
      '',
      table(report),
      '',
      `relative error |a−b| / max(|a|, |b|, ${report.gradientFloor}); finite differences with h = ${report.finiteDiffStep}`,
      report.ok ? 'all gradients within tolerance' : 'FAILED: ' + report.comparisons.filter((c) => !c.ok).map((c) => c.message).join(' | '),
    ].join('\n');
  });
  if (!report.ok) process.exitCode = 1;
}
