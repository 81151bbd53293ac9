// `rnn-adder add A B`: the trained network adds two non-negative integers of any size (T grows with them).
import type { Argv } from 'yargs';
import type { AddArgs } from '../actions/add';
import { parseOperand } from '../../data/operands';
import { WRONG_SUM_EXIT } from '../exit-codes';
import { modelOption } from '../model-option';
import { lazyHandler } from '../run';

export const command = 'add <a> <b>';
export const describe = 'Add two non-negative integers of any size with a trained adder';

// The options' coerce functions type the values; yargs cannot infer them, hence the cast.
export function builder(yargs: Argv): Argv<AddArgs> {
  return yargs
    .positional('a', { describe: 'First operand: a non-negative integer, any number of digits', type: 'string' })
    .positional('b', { describe: 'Second operand: a non-negative integer, any number of digits', type: 'string' })
    .options({
      model: modelOption('Model directory (default: the shipped models/adder-16)', false),
      trace: { describe: 'Show every step: input bits, output probability, predicted and true bit, hidden state', type: 'boolean', default: false },
      backward: {
        describe: "Also the backward pass per step (∂L/∂ŷ_t, ‖dS_t‖, ‖δ_t‖, the step's share of dWs), on the model's width as grads; implies --trace",
        type: 'boolean',
        default: false,
      },
    })
    // A malformed operand is a usage error (exit 2), refused by the parser before the model or tfjs is loaded.
    .check((args) => {
      parseOperand(String(args.a), 'the first operand');
      parseOperand(String(args.b), 'the second operand');
      return true;
    })
    .epilogue(`Exits with ${WRONG_SUM_EXIT} (and says so on stderr) if the model's sum is not the true sum.`)
    .example('$0 add 200 55', 'prints 255')
    .example('$0 add 65535 1 --model models/adder-16', 'prints 65536')
    .example('$0 add 12345678901234567890 1 --trace', 'the per-step table, then the sum')
    .example('$0 add 12 7 --trace --backward --json', 'adds "backward": the loss, every step\'s dS, delta, dWs, dWx, dbs, the total gradient') as unknown as Argv<AddArgs>;
}

export const handler = lazyHandler<AddArgs>(() => import('../actions/add'));
