#!/usr/bin/env node
// rnn-adder's entry: parse the command line, let the command run, and say what went wrong in one line.
// The code cache first, so that every module after it loads through it.
import './code-cache';
import { hideBin } from 'yargs/helpers';
import { USAGE_EXIT } from './exit-codes';
import { rejectOperandFlags, operandsAfterDoubleDash } from './options';
import { cliParser, COMMANDS, UsageError } from './parser';
import { handleOutputErrors, reportError } from './run';

async function main(args: string[]): Promise<void> {
  handleOutputErrors();
  const argv = operandsAfterDoubleDash(args);
  // Inside an async function, a UsageError thrown while checking or parsing becomes a rejection like a handler's failure.
  rejectOperandFlags(argv, COMMANDS);
  await cliParser().parseAsync(argv);
}

main(hideBin(process.argv)).catch((error) => reportError(error, error instanceof UsageError ? USAGE_EXIT : 1));
