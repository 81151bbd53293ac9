// What a saved model records about itself (model.json's userDefinedMetadata; docs/model-format.md).
import { LossName } from '../engine/loss';
import { CellName, InitName } from '../engine/params';
import { Verification } from '../eval/accuracy';
import { TaskName } from '../tasks/task';

export interface ModelMetadata {
  /** What it learned: absent in adders saved before there were other tasks. */
  task?: TaskName;
  /** Operand width an adder was trained on (0 for the other tasks). */
  bits: number;
  /** The echo's delay k. */
  delay?: number;
  /** The adding problem's minimum length T. */
  length?: number;
  /** Truncated BPTT's K, when training used it. */
  tbptt?: number;
  /** The recurrent cell; models saved before the gated cells have none and are Elman networks. */
  cell?: CellName;
  hidden: number;
  loss: LossName;
  bias: boolean;
  init: InitName;
  optimizer: string;
  learningRate: number;
  /** Adam's β1, β2 and ε, when training set them (the adding problem); absent: the adders'. */
  adam?: { beta1: number; beta2: number; epsilon: number };
  batch: number;
  engine: 'fused' | 'bptt' | 'autodiff';
  seed: number;
  /** Training samples seen: pairs, stream bits (echo) or sequences (adding problem). */
  samples: number;
  seconds: number;
  accuracy: {
    value: number;
    method: Verification;
    /** Pairs, stream bits or sequences checked. */
    count: number;
  };
  /** rnn-adder's package version. */
  version: string;
  backend: string;
  /** ISO date of the save. */
  savedAt: string;
  /**
   * SHA-256 of weights.bin, hex (weights-hash.ts): every save writes it, every load checks it and leaves it out of
   * the metadata it returns; older saves lack it.
   */
  weightsSha256?: string;
}
