// What `inspect` can be asked, its defaults and its memory bound: apart from the analysis so that the CLI reads them
// without loading tfjs.
import { OptionError } from '../errors';

export interface InspectOptions {
  /** Random pairs; the carry-chain cases come on top. */
  samples: number;
  seed: number;
  /** The most clusters tried: k runs from 2 up to this until the clusters, merged, form an automaton. */
  maxStates: number;
  /** Widths at which the adder and its clusters are measured on sampled pairs (evidence, not proof). */
  longWidths: number[];
  /** Random pairs of the accuracy at each long width; the cluster tracking there drives `samples` pairs. */
  longSamples: number;
  /** Hidden states kept for the picture. */
  plotPoints: number;
}

/** The largest `inspect --bits` and `--samples`, the most clusters and the widest long width. */
export const INSPECT_MAX = { bits: 64, samples: 20_000, maxStates: 64, longWidth: 1024 } as const;

export const DEFAULT_INSPECT: InspectOptions = {
  samples: 500,
  seed: 0,
  maxStates: 16,
  longWidths: [64, 128],
  longSamples: 2000,
  plotPoints: 300,
};

/**
 * Memory `inspect` may take for the hidden states it clusters, all held at once. Each costs about
 * INSPECT_STATE_BYTES + 12·H bytes (its view object and labels in JS, the forward pass' tensors and their copy):
 * `--bits 64 --samples 2000` on the 8-unit adder, ~258,000 states in one run, peaked at 268 MB RSS. The long-width
 * tracking drives its states in chunks (src/analysis/drive.ts) and does not count here.
 */
export const INSPECT_MAX_BYTES = 512 * 2 ** 20;
export const INSPECT_STATE_BYTES = 550;

/**
 * Refuses, before any work, `samples` additions (`sequences` with the carry-chain cases) of `bits` bits, each
 * driven bits + 1 steps, at hidden size H beyond INSPECT_MAX_BYTES.
 */
export function checkInspectMemory(samples: number, sequences: number, bits: number, hidden: number): void {
  const states = sequences * (bits + 1);
  const bytes = states * (INSPECT_STATE_BYTES + 12 * hidden);
  if (bytes > INSPECT_MAX_BYTES) {
    const mb = (n: number) => `${Math.round(n / 2 ** 20).toLocaleString('en')} MB`;
    throw new OptionError(
      `{samples} ${samples.toLocaleString('en')} at {bits} ${bits} drives ${states.toLocaleString('en')} hidden states of ${hidden} units, about ` +
        `${mb(bytes)}, more than the ${mb(INSPECT_MAX_BYTES)} inspect may hold: lower {samples} or {bits}`,
      'limit',
    );
  }
}
