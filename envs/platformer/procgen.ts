import { InvalidInputError, Rng } from '../../core/index.ts';
import { parseLevel, type PlatformerLevel } from './level-format.ts';

/**
 * Procedural levels, seeded as in Procgen (Cobbe et al. 2020): one seed, one level, so that training on some
 * seeds and evaluating on others measures generalisation. Seeds are split in two disjoint ranges:
 * - train: [0, 2^31)
 * - test: [2^31, 2^32)
 */
export type ProcgenSplit = 'train' | 'test';
export const PROCGEN_SEED_RANGES: Readonly<Record<ProcgenSplit, readonly [number, number]>> = Object.freeze({
  train: Object.freeze([0, 2 ** 31] as const),
  test: Object.freeze([2 ** 31, 2 ** 32] as const),
});

/** The seed of the `index`-th level (0-based, < 2^31) of a split. */
export function procgenSeed(split: ProcgenSplit, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** 31) throw new RangeError(`procgenSeed: index must be an integer in [0, 2^31), received ${index}`);
  return PROCGEN_SEED_RANGES[split][0] + index;
}

/** The split a seed belongs to. */
export function procgenSplitOf(seed: number): ProcgenSplit {
  return seed < 2 ** 31 ? 'train' : 'test';
}

export const PROCGEN_DEFAULTS = Object.freeze({
  difficulty: 0.5,
  width: 80,
  minWidth: 30,
  maxWidth: 1024,
});

/** Tiles in a flag pole, here and in the shipped levels: taller than a jump, so the flag cannot be jumped over. */
const FLAG_POLE = 6;

/** Height of every generated level, in tiles. */
export const PROCGEN_HEIGHT = 14;

/**
 * The construction rules that make every generated level completable (ignoring monsters, which can always be
 * waited out, jumped or stomped), with margin under what the physics allows (test/platformer.test.ts checks the
 * physics clears each of them):
 * - `maxRise[g]`: the most rows the ground may rise across a pit `g` columns wide (g = 0: a step with no pit).
 *   The player's held jump rises 3.4 tiles and spans about 5.5 at top speed.
 * - `maxGap`: the widest pit (difficulty >= 0.5; 2 below).
 * - Ground tops lie in rows [`minGround`, `maxGround`] (row 13 is the bottom); nothing solid ever lies above the
 *   ground, so no jump is cut short by a ceiling; one-way platforms are passable from below.
 * - Bridges: a pit of 4-7 columns with a one-way platform 1 row above the ground in its middle, at most 2 columns
 *   from either side.
 * - Flyers patrol over flat ground at least 10 columns long, 3 rows up: the player walks under them.
 * - Walkers and jumpers stand on flat ground at least 5 (4 for jumpers) columns long, none within 12 columns of
 *   the start.
 */
export const PROCGEN_RULES = Object.freeze({
  maxRise: Object.freeze([2, 2, 1, 0]),
  maxGap: 3,
  minGround: 6,
  maxGround: 12,
  startColumn: 2,
  monsterFreeColumns: 12,
});

export interface ProcgenOptions {
  /** In [0, 1], default 0.5: more and wider pits, more monsters (jumpers from 0.25, flyers from 0.5), bridges
   * from 0.35. */
  difficulty?: number;
  /** Level width in tiles, in [30, 1024]; default 80. */
  width?: number;
}

/**
 * Generates the level of a seed (an integer in [0, 2^32)): 14 rows high, `width` wide, the player near the left
 * end and the flag near the right. The same seed and options give the same level. Built left to right from flat
 * runs (with coins, power-ups, monsters, optional one-way platforms above), pits, steps up and down, and
 * platform bridges over wide pits, following {@link PROCGEN_RULES}. Returns the parsed level.
 */
