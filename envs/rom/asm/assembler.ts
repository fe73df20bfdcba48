import type { CalcScope } from './calc.ts';
import { AsmError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import { OCTO_KEYS, RESERVED_NAMES, registerNumber } from './names.ts';

/** Where programs start, as on the COSMAC VIP and in Octo. */
export const PROGRAM_START = 0x200;
/** Octo assembles into a 64 KiB address space (XO-CHIP); 12-bit operands must still fit 0xFFF. */
const ADDRESS_SPACE = 0x10000;

/** The assembler's output: the ROM image (loaded at 0x200) and the address of every label. */
export interface AssembledRom {
  rom: Uint8Array;
  /** Address of each label. */
  labels: ReadonlyMap<string, number>;
}

/** A name in the one namespace shared by labels, `:const` and `:calc` (only `:calc` names may be redefined). */
interface SymbolEntry {
  readonly kind: 'label' | 'const' | 'calc';
  readonly value: number;
}

/** How a forward reference is patched once its label is known. */
type FixupKind = 'nnn' | 'unpack' | 'long' | 'unpack-long';

interface Fixup {
  readonly address: number;
  readonly kind: FixupKind;
  readonly token: Token;
}

/** An open `if ... begin` / `else` (jump to patch) or `loop` (start address, `while` jumps to patch). */
export type ControlFrame =
  | { readonly kind: 'begin' | 'else'; readonly address: number; readonly token: Token }
  | { readonly kind: 'loop'; readonly address: number; readonly token: Token; readonly whiles: number[] };

const hex = (n: number): string => '0x' + n.toString(16).toUpperCase();

/**
 * The assembler's state: the token stream (macros splice into it), memory being filled, names, forward
 * references and open control structures. Statements are encoded by ./statements.ts through its methods.
 */
export class Assembler implements CalcScope {
  readonly file: string | undefined;
  /** The tokens still to read, last first. */
  private readonly pending: Token[];
  private last: Token | undefined;
  private readonly memory = new Uint8Array(ADDRESS_SPACE);
  private readonly written = new Uint8Array(ADDRESS_SPACE);
  /** The address the next byte goes to. */
  here = PROGRAM_START;
  private top = PROGRAM_START;
  private readonly symbols = new Map<string, SymbolEntry>();
  private readonly labelNames: string[] = [];
  private readonly aliases = new Map<string, number>([['unpack-hi', 0], ['unpack-lo', 1]]);
  private readonly fixups: Fixup[] = [];
  readonly control: ControlFrame[] = [];
  /** True while 0x200 holds the reserved `jump main` (Octo drops it when `main` is the first label). */
  private mainSlot = true;

  constructor(source: string, file?: string) {
    this.file = file;
    this.pending = tokenize(source, file).reverse();
    for (const [name, value] of OCTO_KEYS) this.symbols.set(name, { kind: 'const', value });
    // Reserve 0x200-0x201 for `jump main`, written by finish() unless `main` comes first.
    this.written[PROGRAM_START] = this.written[PROGRAM_START + 1] = 1;
    this.here = this.top = PROGRAM_START + 2;
  }

  // ---- the token stream ----
  // Kept reversed (next token last) so that a macro expansion is a push, not a splice into the whole program.

  end(): boolean {
    return this.pending.length === 0;
  }

  peek(offset = 0): Token | undefined {
    return this.pending[this.pending.length - 1 - offset];
  }

  /** True when the next token is exactly this word (not a string literal). */
  peekIs(word: string): boolean {
    const t = this.pending[this.pending.length - 1];
    return t !== undefined && !t.quoted && t.text === word;
  }

  next(): Token {
    const t = this.pending.pop();
    if (t === undefined) this.fail('unexpected end of the source: a statement is incomplete', this.last);
    this.last = t;
    return t;
  }

  /** Puts tokens (a macro's expansion) in front of the rest of the stream. */
  insert(tokens: readonly Token[]): void {
    for (let k = tokens.length - 1; k >= 0; k--) this.pending.push(tokens[k]);
  }

  expect(word: string, context: string): Token {
    const t = this.next();
    if (t.text !== word || t.quoted) this.fail(`expected '${word}' ${context}`, t);
    return t;
  }

  fail(problem: string, at: Token | undefined): never {
    const where = at ?? { line: 1, column: 1 };
    throw new AsmError(problem, where, at?.text, this.file);
  }

  // ---- memory ----

  byteAt(address: number): number {
    return address >= 0 && address < ADDRESS_SPACE ? this.memory[address] : 0;
  }

  emit(byte: number, at: Token): void {
    const a = this.here;
    if (a >= ADDRESS_SPACE) this.fail(`the program runs past the end of memory (${hex(ADDRESS_SPACE - 1)})`, at);
    if (this.written[a] === 1 && a >= PROGRAM_START) this.fail(`address ${hex(a)} already holds assembled data (overlap after :org)`, at);
    this.memory[a] = byte & 0xff;
    this.written[a] = 1;
    this.here = a + 1;
    if (this.here > this.top && a >= PROGRAM_START) this.top = this.here;
  }

  inst(hi: number, lo: number, at: Token): void {
    this.emit(hi, at);
    this.emit(lo, at);
  }

  /**
   * Moves the assembly address (`:org`). Below 0x200 is scratch space, as in Octo: what is assembled there is
   * visible to `@` in expressions but is not part of the ROM.
   */
  org(address: number, at: Token): void {
    if (!(address >= 0 && address < ADDRESS_SPACE)) this.fail(`:org address ${address} is outside memory [0, 0xFFFF]`, at);
    this.here = address;
  }

  /** Writes `jump dest` over the placeholder at `address` (for begin/else/end and while/again). */
  patchJump(address: number, dest: number, at: Token): void {
    if (dest > 0xfff) this.fail(`jump target ${hex(dest)} does not fit in 12 bits`, at);
    this.memory[address] = 0x10 | (dest >> 8);
    this.memory[address + 1] = dest & 0xff;
  }

  // ---- names ----

  /** Reads a new name for a label, constant, alias or macro, rejecting numbers, keywords and register names. */
  newName(kind: string): Token {
    const t = this.next();
    const a = /^[aeiou]/.test(kind) ? 'an' : 'a';
    if (!Number.isNaN(t.value)) this.fail(`expected a name for the ${kind}, found the number ${t.text}`, t);
    if (RESERVED_NAMES.has(t.text) || t.text.startsWith('OCTO_')) this.fail(`'${t.text}' is reserved and cannot name ${a} ${kind}`, t);
    if (registerNumber(t.text) >= 0) this.fail(`'${t.text}' is a register and cannot name ${a} ${kind}`, t);
    return t;
  }

  private checkFree(t: Token, kind: 'label' | 'const' | 'calc'): void {
    const old = this.symbols.get(t.text);
    if (old !== undefined && !(kind === 'calc' && old.kind === 'calc')) this.fail(`the name '${t.text}' is already defined (as a ${old.kind})`, t);
    if (this.aliases.has(t.text)) this.fail(`the name '${t.text}' is already a register alias`, t);
  }

  /** `: name` (offset 0) or `:next name` (offset 1: the second byte of the next instruction). */
  defineLabel(offset: number): void {
    const t = this.newName('label');
    this.checkFree(t, 'label');
    let target = this.here + offset;
    if (t.text === 'main' && this.mainSlot && (target === PROGRAM_START || target === PROGRAM_START + 2)) {
      // Octo's rule: `main` first in the program starts at 0x200 and the reserved jump is dropped.
      this.mainSlot = false;
      this.written[PROGRAM_START] = this.written[PROGRAM_START + 1] = 0;
      this.here = PROGRAM_START;
      if (this.top === PROGRAM_START + 2) this.top = PROGRAM_START;
      target = PROGRAM_START;
      // Labels placed just before `main` (at 0x202) would otherwise point past its first instruction.
      for (const name of this.labelNames) {
        if (this.symbols.get(name)?.value === PROGRAM_START + 2) this.symbols.set(name, { kind: 'label', value: PROGRAM_START });
      }
    }
    this.symbols.set(t.text, { kind: 'label', value: target });
    this.labelNames.push(t.text);
  }

  defineConstant(name: Token, value: number, kind: 'const' | 'calc'): void {
    this.checkFree(name, kind);
    this.symbols.set(name.text, { kind, value });
  }

  defineAlias(name: Token, register: number, at: Token): void {
    if (!(register >= 0 && register <= 15)) this.fail(`a register alias must be 0..15, got ${register}`, at);
    const old = this.symbols.get(name.text);
    if (old !== undefined) this.fail(`the name '${name.text}' is already defined (as a ${old.kind})`, name);
    this.aliases.set(name.text, register);
  }

  symbolValue(name: string): number | undefined {
    const s = this.symbols.get(name);
    if (s !== undefined) return s.value;
    const r = this.registerOf(name);
    return r >= 0 ? r : undefined;
  }

  // ---- operands ----

  /** The register a name stands for (`v0`..`vF` or an alias), or -1. */
  registerOf(text: string): number {
    const alias = this.aliases.get(text);
    return alias !== undefined ? alias : registerNumber(text);
  }

  isRegister(t: Token | undefined): boolean {
    return t !== undefined && !t.quoted && this.registerOf(t.text) >= 0;
  }

  register(t: Token = this.next()): number {
    const r = t.quoted ? -1 : this.registerOf(t.text);
    if (r < 0) this.fail(`expected a register (v0..vF or an alias), found '${t.text}'`, t);
    return r;
  }

  /** A number or a constant; labels only where `labels` (and then only defined ones). */
  private known(t: Token, what: string, labels: boolean): number {
    if (!Number.isNaN(t.value)) return t.value;
    if (this.isRegister(t)) this.fail(`expected ${what}, found the register '${t.text}'`, t);
    if (RESERVED_NAMES.has(t.text)) this.fail(`expected ${what}, found the keyword '${t.text}' (a missing operand?)`, t);
    const s = this.symbols.get(t.text);
    if (s === undefined) this.fail(`expected ${what}, found the undefined name '${t.text}' (constants must be defined before use)`, t);
    if (s.kind === 'label' && !labels) this.fail(`'${t.text}' is a label (an address), not ${what}`, t);
    return s.value;
  }

  /** An 8-bit operand: -128..255 (negatives as two's complement). */
  byteValue(t: Token = this.next()): number {
    const v = this.known(t, 'an 8-bit value', false);
    if (!(v >= -128 && v <= 255)) this.fail(`value ${v} does not fit in a byte (-128..255)`, t);
    return v & 0xff;
  }

  /** A 4-bit operand: 0..15. */
  nibbleValue(t: Token = this.next()): number {
    const v = this.known(t, 'a 4-bit value', false);
    if (!(v >= 0 && v <= 15)) this.fail(`value ${v} does not fit in 4 bits (0..15)`, t);
    return v & 0xf;
  }

  /** A value known now: number, constant or a label already defined (for :const, :org). */
  constantValue(t: Token = this.next()): number {
    if (Number.isNaN(t.value) && !this.symbols.has(t.text) && !this.isRegister(t) && !RESERVED_NAMES.has(t.text)) {
      this.fail(`'${t.text}' is not defined yet (a constant's value cannot refer forward)`, t);
    }
    return this.known(t, 'a constant value', true);
  }

  /**
   * An address operand that may refer forward: the value now, or 0 with a fixup recorded at `patchAt`.
   * `bits` is 12 (jump, call, i :=, :unpack) or 16 (i := long, :unpack long, :pointer).
   */
  addressValue(patchAt: number, kind: FixupKind, t: Token = this.next()): number {
    const bits = kind === 'long' || kind === 'unpack-long' ? 16 : 12;
    let v: number;
    if (!Number.isNaN(t.value) || this.symbols.has(t.text) || this.isRegister(t) || RESERVED_NAMES.has(t.text)) {
      v = this.known(t, `a ${bits}-bit address`, true);
    } else {
      if (t.text.startsWith('OCTO_') || t.quoted) this.fail(`'${t.text}' cannot be a label`, t);
      this.fixups.push({ address: patchAt, kind, token: t });
      return 0;
    }
    const max = bits === 12 ? 0xfff : 0xffff;
    if (!(v >= 0 && v <= max)) this.fail(`value ${v < 0 ? v : hex(v)} does not fit in ${bits} bits`, t);
    return v & max;
  }

  // ---- the end ----

  finish(): AssembledRom {
    const open = this.control[this.control.length - 1];
    if (open !== undefined) {
      if (open.kind === 'loop') this.fail("this 'loop' has no matching 'again'", open.token);
      this.fail(`this '${open.kind === 'begin' ? 'if ... begin' : 'else'}' has no matching 'end'`, open.token);
    }
    for (const f of this.fixups) this.resolve(f);
    if (this.mainSlot) {
      const main = this.symbols.get('main');
      if (main === undefined) this.fail("the program has no ': main' label (execution starts at main)", this.last);
      if (main.value > 0xfff) this.fail(`main at ${hex(main.value)} is beyond the 12-bit range of the start jump`, this.last);
      this.patchJump(PROGRAM_START, main.value, this.last as Token);
    }
    const labels = new Map<string, number>();
    for (const name of this.labelNames) labels.set(name, (this.symbols.get(name) as SymbolEntry).value);
    return { rom: this.memory.slice(PROGRAM_START, this.top), labels };
  }

  private resolve(f: Fixup): void {
    const s = this.symbols.get(f.token.text);
    if (s === undefined) this.fail(`unknown label '${f.token.text}'`, f.token);
    const target = s.value;
    const a = f.address;
    const m = this.memory;
    if (f.kind === 'long' || f.kind === 'unpack-long') {
      if (!(target >= 0 && target <= 0xffff)) this.fail(`'${f.token.text}' (${target}) does not fit in 16 bits`, f.token);
      const hiAt = f.kind === 'long' ? a : a + 1;
      const loAt = f.kind === 'long' ? a + 1 : a + 3;
      m[hiAt] = target >> 8;
      m[loAt] = target & 0xff;
      return;
    }
    if (!(target >= 0 && target <= 0xfff)) this.fail(`'${f.token.text}' is at ${hex(target)}, which does not fit in 12 bits`, f.token);
    if (f.kind === 'unpack') {
      m[a + 1] = (m[a + 1] & 0xf0) | (target >> 8);
      m[a + 3] = target & 0xff;
    } else {
      m[a] = (m[a] & 0xf0) | (target >> 8);
      m[a + 1] = target & 0xff;
    }
  }
}
