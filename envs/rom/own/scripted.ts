import { InvalidInputError } from '../../../core/index.ts';
import type { OwnGameName } from './settings.ts';

/**
 * Hand-written players for the own games, reading the game's registers (V0..VF at a frame boundary), for tests
 * and as the baselines a learning agent is compared with. Each returns an index into the game's action set.
 */
export type OwnScriptedPolicy = (v: Uint8Array) => number;

const NOOP = 0;
const LEFT = 1;
const RIGHT = 2;
const JUMP = 1;

/**
 * Breakout: the paddle goes to where the falling ball will reach the paddle's row, worked out with the game's wall
 * rule (V4, V5 ball x and y, V6, V7 its steps, V8 paddle left edge, VE serve countdown); while the ball rises, it
 * follows the ball. Where on the paddle it aims to take the ball (which sets the angle out) cycles with the score
 * (VA), so the ball does not settle into one path through an emptied part of the wall.
 */
const AIM = [2, 5, 1, 6];
const breakout: OwnScriptedPolicy = (v) => {
  let x = 32;
  if (v[0xe] === 0) {
    x = v[4];
    let dx = v[6] >= 128 ? v[6] - 256 : v[6];
    if (v[7] === 1) {
      for (let y = v[5]; y < 30; y++) {
        if (x + dx < 0 || x + dx > 63) dx = -dx;
        x += dx;
      }
    }
  }
  const target = x - AIM[v[0xa] & 3]; // paddle left edge that takes the ball at that offset
  if (target < v[8] - 1) return LEFT;
  if (target > v[8] + 1) return RIGHT;
  return NOOP;
};

/** Dodge: stay unless a block low on the screen is over the player; then step to the first safe side. */
const dodge: OwnScriptedPolicy = (v) => {
  const px = v[4];
  if (!dodgeDanger(v, px)) return NOOP;
  if (px >= 4 && !dodgeDanger(v, px - 4)) return LEFT;
  if (px <= 52 && !dodgeDanger(v, px + 4)) return RIGHT;
  return px >= 28 ? LEFT : RIGHT;
};

/** Block registers (x, y) of dodge: V5/V6, V7/V8, V9/VC. */
const DODGE_BLOCKS = [5, 7, 9] as const;

/** A block in the lower part of the screen (top row 12..31) overlaps a player standing at `px`. */
function dodgeDanger(v: Uint8Array, px: number): boolean {
  for (const r of DODGE_BLOCKS) {
    const x = v[r];
    const y = v[r === 9 ? 0xc : r + 1];
    if (y >= 12 && y < 32 && x + 3 >= px && x <= px + 5) return true;
  }
  return false;
}

/** Runner: jump from the ground when the pit's left edge (V6) is 12..16 columns out (V5 = 0 on the ground). */
const runner: OwnScriptedPolicy = (v) => (v[5] === 0 && v[6] >= 12 && v[6] <= 16 ? JUMP : NOOP);

const POLICIES: Record<OwnGameName, OwnScriptedPolicy> = { breakout, dodge, runner };

/** The scripted player of one of the own games. */
export function ownScriptedPolicy(name: string): OwnScriptedPolicy {
  const p = (POLICIES as Record<string, OwnScriptedPolicy | undefined>)[name];
  if (p === undefined) throw new InvalidInputError(`ownScriptedPolicy: no scripted player for ${JSON.stringify(name)}, expected one of ${Object.keys(POLICIES).join(', ')}`);
  return p;
}
