import { InvalidInputError } from '../../../core/index.ts';

/** Where a token starts in the source: 1-based line and column. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/**
 * A program the assembler cannot assemble. The message reads `file:line:col: what went wrong (near 'token')`
 * (without `file:` when no file name was given).
 */
export class AsmError extends InvalidInputError {
  readonly line: number;
  readonly column: number;
  readonly file?: string;

  constructor(problem: string, at: SourcePosition, near: string | undefined, file?: string) {
    const where = `${file === undefined ? '' : `${file}:`}${at.line}:${at.column}`;
    super(`${where}: ${problem}${near === undefined ? '' : ` (near '${near}')`}`);
    this.line = at.line;
    this.column = at.column;
    if (file !== undefined) this.file = file;
  }
}
