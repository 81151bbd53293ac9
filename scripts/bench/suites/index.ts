// Every suite, in the order a full run takes them (the quick in-process ones first, the child processes last).
import { Suite } from '../suite';
import { bpttVsTfGrad } from './bptt-vs-tfgrad';
import { checks } from './checks';
import { coldStart } from './cold-start';
import { fusedStep } from './fused-step';
import { inference } from './inference';
import { lstmStep } from './lstm-step';
import { rnnPeers } from './rnn-peers';
import { startup } from './startup';
import { wholeProcess } from './whole-process';

export const SUITES: Suite[] = [bpttVsTfGrad, checks, inference, fusedStep, coldStart, lstmStep, rnnPeers, wholeProcess, startup];
