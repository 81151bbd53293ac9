// What every suite of the bench is: a name for --suite, one line for --help, and a run that logs its figures and
// returns them as keys of the final JSON line.
import { BackendName } from 'rnn-adder';
import { NumpyPeer } from './peer';

export interface SuiteContext {
  backend: BackendName;
  /** The numpy peer's interpreter, when python3 with numpy is here. */
  peer: NumpyPeer | undefined;
}

export interface Suite {
  name: string;
  describe: string;
  run(context: SuiteContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}
