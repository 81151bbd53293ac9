#!/usr/bin/env node
// rnn-adder's entry: parse the command line, let the command run, and say what went wrong in one line.
import { hideBin } from 'yargs/helpers';
import { USAGE_EXIT } from './exit-codes';
import { cliParser, UsageError } from './parser';
import { reportError } from './run';

async function main(argv: string[]): Promise<void> {
  // Inside an async function, a UsageError thrown while parsing becomes a rejection like a handler's failure.
  await cliParser().parseAsync(argv);
}

main(hideBin(process.argv)).catch((error) => reportError(error, error instanceof UsageError ? USAGE_EXIT : 1));
