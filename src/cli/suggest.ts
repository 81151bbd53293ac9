// "Did you mean": yargs' strict mode says `Unknown argument: modle`, which neither says that --modle was taken
// for a flag nor which flag was meant. Here the unknown words are told apart (a command, a flag, an extra
// operand) from what the parser saw, and each gets the nearest name it could have been.

/**
 * Edit distance with adjacent transpositions counted as one edit (optimal string alignment): `modle` is one
 * edit from `model`, `trian` one from `train`, as a typist's slips are.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The candidate nearest to `word`, if it is near enough to be a slip: at most one edit per three letters. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(1, Math.floor(name.length / 3)) && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

/** What the parser saw when its strict check failed: the positional words and the flags the command knows. */
export interface ParseContext {
  positionals: readonly string[];
  flags: readonly string[];
  /** Flags that yargs read as false: given as `--no-NAME`, so named that way back. */
  negated: readonly string[];
}

/**
 * The one-line message for yargs' `Unknown argument(s): …`, or undefined for any other message. yargs lists a
 * dashed flag twice (`max-smples, maxSmples`); the camel-case copy is dropped.
 */
export function unknownArgumentMessage(message: string, context: ParseContext, commands: readonly string[]): string | undefined {
  const listed = /^Unknown arguments?: (.+)$/.exec(message);
  if (listed === null) return undefined;
  const names = listed[1].split(', ');
  const kebab = new Set(names.filter((n) => n.includes('-')).map((n) => n.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())));
  const [first, ...operands] = context.positionals;
  // A mistyped command makes every flag after it unknown too: the command is the mistake to name.
  if (first !== undefined && names.includes(first) && !commands.includes(first)) {
    const meant = nearest(first, commands);
    return meant === undefined
      ? `unknown command "${first}"; the commands are ${commands.join(', ')}`
      : `unknown command "${first}": did you mean ${meant}?`;
  }
  const word = names.find((n) => !kebab.has(n))!;
  if (operands.includes(word)) return `"${word}" is not an operand of ${first}`;
  const flags = context.flags.filter((f) => f.length > 1 && !/[A-Z]/.test(f));
  const meant = nearest(word, flags);
  const no = context.negated.includes(word) ? 'no-' : '';
  return meant === undefined ? `unknown flag --${no}${word}` : `unknown flag --${no}${word}: did you mean --${no}${meant}?`;
}
