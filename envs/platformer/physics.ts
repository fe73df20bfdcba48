import { Tile } from './level-format.ts';

// Module-local copies of what the per-step code reads from other modules. tsx (which runs the benches) compiles
// TypeScript to CommonJS, where every use of an imported binding is a getter call: too slow for the hot path.
const AIR = Tile.Air;
const PLATFORM = Tile.Platform;
const SOLID = Tile.Solid;

/**
 * Fixed-point physics. Positions and speeds are integers in sub-tile units: one tile is {@link UNIT} units, speeds
 * are units per step, accelerations units per step per step. Integer arithmetic only, so an episode is the same bit
 * for bit on every machine. A body is an axis-aligned box: `x, y` its top-left corner, `w, h` its size.
 */
export const UNIT = 256;
/** log2(UNIT): `u >> SHIFT` is the tile of position `u` (floor division, also for negative `u`). */
export const SHIFT = 8;

/** The player's box: 10/16 of a tile wide (it fits and falls into one-tile pits), 14/16 high. */
export const PLAYER_W = 160;
export const PLAYER_H = 224;
/** Top running speed: a quarter tile a step (4 steps a tile). */
export const RUN_SPEED = 64;
/** Speed change towards the input direction per step: on the ground (0 to top speed in 4 steps) and in the air. */
export const GROUND_ACCEL = 16;
export const AIR_ACCEL = 12;
/** Slowing down per step without a direction input: on the ground and in the air. */
export const GROUND_FRICTION = 16;
export const AIR_DRAG = 4;
export const GRAVITY = 16;
/** Terminal fall speed, below a tile a step (so collisions need check at most two new rows). */
export const MAX_FALL = 192;
/** Upward speed of a jump (and of a double jump): a held jump rises 3.4 tiles and, at top speed, spans ~5.5 tiles. */
export const JUMP_SPEED = 176;
/** Releasing jump while rising faster than this cuts the speed to it (variable jump height: a tap rises ~1 tile). */
export const JUMP_CUT = 64;
/** Upward speed after stomping a monster; holding jump bounces as high as a jump. */
export const STOMP_BOUNCE = 112;
/** A stomp: the player falls onto the monster, its bottom before the step no lower than this below the monster's top. */
export const STOMP_TOLERANCE = 64;
/** Steps without harm after the shield absorbs a hit. */
export const INVULNERABLE_STEPS = 45;

/** Monster boxes and speeds, by kind code (0 walker, 1 jumper, 2 flyer). */
export const MONSTER_W: readonly number[] = [192, 192, 192];
export const MONSTER_H: readonly number[] = [192, 192, 160];
export const WALKER_SPEED = 16;
export const FLYER_SPEED = 16;
/** How far a flyer goes from its spawn point (each side). */
export const FLYER_RANGE = 3 * UNIT;
/** A jumper's jump speed (rises 2.25 tiles) and its rest on the ground between jumps, in steps. */
export const JUMPER_JUMP = 144;
export const JUMPER_REST = 32;

/**
 * The level's tiles and box-versus-tile collision. Outside the level, the columns left and right are solid walls;
 * rows above and below are air. One-way platforms stop only downward moves that start above them.
 */
export class TileWorld {
  /** Set by `moveX`/`moveY`: the move was stopped by a tile. */
  blocked = false;

  constructor(
    /** Tile codes ({@link Tile}), row-major `y * width + x`; changed in place as pickups are taken. */
    readonly tiles: Uint8Array,
    readonly width: number,
    readonly height: number,
  ) {}

  /** The tile code at a cell; `SOLID` left and right of the level, `AIR` above and below it. */
  tileAt(tx: number, ty: number): number {
    if (tx < 0 || tx >= this.width) return SOLID;
    if (ty < 0 || ty >= this.height) return AIR;
    return this.tiles[ty * this.width + tx];
  }

  isSolid(tx: number, ty: number): boolean {
    return this.tileAt(tx, ty) === SOLID;
  }

  /** Solid or a one-way platform: something to stand on. */
  isStandable(tx: number, ty: number): boolean {
    return this.tileAt(tx, ty) >= PLATFORM;
  }

  /** Whether any cell of column `tx` in rows `ty0..ty1` is solid. */
  private solidInColumn(tx: number, ty0: number, ty1: number): boolean {
    if (tx < 0 || tx >= this.width) return true;
    const w = this.width;
    const lo = ty0 < 0 ? 0 : ty0;
    const hi = ty1 >= this.height ? this.height - 1 : ty1;
    for (let ty = lo; ty <= hi; ty++) if (this.tiles[ty * w + tx] === SOLID) return true;
    return false;
  }

  /**
   * Whether any cell of row `ty` in columns `tx0..tx1` stops a vertical move: solid, or (when `platforms`) a one-way
   * platform.
   */
  private blockingInRow(ty: number, tx0: number, tx1: number, platforms: boolean): boolean {
    if (tx0 < 0 || tx1 >= this.width) return true;
    if (ty < 0 || ty >= this.height) return false;
    const min = platforms ? PLATFORM : SOLID;
    const o = ty * this.width;
    for (let tx = tx0; tx <= tx1; tx++) if (this.tiles[o + tx] >= min) return true;
    return false;
  }

  /** Moves a box horizontally by `dx` (less than a tile), stopping flush against the first solid column entered. */
  moveX(x: number, y: number, w: number, h: number, dx: number): number {
    this.blocked = false;
    if (dx === 0) return x;
    const ty0 = y >> SHIFT;
    const ty1 = (y + h - 1) >> SHIFT;
    if (dx > 0) {
      const from = ((x + w - 1) >> SHIFT) + 1;
      const to = (x + w - 1 + dx) >> SHIFT;
      for (let tx = from; tx <= to; tx++) {
        if (this.solidInColumn(tx, ty0, ty1)) {
          this.blocked = true;
          return (tx << SHIFT) - w;
        }
      }
    } else {
      const from = (x >> SHIFT) - 1;
      const to = (x + dx) >> SHIFT;
      for (let tx = from; tx >= to; tx--) {
        if (this.solidInColumn(tx, ty0, ty1)) {
          this.blocked = true;
          return (tx + 1) << SHIFT;
        }
      }
    }
    return x + dx;
  }

  /**
   * Moves a box vertically by `dy` (less than a tile), stopping flush against the first blocking row entered: solid
   * tiles both ways, one-way platforms only when moving down (a row entered from above lies wholly below the box's
   * old bottom, so the box started above the platform).
   */
  moveY(x: number, y: number, w: number, h: number, dy: number): number {
    this.blocked = false;
    if (dy === 0) return y;
    const tx0 = x >> SHIFT;
    const tx1 = (x + w - 1) >> SHIFT;
    if (dy > 0) {
      const from = ((y + h - 1) >> SHIFT) + 1;
      const to = (y + h - 1 + dy) >> SHIFT;
      for (let ty = from; ty <= to; ty++) {
        if (this.blockingInRow(ty, tx0, tx1, true)) {
          this.blocked = true;
          return (ty << SHIFT) - h;
        }
      }
    } else {
      const from = (y >> SHIFT) - 1;
      const to = (y + dy) >> SHIFT;
      for (let ty = from; ty >= to; ty--) {
        if (this.blockingInRow(ty, tx0, tx1, false)) {
          this.blocked = true;
          return (ty + 1) << SHIFT;
        }
      }
    }
    return y + dy;
  }
}
