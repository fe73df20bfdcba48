import { AsciiMapError, mapFailer, mapLines, showChar } from '../../core/index.ts';

/**
 * The characters of a grid map (one character per cell, one line per row):
 *
 * | char | tile        | effect when the agent steps onto it                                                     |
 * |------|-------------|------------------------------------------------------------------------------------------|
 * | `#`  | wall        | impassable: the agent stays where it was                                                 |
 * | `.`  | floor       | nothing (`stepReward`)                                                                   |
 * | `S`  | start       | floor where every episode begins; exactly one per map                                    |
 * | `G`  | goal        | `goalReward`, episode terminates; at least one per map                                   |
 * | `L`  | lava        | `lavaReward`, episode terminates (MiniGrid lava)                                         |
 * | `H`  | hole        | `holeReward`, episode terminates (FrozenLake hole)                                       |
 * | `C`  | cliff       | `cliffReward`, agent sent back to the start, episode goes on (CliffWalking)              |
 * | `K`  | key         | the agent picks it up (the tile becomes floor); it keeps it for the rest of the episode  |
 * | `D`  | locked door | impassable without a key; with one, stepping in opens it (it becomes floor for good)     |
 * | `~`  | ice         | floor from which moves are slippery: intended direction w.p. 1/3, each perpendicular 1/3 |
 *
 * Rows must all have the same length. The map need not be enclosed by walls: outside the map counts as wall.
 * Blank lines before the first row and after the last are ignored (so template literals can start on a new line);
 * `\r` at line ends is dropped; anything else, spaces included, is an error.
 */
export const GRID_LEGEND: Readonly<Record<string, string>> = Object.freeze({
  '#': 'wall',
  '.': 'floor',
  S: 'start',
  G: 'goal',
  L: 'lava',
  H: 'hole',
  C: 'cliff',
  K: 'key',
  D: 'locked door',
  '~': 'ice',
});

/**
 * Tile codes in the env's `Uint8Array` of tiles. Walkable tiles without an effect come first so that the env's
 * hot path tests `tile > Tile.Ice` once.
 */
export const Tile = Object.freeze({
  Floor: 0,
  Ice: 1,
  Wall: 2,
  Goal: 3,
  Lava: 4,
  Hole: 5,
  Cliff: 6,
  Key: 7,
  Door: 8,
} as const);
export type Tile = (typeof Tile)[keyof typeof Tile];

const CHAR_TILE: Readonly<Record<string, Tile>> = {
  '#': Tile.Wall,
  '.': Tile.Floor,
  S: Tile.Floor,
  G: Tile.Goal,
  L: Tile.Lava,
  H: Tile.Hole,
  C: Tile.Cliff,
  K: Tile.Key,
  D: Tile.Door,
  '~': Tile.Ice,
};

/**
 * A parsed, validated grid map: plain JSON-serialisable data (`GridWorld` accepts it as its `map` option).
 * Coordinates are `x` = column from the left, `y` = row from the top, both 0-based.
 */
export interface GridMap {
  readonly width: number;
  readonly height: number;
  /** The rows, top first, exactly as written (legend characters only). */
  readonly rows: readonly string[];
  /** Where the `S` is. */
  readonly start: { readonly x: number; readonly y: number };
  /** Number of `G` cells. */
  readonly goals: number;
  readonly hasKeys: boolean;
  readonly hasDoors: boolean;
}

/** A malformed grid map. `line` and `column` (1-based, in the text given) are set when the fault has a place. */
export class GridMapError extends AsciiMapError {}

const LEGEND_HINT = `legend: ${Object.keys(GRID_LEGEND).join(' ')}`;

/**
 * Parses an ASCII grid map (see {@link GRID_LEGEND}). `source` names the map in error messages (a file path).
 * Throws {@link GridMapError} (an `InvalidInputError`) whose message names the line and column (1-based) and the
 * reason: an unknown character, a row of the wrong length, a second start; or, for the whole map, no start, no goal,
 * no rows at all.
 */
export function parseGridMap(text: string, source = 'grid map'): GridMap {
  const fail = mapFailer(source, (message, reason, line, column) => new GridMapError(message, reason, line, column));
  const { lines, first, last } = mapLines(text, 'map', fail);

  const width = lines[first].length;
  const rows: string[] = [];
  let start: { x: number; y: number } | undefined;
  let startLine = 0;
  let goals = 0;
  let hasKeys = false;
  let hasDoors = false;
  for (let i = first; i <= last; i++) {
    const row = lines[i];
    const line = i + 1;
    const y = i - first;
    for (let x = 0; x < row.length && x < width; x++) {
      const c = row[x];
      if (!(c in CHAR_TILE)) {
        const hint = c === ' ' ? "spaces are not allowed, use '.' for floor" : LEGEND_HINT;
        fail(`unknown character ${showChar(c)} (${hint})`, line, x + 1);
      }
      if (c === 'S') {
        if (start !== undefined) fail(`a second start 'S' (the first is at line ${startLine}, column ${start.x + 1}); a map needs exactly one`, line, x + 1);
        start = { x, y };
        startLine = line;
      } else if (c === 'G') goals++;
      else if (c === 'K') hasKeys = true;
      else if (c === 'D') hasDoors = true;
    }
    if (row.length !== width) {
      const what = row.length === 0 ? 'an empty row' : `a row of ${row.length} characters`;
      fail(`${what}, but the first row (line ${first + 1}) has ${width}: rows must all have the same length`, line, Math.min(row.length, width) + 1);
    }
    rows.push(row);
  }
  if (start === undefined) fail("no start 'S'; a map needs exactly one");
  if (goals === 0) fail("no goal 'G'; a map needs at least one");
  return Object.freeze({
    width,
    height: rows.length,
    rows: Object.freeze(rows),
    start: Object.freeze(start as { x: number; y: number }),
    goals,
    hasKeys,
    hasDoors,
  });
}

/** The tile codes of a parsed map, row-major (`y * width + x`). */
export function mapTiles(map: GridMap): Uint8Array {
  const tiles = new Uint8Array(map.width * map.height);
  for (let y = 0; y < map.height; y++) {
    const row = map.rows[y];
    for (let x = 0; x < map.width; x++) tiles[y * map.width + x] = CHAR_TILE[row[x]];
  }
  return tiles;
}
