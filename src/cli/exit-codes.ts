// What the exit status says, beyond 0 (done) and 1 (it failed: a bad model, operand or file, a run that did not
// end exact, a gradient above tolerance).

/** The command line itself is wrong: an unknown command or flag, a missing or malformed value. */
export const USAGE_EXIT = 2;

/** `add` ran, but the model's sum is wrong: the answer must not pass for right. */
export const WRONG_SUM_EXIT = 3;
