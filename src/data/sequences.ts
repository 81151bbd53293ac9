// A batch of sequences in the model's layout, whatever the task: the adder's pairs (src/data/bits.ts), the echo
// stream's windows and the adding problem's sequences (src/tasks/).

/** x is [B, T, I], y is [B, T, 1]; mask [B, T, 1] marks the steps that carry a loss (every step when absent). */
export interface SequenceBatch {
  batch: number;
  steps: number;
  /** I, the input width: 2 for addition and the adding problem, 1 for echo. */
  inputs: number;
  x: Float32Array;
  y: Float32Array;
  mask?: Float32Array;
  /**
   * A window of streams that every stream starts afresh, from the zero state (s_0 = 0) as a fresh stream starts:
   * the training loop carries no state into it.
   */
  fresh?: boolean;
}
