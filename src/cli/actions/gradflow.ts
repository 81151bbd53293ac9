// The work of `rnn-adder gradflow`: the networks to compare, their gradient flow, the table and the picture.
import {
  BackendName,
  disposeParams,
  GradFlow,
  gradFlowSpec,
  gradientFlow,
  initParams,
  loadAdder,
  LossName,
  NamedGradFlow,
  NetConfig,
  Params,
  writeSvg,
} from '../../index';
import { CommonArgs, emit } from '../run';

export interface GradFlowArgs extends CommonArgs {
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

export async function run(args: GradFlowArgs, backend: BackendName): Promise<void> {
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
}
