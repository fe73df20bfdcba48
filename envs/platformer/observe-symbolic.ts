import { Box } from '../../core/index.ts';
import { Tile, type PlatformerLevel } from './level-format.ts';
import type { Monsters } from './monsters.ts';
import * as K from './physics.ts';
import type { Player } from './player.ts';

// Module-local copies of the constants the per-step code reads (see physics.ts on why).
const INVULNERABLE_STEPS = K.INVULNERABLE_STEPS;
const MAX_FALL = K.MAX_FALL;
const MONSTER_H = K.MONSTER_H;
const MONSTER_W = K.MONSTER_W;
const PLAYER_H = K.PLAYER_H;
const PLAYER_W = K.PLAYER_W;
const RUN_SPEED = K.RUN_SPEED;
const SHIFT = K.SHIFT;
const UNIT = K.UNIT;
const JUMPER = 1;
const SOLID = Tile.Solid;
const PLATFORM = Tile.Platform;

/** Columns of the symbolic window: {@link VIEW_BEHIND} behind the player's column, the player's, the rest ahead. */
export const VIEW_WIDTH = 11;
/** Rows of the symbolic window: {@link VIEW_ABOVE} above the player's row, the player's, the rest below. */
export const VIEW_HEIGHT = 7;
export const VIEW_BEHIND = 3;
export const VIEW_ABOVE = 4;

/**
 * The channels of each window cell, in order (the last axis of the `[7, 11, 5]` window):
 * - `terrain`: 1 solid block, 0.5 one-way platform, 0 air. Left and right of the level read as solid.
 * - `void`: 1 where falling means death: a cell with no solid block or platform at or below it in its column, and
 *   every cell below the level.
 * - `pickup`: 0.5 coin, 0.75 power-up (shield or double jump), 1 goal flag; 0 once picked up.
 * - `monster`: a live monster's centre cell: 1 walker, 0.75 jumper, 0.5 flyer.
 * - `heading`: on a monster's cell, its direction of motion along its axis: walkers and flyers -1 left / +1 right;
 *   jumpers -1 rising / +1 falling / 0 resting.
 */
export const SYMBOLIC_CHANNELS = Object.freeze(['terrain', 'void', 'pickup', 'monster', 'heading'] as const);
const C = SYMBOLIC_CHANNELS.length;
const CH_TERRAIN = 0;
const CH_VOID = 1;
const CH_PICKUP = 2;
const CH_MONSTER = 3;
const CH_HEADING = 4;

/**
 * The scalars after the window, in order:
 * - `vx`: horizontal speed / top running speed, in [-1, 1]
 * - `vy`: vertical speed / top fall speed, in [-1, 1] (negative rising)
 * - `onGround`: 0/1
 * - `subX`, `subY`: where the player's centre lies inside its window cell (the centre cell), in [0, 1)
 * - `facing`: 1 right, 0 left
 * - `shield`: 0/1
 * - `doubleJump`: has the double-jump power-up, 0/1
 * - `doubleJumpReady`: has it and may use it now (airborne and not yet used), 0/1
 * - `jumpHeld`: the last action held jump (a double jump needs a fresh press; releasing cuts a rise), 0/1
 * - `invulnerable`: steps left in which monsters cannot hurt the player (after a shield hit) / 45, in [0, 1]
 * - `flagDx`, `flagDy`: (flag column - player column) / level width and (flag row - player row) / level height,
 *   clipped to [-1, 1]; the flag is the level's first (`PlatformerLevel.flag`)
 * - `progress`: player column / (level width - 1), in [0, 1]
 * - `height`: player row / level height, clipped to [0, 1]
 */
export const SYMBOLIC_SCALARS = Object.freeze([
  'vx',
  'vy',
  'onGround',
  'subX',
  'subY',
  'facing',
  'shield',
  'doubleJump',
  'doubleJumpReady',
  'jumpHeld',
  'invulnerable',
  'flagDx',
  'flagDy',
  'progress',
  'height',
] as const);

const WINDOW = VIEW_WIDTH * VIEW_HEIGHT * C;
/** Floats in a symbolic observation: 11 x 7 cells x 5 channels + 15 scalars = 400. */
export const SYMBOLIC_SIZE = WINDOW + SYMBOLIC_SCALARS.length;

