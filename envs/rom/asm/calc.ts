import type { Token } from './lexer.ts';

/** What a constant expression can see of the assembler. */
export interface CalcScope {
  peek(): Token | undefined;
  next(): Token;
  fail(problem: string, at: Token): never;
  /** A name's value (constant, defined label, register or alias index); undefined when not defined. */
  symbolValue(name: string): number | undefined;
  /** The address just past the code assembled so far (`HERE`). */
  readonly here: number;
  /** The byte assembled at an address so far (0 where nothing is), for the `@` operator. */
  byteAt(address: number): number;
}

type Unary = (x: number, scope: CalcScope) => number;
type Binary = (x: number, y: number) => number;

const UNARY: Readonly<Record<string, Unary>> = {
  '-': (x) => -x,
  '~': (x) => ~x,
  '!': (x) => +!x,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  log: Math.log,
  abs: Math.abs,
  sqrt: Math.sqrt,
  sign: Math.sign,
  ceil: Math.ceil,
  floor: Math.floor,
  '@': (x, scope) => scope.byteAt(x | 0),
};

const BINARY: Readonly<Record<string, Binary>> = {
  '-': (x, y) => x - y,
  '+': (x, y) => x + y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '%': (x, y) => x % y,
  '&': (x, y) => x & y,
  '|': (x, y) => x | y,
  '^': (x, y) => x ^ y,
  '<<': (x, y) => x << y,
  '>>': (x, y) => x >> y,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
  '<': (x, y) => +(x < y),
  '>': (x, y) => +(x > y),
  '<=': (x, y) => +(x <= y),
  '>=': (x, y) => +(x >= y),
  '==': (x, y) => +(x === y),
  '!=': (x, y) => +(x !== y),
};

const has = (table: object, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

/**
 * Evaluates Octo's `{ ... }` constant expression at the stream (the `{` not yet read). As in Octo, evaluation is
 * strictly right to left unless parenthesised (`2 * 3 + 1` is 8); `what` names the result in error messages.
 */
export function evaluateBraced(scope: CalcScope, what: string): number {
  const open = scope.next();
  if (open.text !== '{' || open.quoted) scope.fail(`expected '{' to start the expression for ${what}`, open);
  const value = expression(scope, what);
  const close = scope.next();
  if (close.text !== '}' || close.quoted) scope.fail(`expected '}' to end the expression for ${what}`, close);
  return value;
}

function expression(scope: CalcScope, what: string): number {
  const head = scope.peek() ?? scope.next(); // next() reports the unexpected end
  if (!head.quoted && head.text === 'strlen') {
    scope.next();
    const s = scope.next();
    if (!Number.isNaN(s.value)) scope.fail('strlen expects a string', s);
    return s.text.length;
  }
  if (!head.quoted && has(UNARY, head.text)) {
    scope.next();
    return UNARY[head.text](expression(scope, what), scope);
  }
  const left = terminal(scope, what);
  const op = scope.peek();
  if (op !== undefined && !op.quoted && has(BINARY, op.text)) {
    scope.next();
    return BINARY[op.text](left, expression(scope, what));
  }
  return left;
}

function terminal(scope: CalcScope, what: string): number {
  const t = scope.next();
  if (!Number.isNaN(t.value)) return t.value;
  if (t.text === 'PI') return Math.PI;
  if (t.text === 'E') return Math.E;
  if (t.text === 'HERE') return scope.here;
  if (t.text === '(' && !t.quoted) {
    const value = expression(scope, what);
    const close = scope.next();
    if (close.text !== ')') scope.fail(`expected ')' in the expression for ${what}`, close);
    return value;
  }
  const value = scope.symbolValue(t.text);
  if (value === undefined) scope.fail(`undefined name '${t.text}' in the expression for ${what} (labels must be defined before use here)`, t);
  return value;
}
