// The errors a caller can cause, in one place. Each has a stable `code` to branch on; an error about an option
// names it in a template, so that every caller reads it in its own words: the CLI as a flag (`--max-samples`), the
// API as the option (`maxSamples`), the page as its form field. Free of tfjs and of Node's modules.

/**
 * What kind of mistake it is (docs/api.md, "Errors"):
 * - `input`: what was asked for cannot be done as given (a missing or corrupt model, an operand out of range, a
 *   file that cannot be written);
 * - `usage`: the command line or the call itself is malformed (an unknown command or flag, a value given twice);
 * - `option`: an option's value is wrong, or it does not go with another option;
 * - `limit`: the options ask for more work or memory than the limits allow (src/limits.ts).
 */
export type UserErrorCode = 'input' | 'usage' | 'option' | 'limit';

/** How a caller spells an option, given its name in the API (camelCase, as `maxSamples`). */
export type OptionWording = (option: string) => string;

/** The API's spelling: the option's own name. */
export const asOption: OptionWording = (option) => option;

/** The CLI's spelling: `maxSamples` is `--max-samples`. */
export const asFlag: OptionWording = (option) => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `{name}` in a template: an option, named in the API's camelCase. */
const OPTION_PLACE = /\{([a-z][A-Za-z0-9]*)\}/g;

/**
 * A message that names options as `{name}`: `named('lower {lr} or clip the gradient with {clip} 1')`. Kept apart
 * from plain strings so that text from elsewhere (a file's contents) is never read as a template.
 */
export class Template {
  constructor(readonly text: string) {}

  /** The options it names, in the order it names them. */
  get options(): string[] {
    return [...this.text.matchAll(OPTION_PLACE)].map((m) => m[1]);
  }

  /** The text with every option spelled by `wording`. */
  worded(wording: OptionWording): string {
    return this.text.replace(OPTION_PLACE, (_, option: string) => wording(option));
  }
}

/** A template (see Template). */
export const named = (text: string): Template => new Template(text);

/**
 * An error caused by what the user asked for (bad flags, a missing or corrupt model, …). Its message is the API's
 * wording; the CLI prints `worded(asFlag)` as one line on stderr and exits non-zero, without a stack trace.
 */
export class UserError extends Error {
  readonly code: UserErrorCode;
  /** The options the message names, in the API's spelling: the first is the one to fix. Empty when it names none. */
  readonly options: readonly string[];
  private readonly template: Template | undefined;

  constructor(message: string | Template, code: UserErrorCode = 'input') {
    super(typeof message === 'string' ? message : message.worded(asOption));
    this.name = 'UserError';
    this.code = code;
    this.template = typeof message === 'string' ? undefined : message;
    this.options = this.template?.options ?? [];
  }

  /** The message with every option it names spelled by `wording`. */
  worded(wording: OptionWording): string {
    return this.template === undefined ? this.message : this.template.worded(wording);
  }
}

/** A mistake in the command line or the call itself (unknown command or flag, missing operand, bad value): the CLI exits 2. */
export class UsageError extends UserError {
  constructor(message: string | Template, code: UserErrorCode = 'usage') {
    super(message, code);
    this.name = 'UsageError';
  }
}

/**
 * A wrong option value, or options that do not go together: a usage error whose message is a template
 * (`new OptionError('{lr} must be greater than 0, got -1')`: "lr must be …" for the API, "--lr must be …" in the CLI).
 */
export class OptionError extends UsageError {
  constructor(template: string, code: UserErrorCode = 'option') {
    super(named(template), code);
    this.name = 'OptionError';
  }
}

/** Any error's message, with the options a UserError names spelled by `wording`. */
export function messageFor(error: unknown, wording: OptionWording): string {
  if (error instanceof UserError) return error.worded(wording);
  return error instanceof Error ? error.message : String(error);
}
