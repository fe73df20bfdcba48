import type { Assembler, ControlFrame } from './assembler.ts';
import { evaluateBraced } from './calc.ts';
import { condition } from './conditions.ts';
import type { Token } from './lexer.ts';
import { defineMacro, defineStringMode, expandMacro, expandStringMode, type MacroTable } from './macros.ts';

/** Opcodes that take no operand. */
const PLAIN: Readonly<Record<string, number>> = {
  return: 0x00ee, ';': 0x00ee, clear: 0x00e0, 'scroll-right': 0x00fb, 'scroll-left': 0x00fc, exit: 0x00fd,
  lores: 0x00fe, hires: 0x00ff, audio: 0xf002,
};

/** `FXnn` opcodes that take one register: `word vX`. */
const ONE_REGISTER: Readonly<Record<string, number>> = { bcd: 0x33, saveflags: 0x75, loadflags: 0x85 };

/** `timer := vX` assignments. */
const TIMER_SET: Readonly<Record<string, number>> = { delay: 0x15, buzzer: 0x18, pitch: 0x3a };

/** `vX op vY` register-register operations: the low nibble of `8XYn`. */
const REGISTER_OPS: Readonly<Record<string, number>> = { '|=': 0x1, '&=': 0x2, '^=': 0x3, '=-': 0x7, '>>=': 0x6, '<<=': 0xe };

/** Assembles one statement whose first token `t` has been read (a number at the top level is a data byte). */
export function statement(asm: Assembler, macros: MacroTable, t: Token): void {
  if (!Number.isNaN(t.value)) {
    if (!(t.value >= -128 && t.value <= 255)) asm.fail(`data byte ${t.value} does not fit in a byte (-128..255)`, t);
    asm.emit(t.value, t);
    return;
  }
  const word = t.quoted ? '' : t.text;
  const plain = PLAIN[word];
  if (plain !== undefined) return asm.inst(plain >> 8, plain & 0xff, t);
  const one = ONE_REGISTER[word];
  if (one !== undefined) return asm.inst(0xf0 | asm.register(), one, t);
  const timer = TIMER_SET[word];
  if (timer !== undefined) {
    asm.expect(':=', `after '${word}' (${word} := vX)`);
    return asm.inst(0xf0 | asm.register(), timer, t);
  }
  switch (word) {
    case ':': return asm.defineLabel(0);
    case ':next': return asm.defineLabel(1);
    case ':const': {
      const name = asm.newName('constant');
      return asm.defineConstant(name, asm.constantValue(), 'const');
    }
    case ':calc': {
      const name = asm.newName('constant');
      return asm.defineConstant(name, evaluateBraced(asm, `'${name.text}'`), 'calc');
    }
    case ':alias': {
      const name = asm.newName('alias');
      const at = asm.peek();
      const r = asm.peekIs('{') ? evaluateBraced(asm, `alias '${name.text}'`) : asm.register();
      return asm.defineAlias(name, r, at ?? name);
    }
    case ':unpack': return unpack(asm, t);
    case ':byte': {
      const v = asm.peekIs('{') ? evaluateBraced(asm, ':byte') : asm.byteValue();
      return asm.emit(v, t);
    }
    case ':pointer': {
      const v = asm.peekIs('{') ? evaluateBraced(asm, ':pointer') & 0xffff : asm.addressValue(asm.here, 'long');
      return asm.inst(v >> 8, v & 0xff, t);
    }
    case ':org': {
      const at = asm.peek();
      const v = asm.peekIs('{') ? evaluateBraced(asm, ':org') : asm.constantValue();
      return asm.org(v & 0xffff, at ?? t);
    }
    case ':call': {
      const v = asm.peekIs('{') ? evaluateBraced(asm, ':call') & 0xfff : asm.addressValue(asm.here, 'nnn');
      return immediate(asm, 0x20, v, t);
    }
    case ':assert': {
      const message = asm.peekIs('{') ? undefined : asm.next().text;
      if (!evaluateBraced(asm, 'the assertion')) asm.fail(message === undefined ? 'assertion failed' : `assertion failed: ${message}`, t);
      return;
    }
    case ':breakpoint':
    case ':proto':
      asm.next(); // debugger-only (and deprecated) directives: no code
      return;
    case ':monitor':
      asm.next();
      asm.next();
      return;
    case ':macro': return defineMacro(asm, macros);
    case ':stringmode': return defineStringMode(asm, macros);
    case 'jump': return immediate(asm, 0x10, asm.addressValue(asm.here, 'nnn'), t);
    case 'jump0': return immediate(asm, 0xb0, asm.addressValue(asm.here, 'nnn'), t);
    case 'native': return immediate(asm, 0x00, asm.addressValue(asm.here, 'nnn'), t);
    case 'sprite': {
      const x = asm.register();
      const y = asm.register();
      return asm.inst(0xd0 | x, (y << 4) | asm.nibbleValue(), t);
    }
    case 'save':
    case 'load': return saveLoad(asm, word, t);
    case 'scroll-down': return asm.inst(0x00, 0xc0 | asm.nibbleValue(), t);
    case 'scroll-up': return asm.inst(0x00, 0xd0 | asm.nibbleValue(), t);
    case 'plane': {
      const at = asm.peek();
      const n = asm.nibbleValue();
      if (n > 3) asm.fail(`the plane mask must be 0..3, got ${n}`, at);
      return asm.inst(0xf0 | n, 0x01, t);
    }
    case 'i': return assignI(asm, t);
    case 'if': return ifStatement(asm, t);
    case 'else': return elseStatement(asm, t);
    case 'end': return endStatement(asm, t);
    case 'loop':
      asm.control.push({ kind: 'loop', address: asm.here, token: t, whiles: [] });
      return;
    case 'while': return whileStatement(asm, t);
    case 'again': return againStatement(asm, t);
  }
  if (asm.isRegister(t)) return assignRegister(asm, asm.register(t), t);
  if (macros.macros.has(word)) return expandMacro(asm, macros, t);
  if (macros.stringModes.has(word)) return expandStringMode(asm, macros, t);
  if (t.quoted) asm.fail('a string is only data for a :stringmode', t);
  if (word.startsWith(':')) asm.fail(`unknown directive '${word}'`, t);
  if (word === 'then' || word === 'begin' || word === 'key' || word === 'hex' || word === 'long' || word === '{' || word === '}') {
    asm.fail(`'${word}' is out of place here`, t);
  }
  // A bare name calls the subroutine at that label.
  immediate(asm, 0x20, asm.addressValue(asm.here, 'nnn', t), t);
}

