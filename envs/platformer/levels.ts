import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidInputError } from '../../core/index.ts';
import { parseLevel, type PlatformerLevel } from './level-format.ts';

/** Number of shipped levels: `levels/level-1.txt` ... `levels/level-5.txt`, in rising difficulty. */
export const LEVEL_COUNT = 5;

/**
 * Reads and parses a level file (UTF-8 text, legend in `PLATFORMER_LEGEND`). Parse errors name the file, line and
 * column; a file that cannot be read throws `InvalidInputError` naming the path and the system's reason. Node only
 * (uses `node:fs`); in a browser, fetch the text and call `parseLevel`.
 */
export function loadLevelFile(path: string | URL): PlatformerLevel {
  const name = typeof path === 'string' ? path : fileURLToPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidInputError(`cannot read platformer level file ${name}: ${why}`);
  }
  return parseLevel(text, name);
}

const cache = new Map<number, { text: string; level: PlatformerLevel }>();

function shipped(n: number): { text: string; level: PlatformerLevel } {
  if (!Number.isInteger(n) || n < 1 || n > LEVEL_COUNT) {
    throw new InvalidInputError(`platformer: shipped levels are numbered 1 to ${LEVEL_COUNT}, received ${JSON.stringify(n)}`);
  }
  let hit = cache.get(n);
  if (hit === undefined) {
    const url = new URL(`./levels/level-${n}.txt`, import.meta.url);
    const level = loadLevelFile(url);
    hit = { text: level.rows.join('\n'), level };
    cache.set(n, hit);
  }
  return hit;
}

/** Shipped level `n` (1-based), parsed; read from its file once, then cached. */
export function shippedLevel(n: number): PlatformerLevel {
  return shipped(n).level;
}

/** The ASCII rows of shipped level `n`, joined by newlines (what its registration's `level` kwarg holds). */
export function shippedLevelText(n: number): string {
  return shipped(n).text;
}
