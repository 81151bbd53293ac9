// The work of `rnn-adder gradflow`: the networks to compare, their gradient flow, the table and the picture.
import {
  checkBpttStates,
  checkPairSteps,
  BackendName,
  disposeParams,
  GradFlow,
  gradFlowSpec,
  gradientFlow,
  initParams,
  loadAdder,
  LossName,
  NamedGradFlow,
  CellName,
  NetConfig,
  Params,
  writeSvg,
} from '../../index';
import { CommonArgs, emit } from '../run';

export interface GradFlowArgs extends CommonArgs {
  model?: string[];
  random?: boolean;
  cell: CellName[];
  hidden: number;
  bits: number;
  samples: number;
  seed: number;
  clip: number;
  loss?: LossName;
  plot?: string;
}

type Network = { network: string; params: Params };

/** A model and its initial weights (same config, seed and init), the network names prefixed when several are drawn. */
async function modelAndItsStart(dir: string, prefix: string, seed: number): Promise<{ nets: Network[]; loss: LossName }> {
  const { params, metadata, config } = await loadAdder(dir);
  // A model that does not record its seed is compared with a fresh network from --seed instead.
  const untrained =
    typeof metadata.seed === 'number'
      ? {
          network: `${prefix}untrained (its initial weights, seed ${metadata.seed})`,
          params: initParams(config, metadata.seed, metadata.init),
        }
      : { network: `${prefix}untrained (seed ${seed})`, params: initParams(config, seed) };
  return { nets: [{ network: `${prefix}trained`, params }, untrained], loss: metadata.loss };
}

/**
 * The networks to compare: each model and its initial weights, or one random network per --cell. With more than
 * one model or cell, each network's name starts with its cell (a model's directory when two share a cell).
 */
async function networks(args: GradFlowArgs): Promise<{ nets: Network[]; loss: LossName }> {
  if (args.model === undefined) {
    const several = args.cell.length > 1;
    const nets = args.cell.map((cell) => ({
      network: `${several ? `${cell} ` : ''}untrained (seed ${args.seed})`,
      params: initParams({ cell, hidden: args.hidden, bias: true } as NetConfig, args.seed),
    }));
    return { nets, loss: args.loss ?? 'mse' };
  }
  const nets: Network[] = [];
  const losses: LossName[] = [];
  try {
    for (const dir of args.model) {
      const prefix = args.model.length > 1 ? `${dir}: ` : '';
      const loaded = await modelAndItsStart(dir, prefix, args.seed);
      nets.push(...loaded.nets);
      losses.push(loaded.loss);
    }
  } catch (error) {
    nets.forEach(({ params }) => disposeParams(params));
    throw error;
  }
  return { nets, loss: args.loss ?? losses[0] };
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
    // Every network is run (each --cell, each --model and its initial weights): the work counts them all, each at
    // the largest H; one backward pass is held at a time.
    const widest = Math.max(...nets.map(({ params }) => params.Ws.shape[0]));
    checkBpttStates(args.samples, args.bits + 1, widest, '--samples or --bits');
    checkPairSteps(nets.length * args.samples * (args.bits + 1), widest, `--samples, --bits or the ${nets.length} networks`);
    flows = nets.map(({ network, params }) => ({ network, flow: gradientFlow(params, options) }));
  } finally {
    nets.forEach(({ params }) => disposeParams(params));
  }
  const title = `‖∂ℓ_T/∂s_k‖ over ${args.samples} random ${args.bits}-bit additions (${loss})`;
  // The clipped curves are the computed ones moved down rigidly: drawn for one network, left out of a comparison.
  const spec = gradFlowSpec(flows, title, flows.length <= 2);
  const plot = args.plot === undefined ? undefined : await writeSvg(args.plot, 'gradflow.svg', spec);
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