/** An `Onnn` instruction: opcode nibble `op` (as 0xO0) with a 12-bit address. */
function immediate(asm: Assembler, op: number, address: number, t: Token): void {
  asm.inst(op | (address >> 8), address & 0xff, t);
}

function unpack(asm: Assembler, t: Token): void {
  const hiRegister = asm.registerOf('unpack-hi');
  const loRegister = asm.registerOf('unpack-lo');
  let address: number;
  if (asm.peekIs('long')) {
    asm.next();
    address = asm.addressValue(asm.here, 'unpack-long');
  } else {
    const nibble = asm.nibbleValue();
    address = (nibble << 12) | asm.addressValue(asm.here, 'unpack');
  }
  asm.inst(0x60 | hiRegister, address >> 8, t);
  asm.inst(0x60 | loRegister, address & 0xff, t);
}

function saveLoad(asm: Assembler, word: 'save' | 'load' | string, t: Token): void {
  const x = asm.register();
  if (asm.peekIs('-')) {
    asm.next();
    return asm.inst(0x50 | x, (asm.register() << 4) | (word === 'save' ? 0x2 : 0x3), t);
  }
  asm.inst(0xf0 | x, word === 'save' ? 0x55 : 0x65, t);
}

function assignI(asm: Assembler, t: Token): void {
  const op = asm.next();
  if (op.text === '+=' && !op.quoted) return asm.inst(0xf0 | asm.register(), 0x1e, t);
  if (op.text !== ':=' || op.quoted) asm.fail(`'${op.text}' cannot assign to i (use i := or i +=)`, op);
  if (asm.peekIs('hex')) {
    asm.next();
    return asm.inst(0xf0 | asm.register(), 0x29, t);
  }
  if (asm.peekIs('bighex')) {
    asm.next();
    return asm.inst(0xf0 | asm.register(), 0x30, t);
  }
  if (asm.peekIs('long')) {
    asm.next();
    const address = asm.addressValue(asm.here + 2, 'long');
    asm.inst(0xf0, 0x00, t);
    return asm.inst(address >> 8, address & 0xff, t);
  }
  immediate(asm, 0xa0, asm.addressValue(asm.here, 'nnn'), t);
}

