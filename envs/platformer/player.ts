import * as K from './physics.ts';
import type { TileWorld } from './physics.ts';

// Module-local copies of the constants (see physics.ts on why).
const AIR_ACCEL = K.AIR_ACCEL;
const AIR_DRAG = K.AIR_DRAG;
const GRAVITY = K.GRAVITY;
const GROUND_ACCEL = K.GROUND_ACCEL;
const GROUND_FRICTION = K.GROUND_FRICTION;
const JUMP_CUT = K.JUMP_CUT;
const JUMP_SPEED = K.JUMP_SPEED;
const MAX_FALL = K.MAX_FALL;
const PLAYER_H = K.PLAYER_H;
const PLAYER_W = K.PLAYER_W;
const RUN_SPEED = K.RUN_SPEED;
const UNIT = K.UNIT;


/**
 * The player's state (fixed-point units, see physics.ts) and its movement. Mutable fields, one instance per env,
 * read by the observers and the renderer.
 */
export class Player {
  /** Top-left corner of the box ({@link PLAYER_W} x {@link PLAYER_H}). */
  x = 0;
  y = 0;
  vx = 0;
  vy = 0;
  /** Standing on something (set by the last step's vertical move). */
  onGround = false;
  /** 1 facing right, -1 facing left: the last horizontal input. */
  facing = 1;
  /** The jump input was held on the last step (a double jump needs a fresh press). */
  jumpHeld = false;
  shield = false;
  /** Has the double-jump power-up. */
  doubleJump = false;
  /** Has the power-up and has not used the mid-air jump since it last stood on something. */
  doubleJumpReady = false;
  /** Steps left in which monsters cannot hurt the player, after the shield absorbed a hit. */
  invulnerable = 0;
  alive = true;

  /** Puts the player on its start cell: centred horizontally, standing on the cell's floor. */
  reset(startX: number, startY: number): void {
    this.x = startX * UNIT + ((UNIT - PLAYER_W) >> 1);
    this.y = startY * UNIT + UNIT - PLAYER_H;
    this.vx = 0;
    this.vy = 0;
    this.onGround = false;
    this.facing = 1;
    this.jumpHeld = false;
    this.shield = false;
    this.doubleJump = false;
    this.doubleJumpReady = false;
    this.invulnerable = 0;
    this.alive = true;
  }

  /**
   * One step of movement for input direction `dir` (-1, 0, 1) and `jump`:
   * 1. horizontal speed towards `dir * RUN_SPEED` (or towards 0 without input) by the ground or air rate;
   * 2. jump from the ground, or a double jump in the air on a fresh press; releasing jump while rising fast cuts
   *    the rise (variable height);
   * 3. gravity, capped at {@link MAX_FALL};
   * 4. move horizontally, then vertically, each stopped by tiles (a stop zeroes that speed; a stop while falling
   *    means standing).
   */
  move(world: TileWorld, dir: number, jump: boolean): void {
    let vx = this.vx;
    let vy = this.vy;
    const ground = this.onGround;
    if (dir !== 0) {
      this.facing = dir;
      const target = dir * RUN_SPEED;
      const accel = ground ? GROUND_ACCEL : AIR_ACCEL;
      if (vx < target) vx = vx + accel > target ? target : vx + accel;
      else if (vx > target) vx = vx - accel < target ? target : vx - accel;
    } else {
      const slow = ground ? GROUND_FRICTION : AIR_DRAG;
      if (vx > 0) vx = vx > slow ? vx - slow : 0;
      else if (vx < 0) vx = vx < -slow ? vx + slow : 0;
    }
    if (jump) {
      if (ground) vy = -JUMP_SPEED;
      else if (!this.jumpHeld && this.doubleJumpReady) {
        vy = -JUMP_SPEED;
        this.doubleJumpReady = false;
      }
    } else if (vy < -JUMP_CUT) {
      vy = -JUMP_CUT;
    }
    this.jumpHeld = jump;
    vy += GRAVITY;
    if (vy > MAX_FALL) vy = MAX_FALL;

    this.x = world.moveX(this.x, this.y, PLAYER_W, PLAYER_H, vx);
    if (world.blocked) vx = 0;
    this.y = world.moveY(this.x, this.y, PLAYER_W, PLAYER_H, vy);
    if (world.blocked) {
      this.onGround = vy > 0;
      vy = 0;
    } else {
      this.onGround = false;
    }
    if (this.onGround) this.doubleJumpReady = this.doubleJump;
    this.vx = vx;
    this.vy = vy;
  }
}
