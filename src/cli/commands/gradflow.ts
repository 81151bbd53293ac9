// `rnn-adder gradflow`: how the gradient of the last step's loss fades (or grows) with the lag, for a trained
// network next to its untrained self, with and without clipping; a table, and gradflow.svg with --plot.
import type { Argv } from 'yargs';
import {
  disposeParams,
  GradFlow,
  gradFlowSpec,
  gradientFlow,
  initParams,
  loadAdder,
  LOSSES,
  LossName,
  NamedGradFlow,
  NetConfig,
  Params,
  writeSvg,
} from '../../index';
import { modelOption } from '../model-option';
import { choiceOption, intOption, positiveOption } from '../options';
import { CommonArgs, emit, handler as run } from '../run';

interface GradFlowArgs extends CommonArgs {
  model?: string;
  random?: boolean;
  hidden: number;
  bits: number;
  samples: number;
  seed: number;
  clip: number;
  loss?: LossName;
  plot?: string;
}

export const command = 'gradflow';
export const describe = 'Show how ‖∂L_T/∂s_k‖, the last step\'s loss gradient, fades with the lag T−k';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<GradFlowArgs> {
  return yargs
    .options({
      model: modelOption('Trained model directory: shown next to its own untrained initial weights', false),
      random: { describe: 'An untrained network (uniform(−1, 1) weights from --seed) instead of a model', type: 'boolean' },
      hidden: intOption('hidden', 'Hidden size of the --random network', { min: 1, max: 1024, default: 16 }),
      bits: intOption('bits', 'Operand width of the random additions: lags 0 … bits', { min: 1, max: 256, default: 16 }),
      samples: intOption('samples', 'Random additions averaged over', { min: 1, max: 100000, default: 256 }),
      seed: intOption('seed', 'Seed of the additions (and of the --random weights)', { min: 0, default: 0 }),
      clip: positiveOption('clip', 'Global-norm clipping threshold c for the clipped curves', 1),
      loss: choiceOption("Loss whose last step is differentiated (default: the model's, mse for --random)", LOSSES),
      plot: { describe: 'Directory to write gradflow.svg into', type: 'string', requiresArg: true },
    })
    .conflicts('model', 'random')
    .check((args) => {
      if (args.model === undefined && !args.random) throw new Error('name a network: --model DIR or --random');
      return true;
    })
    .example('$0 gradflow --model models/adder-8 --plot docs/img', 'trained vs untrained, table and picture')
    .example('$0 gradflow --random --bits 32 --json', 'an untrained network over 32 lags, as JSON') as unknown as Argv<
    GradFlowArgs
  >;
}

/** The networks to compare: a model and its initial weights (same config, seed and init), or one random network. */
async function networks(args: GradFlowArgs): Promise<{ nets: { network: string; params: Params }[]; loss: LossName }> {
  if (args.model === undefined) {
    const config: NetConfig = { hidden: args.hidden, bias: true };
    const network = `untrained (seed ${args.seed})`;
    return { nets: [{ network, params: initParams(config, args.seed) }], loss: args.loss ?? 'mse' };
  }
  const { params, metadata, config } = await loadAdder(args.model);
  // A model that does not record its seed is compared with a fresh network from --seed instead.
  const untrained =
    typeof metadata.seed === 'number'
      ? {
          network: `untrained (its initial weights, seed ${metadata.seed})`,
          params: initParams(config, metadata.seed, metadata.init),
        }
      : { network: `untrained (seed ${args.seed})`, params: initParams(config, args.seed) };
  return {
    nets: [{ network: 'trained', params }, untrained],
    loss: args.loss ?? metadata.loss,
  };
}

const fmt = (v: number): string => v.toExponential(2);

function table(flows: NamedGradFlow[]): string {
  const header = ['lag', ...flows.flatMap(({ network }) => [network, 'clipped'])];
  const widths = header.map((h) => Math.max(9, h.length));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const rows = flows[0].flow.norms.map((_, lag) =>
    line([String(lag), ...flows.flatMap(({ flow }) => [fmt(flow.norms[lag]), fmt(flow.clippedNorms[lag])])]),
  );
  return [line(header), ...rows].join('\n');
}

function summary(network: string, flow: GradFlow): string {
  const last = flow.norms.length - 1;
  const clipping =
    flow.clipScale < 1
      ? `clipping scales every lag by ${flow.clipScale.toPrecision(3)}`
      : `clipping at ${flow.clip} does nothing`;
  return (
    `${network}: lag 1 / lag ${last} = ${fmt(flow.norms[1] / flow.norms[last])}; ` +
    `‖∇θL‖ = ${flow.gradNorm.toPrecision(3)}, so ${clipping}`
  );
}

export const handler = run<GradFlowArgs>(async (args, backend) => {
  const { nets, loss } = await networks(args);
  let flows: NamedGradFlow[];
  try {
    const options = { bits: args.bits, samples: args.samples, seed: args.seed, loss, clip: args.clip };
    flows = nets.map(({ network, params }) => ({ network, flow: gradientFlow(params, options) }));
  } finally {
    nets.forEach(({ params }) => disposeParams(params));
  }
  const title = `‖∂ℓ_T/∂s_k‖ over ${args.samples} random ${args.bits}-bit additions (${loss})`;
  const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'gradflow.svg', gradFlowSpec(flows, title));
  const result = { backend, bits: args.bits, steps: args.bits + 1, samples: args.samples, loss, networks: flows, plot };
  emit(args, result, () =>
    [
      `${title}, backend ${backend}`,
      table(flows),
      ...flows.map(({ network, flow }) => summary(network, flow)),
      ...(plot ? [`wrote ${plot}`] : []),
    ].join('\n'),
  );
});
