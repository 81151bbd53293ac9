/** `defaults`, overridden by every field of `given` that is set: `{ lr: undefined }` keeps the default rate. */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  return { ...defaults, ...Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined)) };
}
