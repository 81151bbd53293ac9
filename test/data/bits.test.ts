import { expect } from 'chai';
import { bitAt, decodeBits, encodePairs, Operand, stepsFor } from '../../src/data/bits';
import { carryChainPairs, exhaustivePairs, randomPairs, sampleWithCarryChains, seededRng } from '../../src/data/sample';

/** Channel c (0: a, 1: b) of the x of sequence i, as a number read LSB first. */
function decodeInput(x: Float32Array, i: number, c: number, steps: number): bigint {
  const column = Array.from({ length: steps }, (_, t) => x[(i * steps + t) * 2 + c]);
  return decodeBits(column, 0, steps);
}

describe('bits', () => {
  it('an n-bit adder reads n+1 steps, the last one for the carry-out', () => {
    expect(stepsFor(8)).to.equal(9);
    expect(stepsFor(16)).to.equal(17);
  });

  it('bitAt reads bit t, least significant first, of numbers and bigints', () => {
    expect([0, 1, 2, 3, 4].map((t) => bitAt(6, t))).to.deep.equal([0, 1, 1, 0, 0]);
    expect(bitAt(2 ** 52, 52)).to.equal(1);
    expect(bitAt(1n << 100n, 100)).to.equal(1);
    expect(bitAt(1n << 100n, 99)).to.equal(0);
  });

  it('lays out 6 + 3 = 9 least significant bit first, x as [B, T, 2] and y as [B, T, 1]', () => {
    const { batch, steps, x, y } = encodePairs([6], [3], 4);
    expect([batch, steps]).to.deep.equal([1, 4]);
    // t:          0     1     2     3      (6 = 0110, 3 = 0011, 9 = 1001)
    expect(Array.from(x)).to.deep.equal([0, 1, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(y)).to.deep.equal([1, 0, 0, 1]);
  });

  it('puts the carry-out on the last step: 255 + 1 on 8 bits', () => {
    const { y } = encodePairs([255], [1], stepsFor(8));
    expect(Array.from(y)).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('round-trips operands and sums through encode and decode, also for bigints wider than 53 bits', () => {
    const a: Operand[] = [0, 1, 200, 2 ** 40 + 5, (1n << 80n) - 1n, 123456789012345678901234567n];
    const b: Operand[] = [0, 1, 55, 2 ** 40 - 1, 1n, 98765432109876543210987654n];
    const steps = 91;
    const enc = encodePairs(a, b, steps);
    for (let i = 0; i < a.length; i++) {
      expect(decodeInput(enc.x, i, 0, steps)).to.equal(BigInt(a[i]));
      expect(decodeInput(enc.x, i, 1, steps)).to.equal(BigInt(b[i]));
      expect(decodeBits(enc.y, i * steps, steps)).to.equal(BigInt(a[i]) + BigInt(b[i]));
    }
  });

  it('decodes a bit as set only where the probability is above 0.5', () => {
    expect(decodeBits([0.51, 0.5, 0.49, 0.99], 0, 4)).to.equal(0b1001n);
    expect(decodeBits([0, 0, 0.9, 0.1], 2, 2)).to.equal(1n);
  });

  it('refuses operand lists of different lengths, saying both lengths', () => {
    expect(() => encodePairs([1, 2], [3], 3)).to.throw('a and b must hold as many operands, got 2 and 1');
  });
});

describe('data', () => {
  it('seeded samples are reproducible and differ between seeds', () => {
    const first = randomPairs(seededRng(7), 16, 50);
    expect(randomPairs(seededRng(7), 16, 50)).to.deep.equal(first);
    expect(randomPairs(seededRng(8), 16, 50)).not.to.deep.equal(first);
  });

  for (const bits of [1, 8, 16, 40, 64, 100]) {
    it(`samples ${bits}-bit operands within [0, 2^${bits}) as ${bits > 52 ? 'bigints' : 'numbers'}`, () => {
      const { a, b } = randomPairs(seededRng(bits), bits, 200);
      const limit = 1n << BigInt(bits);
      for (const v of [...a, ...b]) {
        expect(typeof v).to.equal(bits > 52 ? 'bigint' : 'number');
        expect(BigInt(v) >= 0n && BigInt(v) < limit, `${v} outside [0, 2^${bits})`).to.equal(true);
      }
      // Uniform draws reach the top half: the highest bit is set in some operand.
      expect([...a, ...b].some((v) => BigInt(v) >= limit / 2n)).to.equal(true);
    });
  }

  it('the exhaustive set holds every pair exactly once: 4^bits of them', () => {
    const { a, b } = exhaustivePairs(3);
    expect(a).to.have.length(64);
    const seen = new Set(a.map((v, i) => `${v}+${b[i]}`));
    expect(seen.size).to.equal(64);
    for (const v of [...a, ...b]) expect(v).to.be.within(0, 7);
    expect(exhaustivePairs(8).a).to.have.length(65536);
  });

  for (const bits of [1, 2, 8, 16, 53, 64]) {
    it(`carry-chain cases for ${bits} bits are in range and include a carry through every bit`, () => {
      const { a, b } = carryChainPairs(bits);
      const max = (1n << BigInt(bits)) - 1n;
      for (const v of [...a, ...b]) expect(BigInt(v) >= 0n && BigInt(v) <= max, `${v} out of range`).to.equal(true);
      const sums = a.map((v, i) => BigInt(v) + BigInt(b[i]));
      expect(sums).to.deep.include(max + 1n); // all ones + 1: the carry ripples from bit 0 to the carry-out
      expect(sums).to.deep.include(2n * max); // max + max: a carry at every step
    });
  }

  it('a sample with carry chains is the seeded random pairs, then the carry-chain cases', () => {
    const random = randomPairs(seededRng(3), 20, 5);
    const edges = carryChainPairs(20);
    expect(sampleWithCarryChains(seededRng(3), 20, 5)).to.deep.equal({ a: [...random.a, ...edges.a], b: [...random.b, ...edges.b] });
  });
});
