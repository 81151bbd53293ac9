// A kernel module's memory as the host sees it: arrays laid out one after another on v128 boundaries, grown to fit,
// the network's matrices written in with each H-wide block padded to the kernel's multiple of 4 and read back out.
/** A WebAssembly page: what memory.grow counts in. */
const PAGE = 65536;

/**
 * Places arrays of the given float32 counts one after another from byte `start`, each on a v128 boundary: their
 * byte offsets (what a kernel takes) and the bytes used.
 */
export function layout<K extends string>(start: number, sizes: Record<K, number>): { at: Record<K, number>; bytes: number } {
  let next = (start + 15) & ~15;
  const at = {} as Record<K, number>;
  for (const name of Object.keys(sizes) as K[]) {
    at[name] = next;
    next += ((sizes[name] + 3) & ~3) * 4;
  }
  return { at, bytes: next };
}

/** H padded to the kernels' multiple of 4 units (one v128). */
export const padded = (hidden: number): number => (hidden + 3) & ~3;

/** The memory of one kernel instance, as float32s. */
export class Arena {
  heap: Float32Array;

  constructor(private readonly memory: WebAssembly.Memory, private readonly start: number) {
    this.heap = new Float32Array(memory.buffer);
  }

  /** Lays the arrays out from the module's arena start and grows the memory to fit (which renews the view). */
  place<K extends string>(sizes: Record<K, number>): Record<K, number> {
    const { at, bytes } = layout(this.start, sizes);
    if (bytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE));
      this.heap = new Float32Array(this.memory.buffer);
    }
    return at;
  }

  /**
   * Writes m [rows, blocks·cols] as [paddedRows, blocks·H] at byte `at`: each of the `blocks` side by side (an
   * LSTM's four gates) padded from cols to H, the added rows and columns zero.
   */
  pad(at: number, m: Float32Array, rows: number, paddedRows: number, cols: number, H: number, blocks = 1): void {
    const i = at >> 2;
    this.heap.fill(0, i, i + paddedRows * blocks * H);
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < blocks; q++) {
        const from = (r * blocks + q) * cols;
        this.heap.set(m.subarray(from, from + cols), i + (r * blocks + q) * H);
      }
    }
  }

  /** The real [rows, blocks·cols] of a padded [rows, blocks·H] matrix at byte `at`, copied out. */
  unpad(at: number, rows: number, cols: number, H: number, blocks = 1): Float32Array {
    const out = new Float32Array(rows * blocks * cols);
    for (let r = 0; r < rows * blocks; r++) {
      const from = (at >> 2) + r * H;
      out.set(this.heap.subarray(from, from + cols), r * cols);
    }
    return out;
  }

  /** Writes m [B, T, cols] batch-major as [T, B, H] time-major at byte `at` (a step's B rows together), zero-padded. */
  writeSteps(at: number, m: Float32Array, B: number, T: number, cols: number, H: number): void {
    const i = at >> 2;
    this.heap.fill(0, i, i + T * B * H);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const from = (b * T + t) * cols;
        this.heap.set(m.subarray(from, from + cols), i + (t * B + b) * H);
      }
    }
  }

  /** The real [B, T, cols] batch-major of a padded [T, B, H] time-major array at byte `at`, copied out. */
  readSteps(at: number, B: number, T: number, cols: number, H: number): Float32Array {
    const out = new Float32Array(B * T * cols);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const from = (at >> 2) + (t * B + b) * H;
        out.set(this.heap.subarray(from, from + cols), (b * T + t) * cols);
      }
    }
    return out;
  }

  /** Copies values in at byte `at`. */
  write(at: number, values: Float32Array): void {
    this.heap.set(values, at >> 2);
  }

  /** n floats from byte `at`, copied out. */
  read(at: number, n: number): Float32Array {
    return this.heap.slice(at >> 2, (at >> 2) + n);
  }
}
