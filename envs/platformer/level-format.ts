import { AsciiMapError, mapFailer, mapLines, showChar } from '../../core/index.ts';

/**
 * The characters of a platformer level (one character per tile, one line per row, top row first):
 *
 * | char | tile            | meaning                                                                              |
 * |------|-----------------|--------------------------------------------------------------------------------------|
 * | `.`  | air             | empty                                                                                |
 * | `#`  | solid block     | ground, walls, bricks: nothing passes through it                                     |
 * | `=`  | one-way platform| stand on it from above; jump up through it from below and walk through it sideways   |
 * | `P`  | player start    | air where every episode begins; **exactly one** per level                            |
 * | `F`  | goal flag       | touching it completes the level; **at least one** per level                          |
 * | `o`  | coin            | picked up on touch (`coinReward`)                                                    |
 * | `S`  | shield          | power-up, picked up on touch: absorbs the next monster hit                           |
 * | `J`  | double jump     | power-up, picked up on touch: one more jump in mid-air, for the rest of the episode   |
 * | `w`  | walker          | monster (spawns in this air cell): patrols left and right, turns at walls and ledges |
 * | `j`  | jumper          | monster: hops in place at regular intervals                                          |
 * | `f`  | flyer           | monster: flies left and right ignoring gravity, at most 3 tiles from where it spawned |
 *
 * Rows must all have the same length. Left and right of the level are walls; above it is open air; falling below
 * its bottom row is death (a pit is a column without ground). Blank lines before the first row and after the last
 * are ignored and `\r` at line ends is dropped; anything else, spaces included, is an error.
 */
export const PLATFORMER_LEGEND: Readonly<Record<string, string>> = Object.freeze({
  '.': 'air',
  '#': 'solid block',
  '=': 'one-way platform',
  P: 'player start',
  F: 'goal flag',
  o: 'coin',
  S: 'shield',
  J: 'double jump',
  w: 'walker',
  j: 'jumper',
  f: 'flyer',
});

/**
 * Tile codes in the env's `Uint8Array` of tiles. Pickups (touched, then gone: coin, shield, double jump) and the flag
 * come first so that "can be touched" is `1 <= t <= Tile.Flag`; monsters and the start are not tiles (air).
 */
export const Tile = Object.freeze({
  Air: 0,
  Coin: 1,
  Shield: 2,
  DoubleJump: 3,
  Flag: 4,
  Platform: 5,
  Solid: 6,
} as const);
export type Tile = (typeof Tile)[keyof typeof Tile];

/** The monster kinds, in the order of their codes (0, 1, 2). */
export const MONSTER_KINDS = Object.freeze(['walker', 'jumper', 'flyer'] as const);
export type MonsterKind = (typeof MONSTER_KINDS)[number];

const CHAR_TILE: Readonly<Record<string, Tile>> = {
  '.': Tile.Air,
  '#': Tile.Solid,
  '=': Tile.Platform,
  P: Tile.Air,
  F: Tile.Flag,
  o: Tile.Coin,
  S: Tile.Shield,
  J: Tile.DoubleJump,
  w: Tile.Air,
  j: Tile.Air,
  f: Tile.Air,
};
const CHAR_MONSTER: Readonly<Record<string, MonsterKind>> = { w: 'walker', j: 'jumper', f: 'flyer' };

/** The largest level accepted, in tiles (positions are fixed-point integers; this keeps them far from 2^31). */
export const MAX_LEVEL_WIDTH = 4096;
export const MAX_LEVEL_HEIGHT = 256;

/** A monster's spawn cell. */
export interface MonsterSpawn {
  readonly kind: MonsterKind;
  readonly x: number;
  readonly y: number;
}

/**
 * A parsed, validated level: plain JSON-serialisable data (`Platformer` accepts it as its `level` option).
 * Coordinates are tiles: `x` = column from the left, `y` = row from the top, both 0-based.
 */
export interface PlatformerLevel {
  readonly width: number;
  readonly height: number;
  /** The rows, top first, exactly as written (legend characters only). */
  readonly rows: readonly string[];
  /** Where the `P` is. */
  readonly start: { readonly x: number; readonly y: number };
  /** The first flag in column-major order (leftmost, then topmost): where the observation's flag offset points. */
  readonly flag: { readonly x: number; readonly y: number };
  /** Number of `F` tiles. */
  readonly flags: number;
  readonly coins: number;
  /** Number of `S` and `J` tiles. */
  readonly powerUps: number;
  /** The monsters, in reading order. */
  readonly monsters: readonly MonsterSpawn[];
}

