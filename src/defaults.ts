// Options over defaults: how the API's calls, the CLI's flags and the page's form fill in what they leave out.

/** `defaults`, overridden by every field of `given` that is set: `{ lr: undefined }` keeps the default rate. */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  return { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
}
