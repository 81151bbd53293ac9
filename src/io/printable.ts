// Text from a file or a request, made safe to print on one line of a terminal: quoted, its control characters
// (C0, DEL, C1: an escape sequence starts with ESC or CSI), line and paragraph separators and bidirectional
// overrides written as \u escapes, and cut to a bound, so that a 500 KB name gives a line of a hundred characters.

/** Characters a terminal would act on, or that would break or reorder the line. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"\\]/g;
const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The longest stretch of the original text a message quotes. */
export const MAX_QUOTED_CHARS = 80;

function escape(char: string): string {
  if (char === '"' || char === '\\') return `\\${char}`;
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The first `max` characters of text (a surrogate pair kept whole), and a note of how many were left out. */
function cut(text: string, max: number): [string, string] {
  const head = Array.from(text.slice(0, 2 * max)).slice(0, max).join('');
  return [head, head.length < text.length ? `…(${text.length - head.length} more)` : ''];
}

/** `text` in double quotes, escaped, and cut after `max` characters. */
export function quoted(text: string, max = MAX_QUOTED_CHARS): string {
  const [head, more] = cut(text, max);
  return `"${head.replace(UNPRINTABLE, escape)}"${more}`;
}

/** Another program's message (a parser's, tfjs'), which may quote the file: escaped and bounded, not quoted. */
export function escaped(text: string, max = 4 * MAX_QUOTED_CHARS): string {
  const [head, more] = cut(text, max);
  return head.replace(TERMINAL_CONTROLS, escape) + more;
}

/** A value read from a file, for a message: a string quoted, anything else as JSON; both escaped and bounded. */
export function shown(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (typeof value === 'string') return quoted(value, max);
  const json = JSON.stringify(value) ?? String(value);
  const [head, more] = cut(json, max);
  // JSON already escapes C0 and the quotes; what it leaves (DEL, C1, separators, overrides) is escaped here.
  return head.replace(TERMINAL_CONTROLS, escape) + more;
}

/** A path for a message: as it is when it prints safely, quoted and bounded when it holds what a terminal acts on. */
export function pathShown(file: string, max = 2 * MAX_QUOTED_CHARS): string {
  const plain = !new RegExp(TERMINAL_CONTROLS.source).test(file);
  return plain && file.length <= max ? file : quoted(file, max);
}

/** A name read from a file: as it is when it is a plain short name, else quoted (escaped, bounded). */
export const nameShown = (name: string): string => (/^[\w/.:-]{1,80}$/.test(name) ? name : quoted(name));

/** Items already made printable, for a message: the first few, then how many there are in all. */
export function listShown(items: readonly string[], max = 6): string {
  if (items.length === 0) return 'none';
  const head = items.slice(0, max).join(', ');
  return items.length > max ? `${head}, … (${items.length} in all)` : head;
}

/** Names read from a file, for a message: the first few, each as nameShown, then how many there are in all. */
export const namesShown = (names: readonly string[]): string => listShown(names.map(nameShown));