/** How far above the level the window follows the player before it stops (it keeps the top rows beyond that). */
const MAX_ABOVE = 8;
const PAD_LEFT = VIEW_BEHIND;
const PAD_RIGHT = VIEW_WIDTH - VIEW_BEHIND - 1;
const PAD_TOP = VIEW_ABOVE + MAX_ABOVE;
const BELOW = VIEW_HEIGHT - VIEW_ABOVE - 1;
/** The player's row is at most height + 1 in the window (it dies once its top passes the level's bottom). */
const PAD_BOTTOM = BELOW + 2;

const MONSTER_CODE = [1, 0.75, 0.5];
const PICKUP_VALUE = [0, 0.5, 0.75, 0.75, 1, 0, 0];

/** The observation space: window cells in [0, 1] (heading in [-1, 1]), then the scalars. */
export function symbolicSpace(): Box {
  const low = new Float32Array(SYMBOLIC_SIZE);
  const high = new Float32Array(SYMBOLIC_SIZE).fill(1);
  for (let i = CH_HEADING; i < WINDOW; i += C) low[i] = -1;
  for (const name of ['vx', 'vy', 'flagDx', 'flagDy'] as const) low[WINDOW + SYMBOLIC_SCALARS.indexOf(name)] = -1;
  return new Box({ low, high, shape: [SYMBOLIC_SIZE] });
}

/**
 * Writes symbolic observations. Holds the level's static channels (terrain, void, pickups) in a template padded
 * on every side, so that a window is seven row copies; monsters are drawn on top, the scalars appended.
 */
export class SymbolicObserver {
  private readonly template: Float32Array;
  private readonly initial: Float32Array;
  private readonly tw: number;
  private readonly th: number;
  private dirty = false;
  /** `rows[cell]`: the template's window row starting at template cell `cell` (made on first use). */
  private readonly rows: Array<Float32Array | undefined>;
  private readonly width: number;
  private readonly height: number;
  private readonly flagX: number;
  private readonly flagY: number;

  constructor(level: PlatformerLevel, tiles: Uint8Array) {
    const { width, height } = level;
    this.width = width;
    this.height = height;
    this.flagX = level.flag.x;
    this.flagY = level.flag.y;
    const tw = width + PAD_LEFT + PAD_RIGHT;
    const th = height + PAD_TOP + PAD_BOTTOM;
    this.tw = tw;
    this.th = th;
    // Lowest row with something to stand on, per column (-1: none).
    const lowest = new Int32Array(width).fill(-1);
    for (let x = 0; x < width; x++) {
      for (let y = height - 1; y >= 0; y--) {
        if (tiles[y * width + x] >= PLATFORM) {
          lowest[x] = y;
          break;
        }
      }
    }
    const tpl = new Float32Array(tw * th * C);
    for (let py = 0; py < th; py++) {
      for (let px = 0; px < tw; px++) {
        const x = px - PAD_LEFT;
        const y = py - PAD_TOP;
        const o = (py * tw + px) * C;
        if (x < 0 || x >= width) {
          tpl[o + CH_TERRAIN] = 1;
          continue;
        }
        if (y > lowest[x]) tpl[o + CH_VOID] = 1;
        if (y < 0 || y >= height) continue;
        const t = tiles[y * width + x];
        if (t === SOLID) tpl[o + CH_TERRAIN] = 1;
        else if (t === PLATFORM) tpl[o + CH_TERRAIN] = 0.5;
        tpl[o + CH_PICKUP] = PICKUP_VALUE[t];
        if (t === SOLID || t === PLATFORM) tpl[o + CH_VOID] = 0;
      }
    }
    this.initial = tpl;
    this.template = tpl.slice();
    this.rows = new Array<Float32Array | undefined>(tw * th);
  }

  /** Restores the pickups taken during the last episode. */
  reset(): void {
    if (this.dirty) {
      this.template.set(this.initial);
      this.dirty = false;
    }
  }

