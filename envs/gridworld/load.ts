import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../core/index.ts';
import { parseGridMap, type GridMap } from './map.ts';

/**
 * Reads and parses a grid map file (UTF-8 text, legend in {@link parseGridMap}). Parse errors name the file, line
 * and column; a file that cannot be read throws `InvalidInputError` naming the path and the system's reason.
 * Node only (uses `node:fs`); in a browser, fetch the text and call `parseGridMap`.
 */
export function loadGridMap(path: string): GridMap {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InvalidInputError(`cannot read grid map file ${path}: ${why}`);
  }
  return parseGridMap(text, path);
}