export function generateLevel(seed: number, opts: ProcgenOptions = {}): PlatformerLevel {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new InvalidInputError(`generateLevel: seed must be an integer in [0, 2^32), received ${seed}`);
  const d = opts.difficulty ?? PROCGEN_DEFAULTS.difficulty;
  if (typeof d !== 'number' || !(d >= 0 && d <= 1)) throw new InvalidInputError(`generateLevel: difficulty must be in [0, 1], received ${d}`);
  const width = opts.width ?? PROCGEN_DEFAULTS.width;
  if (!Number.isInteger(width) || width < PROCGEN_DEFAULTS.minWidth || width > PROCGEN_DEFAULTS.maxWidth) {
    throw new InvalidInputError(`generateLevel: width must be an integer in [${PROCGEN_DEFAULTS.minWidth}, ${PROCGEN_DEFAULTS.maxWidth}], received ${width}`);
  }
  const rng = new Rng(seed);
  const H = PROCGEN_HEIGHT;
  const R = PROCGEN_RULES;
  const grid: string[][] = [];
  for (let y = 0; y < H; y++) grid.push(new Array<string>(width).fill('.'));
  const set = (x: number, y: number, c: string): void => {
    if (x >= 0 && x < width && y >= 0 && y < H) grid[y][x] = c;
  };
  const int = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  const chance = (p: number): boolean => rng.random() < p;
  const column = (x: number, g: number): void => {
    for (let y = g; y < H; y++) set(x, y, '#');
  };

  const END = 8;
  const last = width - END;
  let g = 11;
  let x = 0;
  // Start: 8 flat columns.
  for (; x < 8; x++) column(x, g);
  set(R.startColumn, g - 1, 'P');
  let mustLand = false;

  /** A flat run of `len` columns at height `g`, decorated. */
  const flat = (len: number): void => {
    const x0 = x;
    for (let i = 0; i < len; i++) column(x0 + i, g);
    x = x0 + len;
    const safe = x0 >= R.monsterFreeColumns;
    let flyer = false;
    if (safe && len >= 10 && d >= 0.5 && chance(0.5 * d)) {
      set(x0 + 6, g - 3, 'f');
      flyer = true;
    } else if (safe && len >= 5 && chance(0.25 + 0.5 * d)) {
      const kind = d >= 0.25 && chance(0.4) ? 'j' : 'w';
      set(x0 + Math.floor(len / 2), g - 1, kind);
      if (len >= 8 && d >= 0.6 && chance(d - 0.4)) set(x0 + len - 2, g - 1, 'w');
    }
    if (!flyer && len >= 5 && chance(0.2)) {
      // An optional one-way platform 3 rows up with coins on it.
      const plen = int(3, Math.min(5, len - 2));
      const px = x0 + 1;
      for (let i = 0; i < plen; i++) {
        set(px + i, g - 3, '=');
        set(px + i, g - 4, 'o');
      }
    } else if (chance(0.35)) {
      const row = chance(0.5) ? g - 1 : g - 3;
      const n = int(2, Math.min(4, len));
      const cx = x0 + int(0, len - n);
      for (let i = 0; i < n; i++) if (grid[row][cx + i] === '.') set(cx + i, row, 'o');
    }
    if (len >= 3 && x0 >= 8 && chance(0.08)) {
      const px = x0 + int(0, len - 1);
      if (grid[g - 1][px] === '.') set(px, g - 1, chance(0.65) ? 'S' : 'J');
    }
  };

  while (x < last) {
    const room = last - x;
    if (mustLand || room < 4) {
      flat(Math.min(room, int(3, 6)));
      mustLand = false;
      continue;
    }
    const wFlat = 3;
    const wGap = 2 + 3 * d;
    const wStep = 1.5;
    const wBridge = d >= 0.35 && room >= 10 ? 1 + d : 0;
    const wLong = d >= 0.5 && room >= 14 ? 1 : 0;
    let r = rng.random() * (wFlat + wGap + wStep + wBridge + wLong);
    if ((r -= wFlat) < 0) {
      flat(Math.min(room, int(3, 8)));
    } else if ((r -= wGap) < 0) {
      const maxGap = d >= 0.5 ? R.maxGap : 2;
      const gap = int(1, maxGap);
      const rise = int(Math.max(-3, g - R.maxGround), Math.min(R.maxRise[gap], g - R.minGround));
      x += gap;
      if (chance(0.5)) set(x - 1 - Math.floor(gap / 2), Math.min(g, g - rise) - 3, 'o');
      g -= rise;
      mustLand = true;
    } else if ((r -= wStep) < 0) {
      const rise = int(Math.max(-3, g - R.maxGround), Math.min(R.maxRise[0], g - R.minGround));
      g -= rise === 0 ? (g > R.minGround ? 1 : -1) : rise;
      flat(Math.min(room, int(3, 6)));
    } else if ((r -= wBridge) < 0) {
      if (g - 1 < R.minGround) {
        g++;
        flat(3);
        continue;
      }
      const a = int(1, 2);
      const b = int(2, 3);
      const c = int(1, 2);
      x += a;
      for (let i = 0; i < b; i++) {
        set(x + i, g - 1, '=');
        if (chance(0.5)) set(x + i, g - 2, 'o');
      }
      x += b + c;
      mustLand = true;
    } else {
      flat(Math.min(room, int(10, 12)));
    }
  }
  // The end: flat to the right edge, a flag pole 4 columns before it (6 tiles tall: it cannot be jumped over).
  for (; x < width; x++) column(x, g);
  for (let y = g - FLAG_POLE; y < g; y++) set(width - 4, y, 'F');
  return parseLevel(grid.map((row) => row.join('')).join('\n'), `procgen level ${seed}`);
}
