// The advice for an adder that is not exact names its options in each caller's words: the API's option names by
// default, the CLI's flags, the page's fields (any wording); no caller's flag leaks into another's message.
import { expect } from 'chai';
import { asFlag, OptionWording } from '../../src/errors';
import { resolveConfig } from '../../src/train/config';
import { notExactHint } from '../../src/train/hint';
import { Stall, StallCause } from '../../src/train/stall';
import { TrainResult } from '../../src/train/train';

const FIELD: OptionWording = (option) => `“${option} field”`;

/** A result that is not exact, stopped by `cause` (or run to its end when undefined); only what the hint reads. */
function result(cause: StallCause | undefined): TrainResult {
  const config = resolveConfig({ hidden: 2, lr: 0.5 });
  const stall: Stall | undefined = cause === undefined ? undefined : { samples: 64_000, drop: 0.0015, cause };
  return { config, ...(stall && { stall }) } as unknown as TrainResult;
}

const CASES: { cause: StallCause | undefined; options: string[] }[] = [
  { cause: undefined, options: ['maxSamples', 'seed'] },
  { cause: 'learning-rate', options: ['lr'] },
  { cause: 'hidden', options: ['hidden'] },
  { cause: 'seed', options: ['seed'] },
];

describe('notExactHint: worded per caller', () => {
  for (const { cause, options } of CASES) {
    it(`${cause ?? 'no stall'}: names ${options.join(', ')} as each caller spells them`, () => {
      const api = notExactHint(result(cause));
      const cli = notExactHint(result(cause), asFlag);
      const page = notExactHint(result(cause), FIELD);
      expect(api, 'the API names no flag').to.not.include('--');
      expect(page, 'the page names no flag').to.not.include('--');
      for (const option of options) {
        expect(api, `API: ${option}`).to.include(option);
        expect(cli, `CLI: ${option}`).to.include(asFlag(option));
        expect(page, `page: ${option}`).to.include(FIELD(option));
      }
      // Everything but the option names is the same text.
      let unworded = cli;
      for (const option of options) unworded = unworded.split(asFlag(option)).join(option);
      expect(unworded).to.equal(api);
    });
  }

  it('a stall by the hidden size says how many units to try', () => {
    expect(notExactHint(result('hidden'), asFlag)).to.match(/: 2 hidden units may be too few, raise --hidden to 8 or more$/);
  });
});
