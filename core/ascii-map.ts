import { InvalidInputError } from './errors.ts';

/** A malformed ASCII map or level. `line` and `column` (1-based, in the text given) are set when the fault has a place. */
export class AsciiMapError extends InvalidInputError {
  constructor(
    message: string,
    /** What is wrong, without the location. */
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Throws an error naming `source`, the line and column when known, and the reason. */
export type MapFail = (reason: string, line?: number, column?: number) => never;

/** A `MapFail` that throws `make(message, reason, line, column)`, the message being `<source>, line L, column C: reason`. */
export function mapFailer(source: string, make: (message: string, reason: string, line?: number, column?: number) => Error): MapFail {
  return (reason, line, column) => {
    const where = line === undefined ? '' : `, line ${line}${column === undefined ? '' : `, column ${column}`}`;
    throw make(`${source}${where}: ${reason}`, reason, line, column);
  };
}

/** A character as error messages show it: `'x'`, or `U+0009` when not printable ASCII. */
export function showChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x20 && code < 0x7f) return `'${c}'`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The lines of an ASCII map (`\r\n` tolerated) and the indices of its first and last non-blank lines; blank lines
 * before and after are allowed. Fails for a non-string or a text with no rows; `what` names the thing ("map").
 */
export function mapLines(text: unknown, what: string, fail: MapFail): { lines: string[]; first: number; last: number } {
  if (typeof text !== 'string') fail(`expected the ${what} as a string, received ${text === null ? 'null' : typeof text}`);
  const lines = (text as string).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const blank = (l: string): boolean => l.trim() === '';
  let first = 0;
  while (first < lines.length && blank(lines[first])) first++;
  let last = lines.length - 1;
  while (last >= first && blank(lines[last])) last--;
  if (first > last) fail(`the ${what} is empty (no rows)`);
  return { lines, first, last };
}
