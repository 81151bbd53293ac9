// `rnn-adder gradcheck`: hand BPTT against tf.grad and float64 finite differences on random weights and data.
import type { Argv } from 'yargs';
import { DEFAULT_GRADCHECK, gradcheck, GradcheckConfig, GradcheckReport, LOSSES } from '../../index';
import { choiceOption, intOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface GradcheckArgs extends CommonArgs, GradcheckConfig {}

export const command = 'gradcheck';
export const describe = 'Compare the hand-derived BPTT gradient with tf.grad and float64 finite differences';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<GradcheckArgs> {
  return yargs
    .options({
      bits: intOption('bits', 'Operand width N, so sequences have T = N+1 steps', { min: 1, max: 256, default: DEFAULT_GRADCHECK.bits }),
      hidden: intOption('hidden', 'Hidden size H (at most 64: finite differences perturb all H² weights; H 64 takes ~7 s)', {
        min: 1,
        max: 64,
        default: DEFAULT_GRADCHECK.hidden,
      }),
      batch: intOption('batch', 'Random additions in the batch', { min: 1, max: 1024, default: DEFAULT_GRADCHECK.batch }),
      seed: intOption('seed', 'Seed of the random weights and batch', { min: 0, default: DEFAULT_GRADCHECK.seed }),
      bias: { describe: 'Include the biases bs and by (--no-bias: the seeds\' network)', type: 'boolean', default: DEFAULT_GRADCHECK.bias },
      loss: choiceOption('Loss to differentiate', LOSSES, DEFAULT_GRADCHECK.loss),
    })
    .example('$0 gradcheck', '8 bits, H 16, batch 8: every entry of every gradient')
    .example('$0 gradcheck --bits 16 --no-bias --loss bce', 'the seeds\' network on 17 steps, cross-entropy')
    .example('$0 gradcheck --hidden 3 --json', 'one JSON object') as unknown as Argv<GradcheckArgs>;
}

function table(report: GradcheckReport): string {
  const head = ['param', 'comparison', 'worst rel err', 'at', 'bptt', 'expected', 'tolerance', ''];
  const rows = report.comparisons.flatMap((c) =>
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
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export const handler = run<GradcheckArgs>(async (args, backend) => {
  const { bits, hidden, batch, seed, bias, loss } = args;
  const report = await gradcheck({ bits, hidden, batch, seed, bias, loss });
  emit(args, { backend, ...report }, () => {
    const l = report.losses;
    return [
      `gradcheck: ${bits} bits (T = ${report.steps}), hidden ${hidden}, batch ${batch}, seed ${seed}, ` +
        `${loss}, ${bias ? 'with' : 'without'} biases; backend ${backend}`,
      `loss: bptt ${l.bptt.toPrecision(8)}, tf.grad ${l.autodiff.toPrecision(8)}, float64 ${l.reference.toPrecision(8)}`,
      '',
      table(report),
      '',
      `relative error |a−b| / max(|a|, |b|, ${report.gradientFloor}); finite differences with h = ${report.finiteDiffStep}`,
      report.ok ? 'all gradients within tolerance' : 'FAILED: ' + report.comparisons.filter((c) => !c.ok).map((c) => c.message).join(' | '),
    ].join('\n');
  });
  if (!report.ok) process.exitCode = 1;
});