/** A malformed level. `line` and `column` (1-based, in the text given) are set when the fault has a place. */
export class LevelFormatError extends AsciiMapError {}

const LEGEND_HINT = `legend: ${Object.keys(PLATFORMER_LEGEND).join(' ')}`;

/**
 * Parses an ASCII level (see {@link PLATFORMER_LEGEND}). `source` names the level in error messages (a file path).
 * Throws {@link LevelFormatError} (an `InvalidInputError`) whose message names the line and column (1-based) and
 * the reason: an unknown character, a row of the wrong length, a second player start; or, for the whole level, no
 * player start, no flag, no rows at all, a level too large.
 */
export function parseLevel(text: string, source = 'platformer level'): PlatformerLevel {
  const fail = mapFailer(source, (message, reason, line, column) => new LevelFormatError(message, reason, line, column));
  const { lines, first, last } = mapLines(text, 'level', fail);

  const width = lines[first].length;
  if (width > MAX_LEVEL_WIDTH) fail(`a row of ${width} characters; levels are at most ${MAX_LEVEL_WIDTH} wide`, first + 1, MAX_LEVEL_WIDTH + 1);
  if (last - first + 1 > MAX_LEVEL_HEIGHT) fail(`${last - first + 1} rows; levels are at most ${MAX_LEVEL_HEIGHT} high`, first + MAX_LEVEL_HEIGHT + 1);
  const rows: string[] = [];
  const monsters: MonsterSpawn[] = [];
  let start: { x: number; y: number } | undefined;
  let startLine = 0;
  let flags = 0;
  let flag: { x: number; y: number } | undefined;
  let coins = 0;
  let powerUps = 0;
  for (let i = first; i <= last; i++) {
    const row = lines[i];
    const line = i + 1;
    const y = i - first;
    for (let x = 0; x < row.length && x < width; x++) {
      const code = row.charCodeAt(x);
      if (code === 46 || code === 35) continue; // '.' and '#', most of a level
      const c = row[x];
      if (!Object.hasOwn(CHAR_TILE, c)) {
        const hint = c === ' ' ? "spaces are not allowed, use '.' for air" : LEGEND_HINT;
        fail(`unknown character ${showChar(c)} (${hint})`, line, x + 1);
      }
      switch (c) {
        case 'P':
          if (start !== undefined) fail(`a second player start 'P' (the first is at line ${startLine}, column ${start.x + 1}); a level needs exactly one`, line, x + 1);
          start = { x, y };
          startLine = line;
          break;
        case 'F':
          flags++;
          if (flag === undefined || x < flag.x || (x === flag.x && y < flag.y)) flag = { x, y };
          break;
        case 'o':
          coins++;
          break;
        case 'S':
        case 'J':
          powerUps++;
          break;
        case 'w':
        case 'j':
        case 'f':
          monsters.push(Object.freeze({ kind: CHAR_MONSTER[c], x, y }));
          break;
      }
    }
    if (row.length !== width) {
      const what = row.length === 0 ? 'an empty row' : `a row of ${row.length} characters`;
      fail(`${what}, but the first row (line ${first + 1}) has ${width}: rows must all have the same length`, line, Math.min(row.length, width) + 1);
    }
    rows.push(row);
  }
  if (start === undefined) fail("no player start 'P'; a level needs exactly one");
  if (flag === undefined) fail("no goal flag 'F'; a level needs at least one");
  return Object.freeze({
    width,
    height: rows.length,
    rows: Object.freeze(rows),
    start: Object.freeze(start as { x: number; y: number }),
    flag: Object.freeze(flag as { x: number; y: number }),
    flags,
    coins,
    powerUps,
    monsters: Object.freeze(monsters),
  });
}

/** The tile codes of a parsed level, row-major (`y * width + x`). */
export function levelTiles(level: PlatformerLevel): Uint8Array {
  const tiles = new Uint8Array(level.width * level.height);
  for (let y = 0; y < level.height; y++) {
    const row = level.rows[y];
    const o = y * level.width;
    for (let x = 0; x < level.width; x++) tiles[o + x] = CODE_TILE[row.charCodeAt(x) & 127];
  }
  return tiles;
}

/** Tile code by character code (legend characters only; parsed levels hold nothing else). */
const CODE_TILE = new Uint8Array(128);
for (const [c, t] of Object.entries(CHAR_TILE)) CODE_TILE[c.charCodeAt(0)] = t;

/** The character a tile code is written as (air for the start and monster cells). */
export const TILE_CHARS: readonly string[] = Object.freeze(['.', 'o', 'S', 'J', 'F', '=', '#']);
