import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that `target` holds either its old content or the complete new one, never a part:
 * `write(fd)` fills `<target>.tmp-<pid>-<random>` in the same folder, which is fsynced, closed and renamed onto
 * `target`; then the folder is fsynced so the rename itself survives a crash. The parent folder is created if
 * missing. On any error the temporary file is removed and the error rethrown; `target` is untouched.
 */
export function writeFileAtomicSync(target: string, write: (fd: number) => void): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Not Math.random: the name needs uniqueness, not reproducibility, and must not disturb seeded streams.
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  let fd: number | undefined = fs.openSync(tmp, 'wx');
  try {
    write(fd);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed or unusable; the unlink below is what matters
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already renamed or gone
    }
    throw err;
  }
  fsyncDirectory(path.dirname(target));
}

/** Writes all of `bytes` at the current position (in chunks: one write call is limited to 2 GiB). */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  const chunk = 1 << 26;
  for (let pos = 0; pos < bytes.length; ) {
    const n = fs.writeSync(fd, bytes, pos, Math.min(chunk, bytes.length - pos));
    pos += n;
  }
}

/** Best effort: not every platform (Windows) can open and fsync a folder. */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // the rename is done; durability of the folder entry is all that is lost
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
