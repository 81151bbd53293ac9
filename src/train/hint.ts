// What to change when a run ends without an exact adder, fitted to why it stopped: the CLI prints it, the page
// shows it.
import { DEFAULT_LEARNING_RATES } from './config';
import { TrainResult } from './train';
import { RELIABLE_HIDDEN, STALL_WINDOW } from './stall';

/** The advice for an adder that is not exact: its stall's cause, else more pairs or another seed. */
export function notExactHint(result: TrainResult): string {
  const { config: c, stall } = result;
  if (stall === undefined) return 'try more --max-samples or another --seed';
  const change = stall.drop >= 0 ? `fell only ${(100 * stall.drop).toFixed(2)}%` : `rose ${(-100 * stall.drop).toFixed(2)}%`;
  const stopped = `stopped early: the mean loss ${change} over the last ${STALL_WINDOW.toLocaleString('en')} pairs`;
  switch (stall.cause) {
    case 'learning-rate':
      return `${stopped}: the learning rate may saturate the units, lower --lr (it was ${c.lr}; ${c.optimizer}'s default is ${DEFAULT_LEARNING_RATES[c.optimizer]})`;
    case 'hidden':
      return `${stopped}: ${c.hidden} hidden units may be too few, try --hidden ${RELIABLE_HIDDEN} or more`;
    case 'seed':
      return `${stopped}: try another --seed`;
  }
}
