import { AsmError } from './errors.ts';

/** One whitespace-separated token of Octo source. */
export interface Token {
  /** The token's text; for a string literal, its contents with escapes resolved. */
  readonly text: string;
  /** The numeric value of a number token (decimal, `0x`, `0b`, optionally signed); NaN for anything else. */
  readonly value: number;
  /** True for a `"..."` string literal (which is never a number). */
  readonly quoted: boolean;
  readonly line: number;
  readonly column: number;
}

/**
 * Octo's number syntax: `12`, `-3`, `0xFF` (or `0XFF`), `0b1010`, each optionally signed; NaN when the token is
 * not a number. Hand-rolled rather than regular expressions: data-heavy programs are mostly numbers.
 */
export function parseNumber(text: string): number {
  const n = text.length;
  let k = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    sign = first === 45 ? -1 : 1;
    k = 1;
  }
  if (k >= n) return NaN;
  let base = 10;
  if (text.charCodeAt(k) === 48 /* 0 */ && k + 2 < n) {
    const p = text.charCodeAt(k + 1);
    if (p === 120 || p === 88 /* x X */) base = 16;
    else if (p === 98 /* b */) base = 2;
    if (base !== 10) k += 2;
  }
  let value = 0;
  for (; k < n; k++) {
    const c = text.charCodeAt(k);
    let digit: number;
    if (c >= 48 && c <= 57) digit = c - 48;
    else if (c >= 97 && c <= 102) digit = c - 87;
    else if (c >= 65 && c <= 70) digit = c - 55;
    else return NaN;
    if (digit >= base) return NaN;
    value = value * base + digit;
  }
  return sign * value;
}

const ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', v: '\v', '0': '\0', '\\': '\\', '"': '"' };

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 11;

/** Splits Octo source into tokens: whitespace separates, `#` comments to the end of the line, `"..."` strings. */
export function tokenize(source: string, file?: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let k = 0;
  const n = source.length;
  while (k < n) {
    const c = source.charCodeAt(k);
    if (c === 10) {
      line++;
      lineStart = ++k;
    } else if (isSpace(c)) {
      k++;
    } else if (c === 35 /* # */) {
      while (k < n && source.charCodeAt(k) !== 10) k++;
    } else if (c === 34 /* " */) {
      const startLine = line;
      const column = k - lineStart + 1;
      let text = '';
      k++;
      for (;;) {
        if (k >= n) throw new AsmError('missing a closing " in a string literal', { line: startLine, column }, '"', file);
        const ch = source[k++];
        if (ch === '"') break;
        if (ch === '\n') {
          line++;
          lineStart = k;
        }
        if (ch === '\\') {
          const esc = source[k++];
          const resolved = esc === undefined ? undefined : ESCAPES[esc];
          if (resolved === undefined) {
            throw new AsmError(`unknown escape '\\${esc ?? ''}' in a string literal (known: \\t \\n \\r \\v \\0 \\\\ \\")`, { line, column: k - lineStart }, `\\${esc ?? ''}`, file);
          }
          text += resolved;
        } else {
          text += ch;
        }
      }
      tokens.push({ text, value: NaN, quoted: true, line: startLine, column });
    } else {
      const start = k;
      while (k < n) {
        const d = source.charCodeAt(k);
        if (isSpace(d) || d === 35 || d === 34) break;
        k++;
      }
      const text = source.slice(start, k);
      tokens.push({ text, value: parseNumber(text), quoted: false, line, column: start - lineStart + 1 });
    }
  }
  return tokens;
}
