// Fractions as percentages for people: rounded, except that rounding never shows 100% when something was wrong
// or 0% when something was (99.996% of sums right is "99.99%", not "100.00%").

/** x in [0, 1] as a percentage with `digits` decimals; 100% only for 1 and 0% only for 0. */
export function percent(x: number, digits = 2): string {
  const step = 10 ** -digits;
  const shown = x === 1 || x === 0 ? 100 * x : Math.min(Math.max(100 * x, step), 100 - step);
  return `${shown.toFixed(digits)}%`;
}