function assignRegister(asm: Assembler, x: number, t: Token): void {
  const op = asm.next();
  const name = op.quoted ? '' : op.text;
  if (name === ':=') {
    const source = asm.next();
    if (asm.isRegister(source)) return asm.inst(0x80 | x, asm.register(source) << 4, t);
    if (!source.quoted && source.text === 'random') return asm.inst(0xc0 | x, asm.byteValue(), t);
    if (!source.quoted && source.text === 'key') return asm.inst(0xf0 | x, 0x0a, t);
    if (!source.quoted && source.text === 'delay') return asm.inst(0xf0 | x, 0x07, t);
    return asm.inst(0x60 | x, asm.byteValue(source), t);
  }
  if (name === '+=' || name === '-=') {
    const source = asm.next();
    if (asm.isRegister(source)) return asm.inst(0x80 | x, (asm.register(source) << 4) | (name === '+=' ? 0x4 : 0x5), t);
    const n = asm.byteValue(source);
    return asm.inst(0x70 | x, name === '+=' ? n : -n & 0xff, t);
  }
  const code = REGISTER_OPS[name];
  if (code === undefined) asm.fail(`unknown operator '${op.text}' after a register (:= += -= =- |= &= ^= >>= <<=)`, op);
  const source = asm.next();
  if (!asm.isRegister(source)) {
    asm.fail(`'${name}' takes a register on the right (CHIP-8 has no immediate form), found '${source.text}'`, source);
  }
  asm.inst(0x80 | x, (asm.register(source) << 4) | code, t);
}

/** Looks past the condition (2 or 3 tokens) for `then` or `begin`, as Octo does. */
function ifStatement(asm: Assembler, t: Token): void {
  const op = asm.peek(1);
  const unary = op !== undefined && (op.text === 'key' || op.text === '-key');
  const control = asm.peek(unary ? 2 : 3);
  if (control?.text === 'then') {
    condition(asm, false);
    asm.expect('then', 'after the condition');
    return;
  }
  if (control?.text === 'begin') {
    condition(asm, true);
    asm.expect('begin', 'after the condition');
    asm.control.push({ kind: 'begin', address: asm.here, token: t });
    asm.inst(0x00, 0x00, t); // the jump to else/end, patched there
    return;
  }
  asm.fail("expected 'then' or 'begin' after the condition of this 'if'", control ?? t);
}

function elseStatement(asm: Assembler, t: Token): void {
  const open = asm.control.pop();
  if (open === undefined || open.kind !== 'begin') {
    asm.fail(open === undefined ? "this 'else' has no matching 'if ... begin'" : `this 'else' cannot follow the '${open.token.text}' at line ${open.token.line}`, t);
  }
  asm.patchJump(open.address, asm.here + 2, t);
  asm.control.push({ kind: 'else', address: asm.here, token: t });
  asm.inst(0x00, 0x00, t); // the jump over the else branch, patched at end
}

function endStatement(asm: Assembler, t: Token): void {
  const open = asm.control.pop();
  if (open === undefined || open.kind === 'loop') {
    asm.fail(open === undefined ? "this 'end' has no matching 'if ... begin'" : `this 'end' is inside the 'loop' at line ${open.token.line}, which needs 'again' first`, t);
  }
  asm.patchJump(open.address, asm.here, t);
}

function whileStatement(asm: Assembler, t: Token): void {
  let loop: Extract<ControlFrame, { kind: 'loop' }> | undefined;
  for (let k = asm.control.length - 1; k >= 0 && loop === undefined; k--) {
    const frame = asm.control[k];
    if (frame.kind === 'loop') loop = frame;
  }
  if (loop === undefined) asm.fail("this 'while' is not inside a 'loop'", t);
  condition(asm, true);
  loop.whiles.push(asm.here);
  asm.inst(0x10, 0x00, t); // the jump out of the loop, patched at again
}

function againStatement(asm: Assembler, t: Token): void {
  const open = asm.control.pop();
  if (open === undefined || open.kind !== 'loop') {
    asm.fail(open === undefined ? "this 'again' has no matching 'loop'" : `this 'again' closes a 'loop', but the '${open.token.text}' at line ${open.token.line} needs 'end' first`, t);
  }
  if (open.address > 0xfff) asm.fail('the loop start does not fit in 12 bits', t);
  asm.inst(0x10 | (open.address >> 8), open.address & 0xff, t);
  for (const w of open.whiles) asm.patchJump(w, asm.here, t);
}
