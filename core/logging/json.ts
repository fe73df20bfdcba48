import { writeAllSync, writeFileAtomicSync } from '../checkpoint/atomic.ts';
import { assertJson } from '../checkpoint/json.ts';

/**
 * Writes `value` as pretty JSON (2-space indent, final newline) to `path` atomically (temporary file, fsync,
 * rename; the folder is created if missing), e.g. a run's resolved `config.json`. Throws `InvalidInputError`
 * naming the path inside `value` of anything JSON would not read back as written (NaN, a class instance, a cycle).
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  assertJson(value, '(root)', `writeJsonAtomic(${path})`);
  const bytes = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  writeFileAtomicSync(path, (fd) => writeAllSync(fd, bytes));
}
