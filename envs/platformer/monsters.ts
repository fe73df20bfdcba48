import type { Rng } from '../../core/index.ts';
import { MONSTER_KINDS, type MonsterSpawn } from './level-format.ts';
import * as K from './physics.ts';
import type { TileWorld } from './physics.ts';

// Module-local copies of the constants (see physics.ts on why).
const FLYER_RANGE = K.FLYER_RANGE;
const FLYER_SPEED = K.FLYER_SPEED;
const GRAVITY = K.GRAVITY;
const JUMPER_JUMP = K.JUMPER_JUMP;
const JUMPER_REST = K.JUMPER_REST;
const MAX_FALL = K.MAX_FALL;
const MONSTER_H = K.MONSTER_H;
const MONSTER_W = K.MONSTER_W;
const SHIFT = K.SHIFT;
const UNIT = K.UNIT;
const WALKER_SPEED = K.WALKER_SPEED;

/** Monster kind codes, as in {@link MONSTER_KINDS}. */
export const WALKER = 0;
export const JUMPER = 1;
export const FLYER = 2;

/**
 * The monsters of a level as parallel typed arrays (no objects per monster, no allocation per step).
 *
 * - Walker: falls under gravity; on the ground it walks at {@link WALKER_SPEED}, turning round at walls and at
 *   ledges (it never walks off an edge).
 * - Jumper: stays in its column; rests {@link JUMPER_REST} steps on the ground, then jumps ({@link JUMPER_JUMP}).
 * - Flyer: ignores gravity; flies at {@link FLYER_SPEED} left and right, turning at walls and at
 *   {@link FLYER_RANGE} from its spawn point.
 *
 * At reset, walkers and flyers start facing left or right and jumpers at a point of their rest, drawn from the
 * env's RNG.
 */
export class Monsters {
  readonly count: number;
  readonly kind: Uint8Array;
  readonly alive: Uint8Array;
  readonly x: Int32Array;
  readonly y: Int32Array;
  readonly vx: Int32Array;
  readonly vy: Int32Array;
  /** The top before this step's move (to tell stomps from side hits). */
  readonly prevY: Int32Array;
  readonly onGround: Uint8Array;
  /** Jumpers: steps left to rest. */
  readonly timer: Int32Array;
  private readonly spawnX: Int32Array;
  private readonly spawnY: Int32Array;

  constructor(spawns: readonly MonsterSpawn[]) {
    const n = spawns.length;
    this.count = n;
    this.kind = new Uint8Array(n);
    this.alive = new Uint8Array(n);
    this.x = new Int32Array(n);
    this.y = new Int32Array(n);
    this.vx = new Int32Array(n);
    this.vy = new Int32Array(n);
    this.prevY = new Int32Array(n);
    this.onGround = new Uint8Array(n);
    this.timer = new Int32Array(n);
    this.spawnX = new Int32Array(n);
    this.spawnY = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = spawns[i];
      const k = MONSTER_KINDS.indexOf(s.kind);
      this.kind[i] = k;
      // Centred in its cell; walkers and jumpers stand on the cell's floor, flyers float in its middle.
      this.spawnX[i] = s.x * UNIT + ((UNIT - MONSTER_W[k]) >> 1);
      this.spawnY[i] = s.y * UNIT + (k === FLYER ? (UNIT - MONSTER_H[k]) >> 1 : UNIT - MONSTER_H[k]);
    }
  }

  /** Puts every monster back at its spawn point, alive, with a random heading or jump phase. */
  reset(rng: Rng): void {
    for (let i = 0; i < this.count; i++) {
      const k = this.kind[i];
      this.alive[i] = 1;
      this.x[i] = this.spawnX[i];
      this.y[i] = this.spawnY[i];
      this.prevY[i] = this.spawnY[i];
      this.vy[i] = 0;
      this.onGround[i] = 0;
      this.timer[i] = 0;
      if (k === JUMPER) {
        this.vx[i] = 0;
        this.timer[i] = 1 + rng.int(JUMPER_REST);
      } else {
        const speed = k === WALKER ? WALKER_SPEED : FLYER_SPEED;
        this.vx[i] = rng.random() < 0.5 ? -speed : speed;
      }
    }
  }

  /** One step of every live monster. Monsters that fall below the level die. */
  update(world: TileWorld): void {
    const bottom = world.height * UNIT;
    for (let i = 0; i < this.count; i++) {
      if (this.alive[i] === 0) continue;
      const k = this.kind[i];
      const w = MONSTER_W[k];
      const h = MONSTER_H[k];
      let x = this.x[i];
      let y = this.y[i];
      this.prevY[i] = y;
      if (k === FLYER) {
        const vx = this.vx[i];
        x = world.moveX(x, y, w, h, vx);
        const sx = this.spawnX[i];
        if (world.blocked || (vx > 0 && x >= sx + FLYER_RANGE) || (vx < 0 && x <= sx - FLYER_RANGE)) this.vx[i] = -vx;
        this.x[i] = x;
        continue;
      }
      // Walkers and jumpers. On the ground they stay there (tiles never become solid or vanish, and walkers do
      // not walk off ledges) until a jumper's rest ends: no vertical move to compute.
      let vy = this.vy[i];
      if (k === JUMPER && this.onGround[i] !== 0) {
        if (--this.timer[i] > 0) continue;
        vy = -JUMPER_JUMP;
        this.timer[i] = JUMPER_REST;
        this.onGround[i] = 0;
      }
      if (this.onGround[i] === 0) {
        vy += GRAVITY;
        if (vy > MAX_FALL) vy = MAX_FALL;
        y = world.moveY(x, y, w, h, vy);
        if (world.blocked) {
          this.onGround[i] = vy > 0 ? 1 : 0;
          vy = 0;
        }
        this.vy[i] = vy;
        this.y[i] = y;
        if (y >= bottom) {
          this.alive[i] = 0;
          continue;
        }
      }
      if (k === WALKER && this.onGround[i] !== 0) {
        const vx = this.vx[i];
        // Turn at a ledge: no floor under the leading edge after the move.
        const lead = vx > 0 ? (x + w - 1 + vx) >> SHIFT : (x + vx) >> SHIFT;
        if (!world.isStandable(lead, (y + h) >> SHIFT)) {
          this.vx[i] = -vx;
        } else {
          x = world.moveX(x, y, w, h, vx);
          if (world.blocked) this.vx[i] = -vx;
          this.x[i] = x;
        }
      }
    }
  }
}