  /** A pickup at cell (x, y) was taken. */
  clearCell(x: number, y: number): void {
    this.template[((y + PAD_TOP) * this.tw + x + PAD_LEFT) * C + CH_PICKUP] = 0;
    this.dirty = true;
  }

  /** Writes the observation of the current state into `obs` (length {@link SYMBOLIC_SIZE}). */
  write(obs: Float32Array, p: Player, m: Monsters): void {
    const cx = p.x + (PLAYER_W >> 1);
    const cy = p.y + (PLAYER_H >> 1);
    let tx = cx >> SHIFT;
    let ty = cy >> SHIFT;
    if (tx < 0) tx = 0;
    else if (tx >= this.width) tx = this.width - 1;
    if (ty < -MAX_ABOVE) ty = -MAX_ABOVE;
    else if (ty > this.height + 1) ty = this.height + 1;
    // Window origin (top-left cell) in template coordinates: (tx - PAD_LEFT + PAD_LEFT, ty - VIEW_ABOVE + PAD_TOP).
    const tpl = this.template;
    const tw = this.tw;
    const rowLen = VIEW_WIDTH * C;
    const rows = this.rows;
    let cell = (ty - VIEW_ABOVE + PAD_TOP) * tw + tx;
    let dst = 0;
    for (let r = 0; r < VIEW_HEIGHT; r++) {
      // A view of the window row starting at this template cell, made the first time it is needed: no
      // allocation per step once the player has been around.
      let row = rows[cell];
      if (row === undefined) {
        row = tpl.subarray(cell * C, cell * C + rowLen);
        rows[cell] = row;
      }
      obs.set(row, dst);
      cell += tw;
      dst += rowLen;
    }
    const left = tx - VIEW_BEHIND;
    const top = ty - VIEW_ABOVE;
    const n = m.count;
    for (let i = 0; i < n; i++) {
      if (m.alive[i] === 0) continue;
      const k = m.kind[i];
      const col = ((m.x[i] + (MONSTER_W[k] >> 1)) >> SHIFT) - left;
      const row = ((m.y[i] + (MONSTER_H[k] >> 1)) >> SHIFT) - top;
      if (col < 0 || col >= VIEW_WIDTH || row < 0 || row >= VIEW_HEIGHT) continue;
      const o = (row * VIEW_WIDTH + col) * C;
      obs[o + CH_MONSTER] = MONSTER_CODE[k];
      let heading: number;
      if (k === JUMPER) {
        const vy = m.vy[i];
        heading = m.onGround[i] !== 0 || vy === 0 ? 0 : vy < 0 ? -1 : 1;
      } else {
        heading = m.vx[i] < 0 ? -1 : 1;
      }
      obs[o + CH_HEADING] = heading;
    }
    const s = WINDOW;
    obs[s] = p.vx / RUN_SPEED;
    obs[s + 1] = p.vy / MAX_FALL;
    obs[s + 2] = p.onGround ? 1 : 0;
    const subX = (cx - (tx << SHIFT)) / UNIT;
    const subY = (cy - (ty << SHIFT)) / UNIT;
    obs[s + 3] = subX < 0 ? 0 : subX >= 1 ? 0.99609375 : subX;
    obs[s + 4] = subY < 0 ? 0 : subY >= 1 ? 0.99609375 : subY;
    obs[s + 5] = p.facing > 0 ? 1 : 0;
    obs[s + 6] = p.shield ? 1 : 0;
    obs[s + 7] = p.doubleJump ? 1 : 0;
    obs[s + 8] = p.doubleJumpReady && !p.onGround ? 1 : 0;
    obs[s + 9] = p.jumpHeld ? 1 : 0;
    obs[s + 10] = p.invulnerable / INVULNERABLE_STEPS;
    obs[s + 11] = clip((this.flagX - tx) / this.width);
    obs[s + 12] = clip((this.flagY - ty) / this.height);
    obs[s + 13] = this.width > 1 ? tx / (this.width - 1) : 0;
    const h = ty / this.height;
    obs[s + 14] = h < 0 ? 0 : h > 1 ? 1 : h;
  }
}

function clip(v: number): number {
  return v < -1 ? -1 : v > 1 ? 1 : v;
}
