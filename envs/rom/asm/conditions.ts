import type { Assembler } from './assembler.ts';
import type { Token } from './lexer.ts';

/** Each comparison with the comparison that is true exactly when it is false. */
const NEGATION: Readonly<Record<string, string>> = {
  '==': '!=', '!=': '==', key: '-key', '-key': 'key', '<': '>=', '>': '<=', '>=': '<', '<=': '>',
};

/**
 * Encodes a condition `vX op operand` as the instruction(s) that skip the next instruction when it is false
 * (`negated`: when it is true, as `if ... begin` and `while` need, so that the jump after them is taken).
 * `< > <= >=` are Octo's pseudo-ops: vF := operand, a subtraction into vF, then a skip on vF (3 instructions; vF is
 * clobbered).
 */
export function condition(asm: Assembler, negated: boolean): void {
  const x = asm.register();
  const opToken = asm.next();
  let op = opToken.text;
  if (opToken.quoted || NEGATION[op] === undefined) {
    asm.fail(`expected a comparison (== != key -key < > <= >=), found '${op}'`, opToken);
  }
  if (negated) op = NEGATION[op];
  const at = opToken;
  switch (op) {
    case '==':
    case '!=': {
      const operand = asm.next();
      if (asm.isRegister(operand)) asm.inst((op === '==' ? 0x90 : 0x50) | x, asm.register(operand) << 4, at);
      else asm.inst((op === '==' ? 0x40 : 0x30) | x, asm.byteValue(operand), at);
      return;
    }
    case 'key':
      asm.inst(0xe0 | x, 0xa1, at);
      return;
    case '-key':
      asm.inst(0xe0 | x, 0x9e, at);
      return;
    default:
      pseudoComparison(asm, x, op, at);
  }
}

function pseudoComparison(asm: Assembler, x: number, op: string, at: Token): void {
  const operand = asm.next();
  if (asm.isRegister(operand)) asm.inst(0x8f, asm.register(operand) << 4, at); // vF := vY
  else asm.inst(0x6f, asm.byteValue(operand), at); // vF := n
  // vF -= vX leaves vF = 1 when operand >= vX; vF =- vX leaves vF = 1 when vX >= operand.
  const subtract = op === '>' || op === '<=' ? 0x5 : 0x7;
  asm.inst(0x8f, (x << 4) | subtract, at);
  // `>` and `<` skip unless vF is set; `>=` and `<=` skip when it is set.
  asm.inst(op === '>' || op === '<' ? 0x4f : 0x3f, 0x00, at);
}
