/**
 * An error caused by what the user asked for (bad flags, a missing or corrupt model, …).
 * The CLI prints its message as one line on stderr and exits non-zero, without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A mistake in the command line itself (unknown command or flag, missing operand, bad value): the CLI exits 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
