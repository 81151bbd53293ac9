// src/errors.ts: one error, worded for each caller. Free of tfjs.
import { expect } from 'chai';
import { asFlag, asOption, messageFor, named, OptionError, UsageError, UserError } from '../src/errors';

describe('user errors', () => {
  it('carry a stable code: input by default, usage for the command line, option for an option', () => {
    expect(new UserError('no model in x').code).to.equal('input');
    expect(new UsageError('unknown flag').code).to.equal('usage');
    expect(new OptionError('{lr} must be greater than 0, got 0').code).to.equal('option');
    expect(new OptionError('{batch} × 1025 steps is too much', 'limit').code).to.equal('limit');
  });

  it('word an option as the API names it in the message, and as a flag for the CLI', () => {
    const error = new OptionError('{maxSamples} / {batch} is shorter than {tbptt} 30');
    expect(error.message).to.equal('maxSamples / batch is shorter than tbptt 30');
    expect(error.worded(asFlag)).to.equal('--max-samples / --batch is shorter than --tbptt 30');
    expect(error.worded(asOption)).to.equal(error.message);
    expect(error.worded((option) => `“${option.toUpperCase()}”`)).to.equal('“MAXSAMPLES” / “BATCH” is shorter than “TBPTT” 30');
    expect(error.options).to.deep.equal(['maxSamples', 'batch', 'tbptt']);
    expect(error).to.be.instanceOf(UsageError).and.instanceOf(UserError);
  });

  it('read a plain message literally, braces and all: only a template names options', () => {
    const literal = new UserError('layer {rnn} is missing');
    expect(literal.worded(asFlag)).to.equal('layer {rnn} is missing');
    expect(literal.options).to.deep.equal([]);
    const hint = new UserError(named('training diverged: lower {lr}'));
    expect([hint.message, hint.worded(asFlag), hint.code]).to.deep.equal(['training diverged: lower lr', 'training diverged: lower --lr', 'input']);
  });

  it('give any thrown value one message', () => {
    expect(messageFor(new OptionError('{clip} must be > 0'), asFlag)).to.equal('--clip must be > 0');
    expect(messageFor(new RangeError('out of range'), asFlag)).to.equal('out of range');
    expect(messageFor('a string', asFlag)).to.equal('a string');
  });
});
