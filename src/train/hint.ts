// What to change when a run ends without an exact adder, fitted to why it stopped: the CLI prints it, the page
// shows it, each naming the options in its own words (src/errors.ts' templates).
import { asOption, named, OptionWording, Template } from '../errors';
import { DEFAULT_LEARNING_RATES } from './config';
import { TrainResult } from './train';
import { RELIABLE_HIDDEN, STALL_WINDOW } from './stall';

/**
 * The advice for an adder that is not exact: its stall's cause, else more pairs or another seed. Options are named
 * by `wording`: the API's option names unless told otherwise (the CLI passes asFlag).
 */
export function notExactHint(result: TrainResult, wording: OptionWording = asOption): string {
  return hintTemplate(result).worded(wording);
}

function hintTemplate(result: TrainResult): Template {
  const { config: c, stall } = result;
  if (stall === undefined) return named('allow more training pairs with {maxSamples}, or try another {seed}');
  const change = stall.drop >= 0 ? `fell only ${(100 * stall.drop).toFixed(2)}%` : `rose ${(-100 * stall.drop).toFixed(2)}%`;
  const stopped = `stopped early: the mean loss ${change} over the last ${STALL_WINDOW.toLocaleString('en')} pairs`;
  switch (stall.cause) {
    case 'learning-rate':
      return named(`${stopped}: the learning rate may saturate the units, lower {lr} (it was ${c.lr}; ${c.optimizer}'s default is ${DEFAULT_LEARNING_RATES[c.optimizer]})`);
    case 'hidden':
      return named(`${stopped}: ${c.hidden} hidden units may be too few, raise {hidden} to ${RELIABLE_HIDDEN} or more`);
    case 'seed':
      return named(`${stopped}: try another {seed}`);
  }
}
