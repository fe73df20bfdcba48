import type { Assembler } from './assembler.ts';
import type { Token } from './lexer.ts';

/** A `:macro` (or one `:stringmode` body): argument names and the body's tokens. */
interface Macro {
  readonly args: readonly string[];
  readonly body: readonly Token[];
  calls: number;
}

/** A `:stringmode`: for each character of its alphabets, the character's index there and the body to expand. */
interface StringMode {
  readonly values: Map<string, number>;
  readonly bodies: Map<string, Macro>;
  calls: number;
}

/** The macros and string modes defined so far. */
export interface MacroTable {
  readonly macros: Map<string, Macro>;
  readonly stringModes: Map<string, StringMode>;
  /** Tokens inserted by expansions so far (a guard against a macro that expands itself forever). */
  expanded: number;
}

/** Tokens all expansions together may produce before giving up on a recursive macro (Octo examples use < 10,000). */
const MAX_EXPANDED_TOKENS = 250_000;

export function newMacroTable(): MacroTable {
  return { macros: new Map(), stringModes: new Map(), expanded: 0 };
}

/** `:macro name arg... { body }` (the directive already read). */
export function defineMacro(asm: Assembler, table: MacroTable): void {
  const name = asm.newName('macro');
  if (table.macros.has(name.text)) asm.fail(`the macro '${name.text}' is already defined`, name);
  const args: string[] = [];
  while (!asm.end() && !asm.peekIs('{')) args.push(asm.newName('macro argument').text);
  table.macros.set(name.text, { args, body: body(asm, `macro '${name.text}'`), calls: 0 });
}

/** `:stringmode name "alphabet" { body }` (the directive already read). */
export function defineStringMode(asm: Assembler, table: MacroTable): void {
  const name = asm.newName('string mode');
  let mode = table.stringModes.get(name.text);
  if (mode === undefined) {
    mode = { values: new Map(), bodies: new Map(), calls: 0 };
    table.stringModes.set(name.text, mode);
  }
  const alphabet = asm.next();
  if (!Number.isNaN(alphabet.value)) asm.fail('expected the string mode\'s alphabet (a string)', alphabet);
  const macro: Macro = { args: [], body: body(asm, `string mode '${name.text}'`), calls: 0 };
  let index = 0;
  for (const char of alphabet.text) {
    if (mode.bodies.has(char)) asm.fail(`string mode '${name.text}' is already defined for the character '${char}'`, alphabet);
    mode.values.set(char, index++);
    mode.bodies.set(char, macro);
  }
}

/** Replaces a macro invocation (name already read) by its body with the arguments substituted. */
export function expandMacro(asm: Assembler, table: MacroTable, at: Token): void {
  const macro = table.macros.get(at.text) as Macro;
  const bindings = new Map<string, Token>([['CALLS', numberToken(macro.calls++, at)]]);
  for (const arg of macro.args) {
    if (asm.end()) asm.fail(`not enough arguments for the macro '${at.text}' (it takes ${macro.args.length})`, at);
    bindings.set(arg, asm.next());
  }
  insert(asm, table, substitute(macro.body, bindings), at);
}

/** Expands a string mode (name already read) once per character of the string that follows. */
export function expandStringMode(asm: Assembler, table: MacroTable, at: Token): void {
  const mode = table.stringModes.get(at.text) as StringMode;
  const text = asm.next();
  if (!Number.isNaN(text.value)) asm.fail(`the string mode '${at.text}' cannot be applied to a number`, text);
  const out: Token[] = [];
  let index = 0;
  for (const char of text.text) {
    const macro = mode.bodies.get(char);
    if (macro === undefined) asm.fail(`the string mode '${at.text}' is not defined for the character '${char}'`, text);
    const bindings = new Map<string, Token>([
      ['CALLS', numberToken(mode.calls++, text)],
      ['CHAR', numberToken(char.charCodeAt(0), text)],
      ['INDEX', numberToken(index++, text)],
      ['VALUE', numberToken(mode.values.get(char) as number, text)],
    ]);
    for (const t of substitute(macro.body, bindings)) out.push(t);
  }
  insert(asm, table, out, at);
}

function body(asm: Assembler, what: string): Token[] {
  asm.expect('{', `to start the body of the ${what}`);
  const tokens: Token[] = [];
  let depth = 1;
  for (;;) {
    if (asm.end()) asm.fail(`the body of the ${what} has no closing '}'`, tokens[tokens.length - 1]);
    const t = asm.next();
    if (!t.quoted && t.text === '{') depth++;
    if (!t.quoted && t.text === '}' && --depth === 0) return tokens;
    tokens.push(t);
  }
}

function substitute(tokens: readonly Token[], bindings: ReadonlyMap<string, Token>): Token[] {
  return tokens.map((t) => (t.quoted ? t : bindings.get(t.text) ?? t));
}

function insert(asm: Assembler, table: MacroTable, tokens: Token[], at: Token): void {
  table.expanded += tokens.length;
  if (table.expanded > MAX_EXPANDED_TOKENS) asm.fail('macro expansion does not end (a macro that expands itself?)', at);
  asm.insert(tokens);
}

function numberToken(value: number, at: Token): Token {
  return { text: String(value), value, quoted: false, line: at.line, column: at.column };
}
