import { NOOP, type GameAction, type GameSettings, type RomState } from '../game-settings.ts';

/**
 * The game settings of arcade-rl's own CHIP-8 games (the `.8o` sources in this folder). All three keep their
 * state in the same registers, read at frame boundaries:
 *
 * - score = 100 * VB + VA (VA counts 0..99, VB the hundreds); it only goes up, and the update is never seen half
 *   done at a frame boundary (it runs just after a draw, which ends the frame under the chip8 profile's display
 *   wait, and takes fewer than `tickRate` instructions);
 * - VD = 1 once the game is over (the machine then idles in a loop);
 * - VC = lives left (breakout only).
 *
 * Machine: the `chip8` profile as it is (COSMAC VIP quirks: display wait, clipping) at 15 instructions a frame,
 * the usual CHIP-8 speed; each game paces itself on the delay timer (one game tick every few frames), so its
 * speed does not depend on how much work a tick does.
 */

/** Register of the score's units and tens (0..99). */
export const SCORE_REGISTER = 0xa;
/** Register of the score's hundreds. */
export const HUNDREDS_REGISTER = 0xb;
/** Register of the lives left (breakout). */
export const LIVES_REGISTER = 0xc;
/** Register set to 1 when the game is over. */
export const OVER_REGISTER = 0xd;

/** Instructions per frame for all three games: the common CHIP-8 speed (Octo's and the brief's 15). */
export const OWN_TICK_RATE = 15;

/** The games' names, in registration order. */
export const OWN_GAME_NAMES = ['breakout', 'dodge', 'runner'] as const;
export type OwnGameName = (typeof OWN_GAME_NAMES)[number];

const action = (name: string, ...keys: number[]): GameAction => Object.freeze({ name, keys: Object.freeze(keys) });

/** The score of one of these games in a state. */
export const ownScore = (s: RomState): number => 100 * s.v[HUNDREDS_REGISTER] + s.v[SCORE_REGISTER];
const over = (s: RomState): boolean => s.v[OVER_REGISTER] === 1;
// The score never goes down, so a frame's reward is its increase.
const reward = (s: RomState, p: RomState): number => ownScore(s) - ownScore(p);

/** Keys: 7 left, 9 right (A and D on Octo's keyboard layout); 5 jump (W). */
const LEFT = action('LEFT', 7);
const RIGHT = action('RIGHT', 9);
const JUMP = action('JUMP', 5);

const BASE: Record<OwnGameName, Omit<GameSettings, 'sha256'>> = {
  breakout: {
    name: 'breakout',
    profile: 'chip8',
    tickRate: OWN_TICK_RATE,
    actions: Object.freeze([NOOP, LEFT, RIGHT]),
    reward,
    terminal: over,
    lives: (s) => s.v[LIVES_REGISTER],
    score: ownScore,
    description: "arcade-rl's own breakout: 64 bricks, +1 each, 3 lives, the wall refills when cleared.",
  },
  dodge: {
    name: 'dodge',
    profile: 'chip8',
    tickRate: OWN_TICK_RATE,
    actions: Object.freeze([NOOP, LEFT, RIGHT]),
    reward,
    terminal: over,
    score: ownScore,
    description: "arcade-rl's own dodge: three falling blocks, +1 for each that passes, over on a hit.",
  },
  runner: {
    name: 'runner',
    profile: 'chip8',
    tickRate: OWN_TICK_RATE,
    actions: Object.freeze([NOOP, JUMP]),
    reward,
    terminal: over,
    score: ownScore,
    description: "arcade-rl's own runner: jump the pits, +1 for each one cleared, over on falling in.",
  },
};

/** The settings of one game, tied to its assembled ROM's checksum. */
export function ownGameSettings(name: OwnGameName, sha256: string): GameSettings {
  return Object.freeze({ ...BASE[name], sha256 });
}
