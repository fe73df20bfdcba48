/**
 * The CHIP-8 assembler: a documented subset of Octo's syntax (see ./README.md). `assemble(source)` gives the ROM
 * (to load at 0x200) and the label addresses; a bad program is an `AsmError` naming file, line and column.
 */
import { InvalidInputError } from '../../../core/index.ts';
import { Assembler, type AssembledRom } from './assembler.ts';
import { newMacroTable } from './macros.ts';
import { statement } from './statements.ts';

export { AsmError } from './errors.ts';
export type { AssembledRom } from './assembler.ts';

/** Assembles Octo source; `file` only names the source in error messages. */
export function assemble(source: string, opts: { file?: string } = {}): AssembledRom {
  if (typeof source !== 'string') throw new InvalidInputError(`assemble: source must be a string, received ${typeof source}`);
  const asm = new Assembler(source, opts.file);
  const macros = newMacroTable();
  while (!asm.end()) statement(asm, macros, asm.next());
  return asm.finish();
}
