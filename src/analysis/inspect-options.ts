// What `inspect` can be asked, and its defaults: apart from the analysis so that the CLI reads them without loading tfjs.

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
