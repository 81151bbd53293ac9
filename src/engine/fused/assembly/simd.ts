// The pieces every fused kernel (elman.ts, lstm.ts) builds on: the activations and their slopes four lanes at a
// time, a row vector times four columns of a matrix, the codes the host passes, and where the host's arrays start.
// Each kernel is its own module; these inline into both.

/** The loss codes backward takes as lossKind (the host's LOSS_CODES): ½(y−ŷ)² is 0, cross-entropy 1. */
export const MSE: i32 = 0;

/**
 * e^v in each lane: v = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-6 polynomial (relative error ~1e-7),
 * 2^n by the exponent bits. n is rounded by adding 1.5·2^23, which leaves it in the low mantissa bits: one add
 * instead of a rounding and a conversion. pmin/pmax: one instruction each, where min/max propagate NaN in six.
 */
// @ts-ignore: decorator
@inline export function exp4(v: v128): v128 {
  v = f32x4.pmin(f32x4.pmax(v, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const shifter = f32x4.splat(12582912.0); // 1.5·2^23
  const shifted = f32x4.add(f32x4.mul(v, f32x4.splat(1.44269504)), shifter);
  const n = f32x4.sub(shifted, shifter);
  let r = f32x4.sub(v, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // The low bits of `shifted` minus those of 1.5·2^23 are n as an integer; shifted into the exponent, 2^n·p.
  return i32x4.add(p, i32x4.shl(i32x4.sub(shifted, shifter), 23));
}

/** σ(z) = 1/(1 + e^{−z}) in each lane. */
// @ts-ignore: decorator
@inline export function sigmoid4(z: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(z))));
}

/**
 * tanh(z) = 2σ(2z) − 1 in each lane: exact in the limits (±1 where e^{−2z} over- or underflows) and within a few
 * float32 roundings of 1 absolute near 0, which is all the gradient checks can see of a value in (−1, 1).
 */
// @ts-ignore: decorator
@inline export function tanh4(z: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.sub(f32x4.div(f32x4.splat(2), f32x4.add(one, exp4(f32x4.mul(z, f32x4.splat(-2))))), one);
}

/** The activations a kernel applies (the host's ACTIVATION_CODES): σ, tanh, and tfjs' hard sigmoid. */
export const SIGMOID: i32 = 0;
export const TANH: i32 = 1;
export const HARD_SIGMOID: i32 = 2;

/** f(z) in each lane for the activation `kind`; hard sigmoid is tfjs-layers' clip(0.2·z + 0.5, 0, 1). */
// @ts-ignore: decorator
@inline export function activate4(kind: i32, z: v128): v128 {
  if (kind == TANH) return tanh4(z);
  if (kind == HARD_SIGMOID) {
    return f32x4.pmin(f32x4.pmax(f32x4.add(f32x4.mul(z, f32x4.splat(0.2)), f32x4.splat(0.5)), f32x4.splat(0)), f32x4.splat(1));
  }
  return sigmoid4(z);
}

/**
 * f'(z) in each lane from the activation's output y = f(z): σ' = y(1 − y), tanh' = 1 − y², and the hard sigmoid's
 * 0.2 where it is not clipped (0 < y < 1), 0 where it is.
 */
// @ts-ignore: decorator
@inline export function slope4(kind: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (kind == HARD_SIGMOID) return v128.and(v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, one)), f32x4.splat(0.2));
  return f32x4.mul(y, f32x4.sub(one, y));
}

/** The sum of the four lanes. */
// @ts-ignore: decorator
@inline export function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** (F2) o_t = h_t·Wy + by for one sequence's step: h_t and Wy `row` bytes long (H padded to a multiple of 4). */
// @ts-ignore: decorator
@inline export function readoutLogit(h: usize, Wy: usize, row: usize, by: f32): f32 {
  let o = f32x4.splat(0);
  for (let j: usize = 0; j < row; j += 16) o = f32x4.add(o, f32x4.mul(v128.load(h + j), v128.load(Wy + j)));
  return sum4(o) + by;
}

/** (F2)'s ŷ = σ(o) once over all N bytes of logits, four at a time, into yhat. */
// @ts-ignore: decorator
@inline export function sigmoidAll(logits: usize, yhat: usize, N: usize): void {
  let n: usize = 0;
  for (; n + 16 <= N; n += 16) v128.store(yhat + n, sigmoid4(v128.load(logits + n)));
  for (; n < N; n += 4) store<f32>(yhat + n, f32x4.extract_lane(sigmoid4(f32x4.splat(load<f32>(logits + n))), 0));
}

/**
 * acc + v·M[:, j…j+3]: the row vector v (`length` bytes, a multiple of 16) times four columns of M, whose rows are
 * `stride` bytes apart, j in bytes. Four rows of M a round, each lane of v splatted by a shuffle, into two sums
 * that do not wait on each other.
 */
// @ts-ignore: decorator
@inline export function rowTimesColumns(acc: v128, v: usize, length: usize, M: usize, stride: usize, j: usize): v128 {
  let other = f32x4.splat(0);
  for (let k: usize = 0; k < length; k += 16) {
    const vk = v128.load(v + k);
    const m = M + (k >> 2) * stride + j;
    acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(vk, vk, 0, 0, 0, 0), v128.load(m)));
    other = f32x4.add(other, f32x4.mul(v128.shuffle<f32>(vk, vk, 1, 1, 1, 1), v128.load(m + stride)));
    acc = f32x4.add(acc, f32x4.mul(v128.shuffle<f32>(vk, vk, 2, 2, 2, 2), v128.load(m + 2 * stride)));
    other = f32x4.add(other, f32x4.mul(v128.shuffle<f32>(vk, vk, 3, 3, 3, 3), v128.load(m + 3 * stride)));
  }
  return f32x4.add(acc, other);
}

/** Where the host may start laying out arrays: past the module's own data, 16-byte aligned. */
export function arenaStart(): usize {
  return (__heap_base + 15) & ~15;
}
