// What a saved model records about itself (model.json's userDefinedMetadata; docs/model-format.md).
import { LossName } from '../engine/loss';
import { CellName, InitName } from '../engine/params';
import { Verification } from '../eval/accuracy';

export interface ModelMetadata {
  /** Operand width it was trained on. */
  bits: number;
  /** The recurrent cell; models saved before the gated cells have none and are Elman networks. */
  cell?: CellName;
  hidden: number;
  loss: LossName;
  bias: boolean;
  init: InitName;
  optimizer: string;
  learningRate: number;
  batch: number;
  engine: 'fused' | 'bptt' | 'autodiff';
  seed: number;
  /** Training samples (pairs) seen. */
  samples: number;
  seconds: number;
  accuracy: {
    value: number;
    method: Verification;
    /** Pairs checked. */
    count: number;
  };
  /** rnn-adder's package version. */
  version: string;
  backend: string;
  /** ISO date of the save. */
  savedAt: string;
}
