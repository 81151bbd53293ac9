import { expect } from 'chai';
import { UserError } from '../../src/errors';
import { checkFits, parseOperand, parsePairs, widthOf } from '../../src/data/operands';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).to.be.instanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('operands: what the user types', () => {
  it('reads non-negative integers of any size exactly', () => {
    expect(parseOperand('0', 'x')).to.equal(0n);
    expect(parseOperand(' 255 ', 'x')).to.equal(255n);
    expect(parseOperand('007', 'x')).to.equal(7n);
    expect(parseOperand('123456789012345678901234567890', 'x')).to.equal(123456789012345678901234567890n);
  });

  it('refuses negative, fractional, exponent, hexadecimal and other forms, saying which', () => {
    expect(refusal(() => parseOperand('-5', 'the first operand'))).to.equal('the first operand must be non-negative, got "-5"');
    expect(refusal(() => parseOperand('1.5', 'A'))).to.equal('A must be a whole number, got "1.5"');
    expect(refusal(() => parseOperand('2.', 'A'))).to.equal('A must be a whole number, got "2."');
    expect(refusal(() => parseOperand('1e3', 'A'))).to.equal('A must be written out in decimal digits, not as an exponent: got "1e3"');
    expect(refusal(() => parseOperand('2.5E+2', 'A'))).to.equal(
      'A must be written out in decimal digits, not as an exponent: got "2.5E+2"',
    );
    expect(refusal(() => parseOperand('0x1f', 'A'))).to.equal('A must be a non-negative integer in decimal digits, got "0x1f"');
    expect(refusal(() => parseOperand('abc', 'A'))).to.equal('A must be a non-negative integer in decimal digits, got "abc"');
    expect(refusal(() => parseOperand('1_000', 'A'))).to.equal('A must be a non-negative integer in decimal digits, got "1_000"');
    expect(refusal(() => parseOperand('', 'A'))).to.equal('A is empty: expected a non-negative integer');
  });

  it('reads a list of pairs', () => {
    expect(parsePairs('3+5,200+55')).to.deep.equal({ a: [3n, 200n], b: [5n, 55n] });
    expect(parsePairs(' 1 + 2 ')).to.deep.equal({ a: [1n], b: [2n] });
  });

  it('refuses a malformed pair list, naming the pair', () => {
    expect(refusal(() => parsePairs(''))).to.equal('--pairs is empty: expected pairs like "3+5,200+55"');
    expect(refusal(() => parsePairs('3+5,200-55'))).to.equal('pair 2 of --pairs is "200-55": expected A+B, as in "3+5,200+55"');
    expect(refusal(() => parsePairs('3+5,'))).to.equal('pair 2 of --pairs is "": expected A+B, as in "3+5,200+55"');
    expect(refusal(() => parsePairs('1+2+3'))).to.equal('pair 1 of --pairs is "1+2+3": expected A+B, as in "3+5,200+55"');
    expect(refusal(() => parsePairs('-3+5'))).to.equal('the left operand of pair 1 ("-3+5") must be non-negative, got "-3"');
    expect(refusal(() => parsePairs('3+0.5'))).to.equal('the right operand of pair 1 ("3+0.5") must be a whole number, got "0.5"');
  });

  it('measures widths and refuses operands wider than the sequence', () => {
    expect(widthOf(0n, 0n)).to.equal(1);
    expect(widthOf(255n, 1n)).to.equal(8);
    expect(widthOf(1n, 256n)).to.equal(9);
    expect(() => checkFits({ a: [255n], b: [0n] }, 8)).not.to.throw();
    expect(refusal(() => checkFits({ a: [3n, 1n], b: [5n, 300n] }, 8))).to.equal(
      'operand 300 needs 9 bits, more than --bits 8 (T = 9 steps)',
    );
  });
});
