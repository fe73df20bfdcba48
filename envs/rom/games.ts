import type { Chip8Quirks } from './chip8/index.ts';
import { NOOP, type GameAction, type GameSettings, type RomState } from './game-settings.ts';

/**
 * Settings for the freely licensed games of `shared/chip8/known-games.md` (JohnEarnest/chip8Archive at commit
 * 0a41cc23), checked against the real ROMs (SHA-256 as listed) and the games' sources: each game was run through
 * `RomEnv` with a random and a scripted policy and its screens printed (start, play, game over). The ROM files are
 * not in this repository. Where a fact of known-games.md turned out wrong for the ROM, the comment says so.
 *
 * Quirks: the archive lists the Octo quirk flags a game needs and all others are off. Octo with every flag off
 * means: VY shifted into VX, I incremented by load/store, `Bnnn` + V0, no VF reset, no display wait, sprites wrap.
 * That is the `chip8` profile with `vfReset`, `displayWait` and `clip` turned off, or the `schip-modern` opcode set
 * with the same flags off.
 *
 * Ends and rewards are read at frame boundaries, so each one below reads a register (or the screen) whose value
 * stays put across whole frames, not one a routine passes through in a few instructions.
 */

const a = (name: string, ...keys: number[]): GameAction => Object.freeze({ name, keys: Object.freeze(keys) });

/** Octo's "all quirk flags off" on the chip8 profile. */
const OCTO_CHIP8: Partial<Chip8Quirks> = Object.freeze({ vfReset: false, displayWait: 'off', clip: false });
/** Octo's "all quirk flags off" with the SUPER-CHIP opcodes. */
const OCTO_SCHIP: Partial<Chip8Quirks> = Object.freeze({ shiftVx: false, loadStoreIncrement: 'x+1', jumpVx: false, vfReset: false, displayWait: 'off', clip: false });

/** A press and release of one key: gets past `Fx0A` (which waits for the release) and `Ex9E` polling alike. */
const press = (key: number): GameSettings['startingActions'] => Object.freeze([Object.freeze({ keys: Object.freeze([key]), frames: 3 }), Object.freeze({ keys: Object.freeze([]), frames: 3 })]);

/** The positive increase of a register between two frame boundaries (a score register). */
const gain = (s: RomState, p: RomState, r: number): number => (s.v[r] > p.v[r] ? s.v[r] - p.v[r] : 0);

const MOVE4 = [NOOP, a('UP', 5), a('DOWN', 8), a('LEFT', 7), a('RIGHT', 9)];

/**
 * br8kout's wall: 7 rows (y = 2, 4, .., 14) of 7 bricks (x = 5, 13, .., 53), each 6 pixels wide. A brick counts as
 * standing while at least 4 of its pixels are lit, so the 1-pixel ball passing over it does not change the count.
 */
function br8koutBricks(s: RomState): number {
  const fb = s.framebuffer;
  let bricks = 0;
  for (let y = 2; y <= 14; y += 2) {
    for (let x = 5; x <= 53; x += 8) {
      let lit = 0;
      for (let k = 0; k < 6; k++) lit += fb[y * 64 + x + k] !== 0 ? 1 : 0;
      if (lit >= 4) bricks++;
    }
  }
  return bricks;
}
const BR8KOUT_BRICKS = 49;

/** superpong: the ball (V3, V4) on the border is the game over; it stays there until the next game is started. */
const pongOver = (s: RomState): boolean => s.waitingForKey || s.v[3] === 0 || s.v[3] === 63 || s.v[4] === 0 || s.v[4] === 31;

const LIST: GameSettings[] = [
  {
    // No score and no game over in the game: a missed ball (VA, the ball's y, reaches 31) clears the screen and
    // redraws the wall. VA stays 31 for 2+ frames at tick 7 before `reset` sets it to 20, so the first miss ends the
    // episode here, as does clearing the wall. Reward: +1 per brick knocked out, counted on the screen (the game's
    // own VF-after-draw brick test happens inside a frame).
    name: 'br8kout',
    sha256: 'a1589caa2cd48904a5f77bae12c6887b7ba196d130daecfc2f4d230d20cb1f6b',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 7,
    actions: [NOOP, a('LEFT', 7), a('RIGHT', 9)],
    // The wall takes about 70 frames to draw at tick 7: 30 frames more than the reset's 60 so play starts on a full wall.
    startingActions: [{ keys: [], frames: 30 }],
    reward: (s, p) => (s.v[0xa] >= 31 ? 0 : Math.max(0, br8koutBricks(p) - br8koutBricks(s))),
    terminal: (s) => s.v[0xa] >= 31 || br8koutBricks(s) === 0,
    score: (s) => BR8KOUT_BRICKS - br8koutBricks(s),
    description: 'br8kout (CC0, chip8Archive): +1 per brick; the episode ends at the first missed ball.',
  },
  {
    // Score in VD, +1 per paddle hit. The title waits on Fx0A for key 6. The game over (ball on the border) is read
    // from the ball's position, which the game-over routine keeps, because that routine reuses VD at once (border
    // drawing) and only then waits on Fx0A for key 6.
    name: 'superpong',
    sha256: '98e64a4728f15e969148a503d4176fe803df72307d86f353f2bb472cc3287899',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 30,
    actions: MOVE4,
    startingActions: press(6),
    reward: (s, p) => {
      const d = s.v[0xd] - p.v[0xd];
      return !pongOver(s) && d > 0 && d <= 2 ? d : 0;
    },
    terminal: pongOver,
    score: (s) => s.v[0xd],
    description: 'superpong (CC0, chip8Archive): four paddles, +1 per hit, over when the ball touches the border.',
  },
  {
    // Score digits V6 (tens) and VC (units). known-games.md is wrong on one point: the title and the game over
    // poll key 5 with Ex9E, never Fx0A, so "waiting for a key" never shows. The game over is VB = 12: the routine
    // draws the final score at y = 12, and VB is 5 on the title and 2 in play. Reward: +1 when the units go up by
    // one or wrap 9 -> 0 (at 9 -> 10 the game sets VC = 0 and then V6 += 1, so V6*10+VC dips for a moment, and a
    // frame boundary may see 9, 10, 0 or 9, 0). Past 99 points V6 keeps counting (the game draws it as a hex digit).
    name: 'dinorun',
    sha256: '7663be25d36d057c278ea29f614ccf4a931f82cb57ab7cde0d2ac953932e6c9b',
    profile: 'chip8', // clip, vblank and logic on: the chip8 profile as it is
    tickRate: 15,
    actions: [NOOP, a('JUMP', 5)],
    startingActions: press(5),
    reward: (s, p) => (s.v[0xb] !== 12 && (s.v[0xc] === p.v[0xc] + 1 || (s.v[0xc] === 0 && p.v[0xc] === 9)) ? 1 : 0),
    terminal: (s) => s.v[0xb] === 12,
    score: (s) => s.v[6] * 10 + s.v[0xc],
    description: 'dinorun (CC0, chip8Archive): jump the cacti; +1 per cactus passed (score V6*10+VC).',
  },
  {
    // Score V7 (+1 each time the copter climbs a screen height and wraps to the bottom, through the gap in the
    // girders); V8 is the collision flag of the copter's draw.
    // The title polls key 6 with ExA1. Checked: V8 is 0 at every frame boundary in play (the loop erases and
    // redraws the copter within one frame) and non-zero from the crash on.
    name: 'sweetcopter',
    sha256: '27aa4f147a6a12c956fc1df3c5bdc887a70d2cef99d016ff973115f779925809',
    profile: 'schip-modern',
    quirks: OCTO_SCHIP,
    tickRate: 100,
    actions: [NOOP, a('SWITCH', 6)],
    startingActions: press(6),
    reward: (s, p) => {
      const d = (s.v[7] - p.v[7]) & 0xff; // V7 wraps 255 -> 0 in long games
      return s.v[8] === 0 && d <= 2 ? d : 0;
    },
    terminal: (s) => s.v[8] !== 0,
    score: (s) => s.v[7],
    description: 'sweetcopter (CC0, chip8Archive): steer the copter; score V7, over on collision (V8 != 0).',
  },
  {
    // Score V9; VA counts the ships in reserve (3 at the start). known-games.md's "ships left VA" needs care: a
    // ship is taken from VA when its turn starts, so VA is 0 while the last ship flies. Every turn starts on Fx0A
    // (any key, pressed and released: the actions do it); the game is over when it waits on Fx0A with VA = 0 (or
    // with V9 = 255, the "hyperspace" win). Lives = VA, so a life loss shows when the next turn starts.
    name: 'spacejam',
    sha256: '483005486c5590d90810c41e3bc85fd5519cf7c75502f7f2be74e9235aea2faa',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 100,
    actions: MOVE4,
    startingActions: press(5),
    reward: (s, p) => gain(s, p, 9),
    terminal: (s) => s.waitingForKey && (s.v[0xa] === 0 || s.v[9] === 255),
    lives: (s) => s.v[0xa],
    score: (s) => s.v[9],
    description: 'spacejam (CC0, chip8Archive): fly the tunnel; score V9, ships in reserve VA.',
  },
  {
    // Length in VD (5 once the first food is placed), +1 per food. The title waits on Fx0A for a direction key
    // (9 starts the snake to the right). On a collision the game subtracts 5 from VD (the score it shows), draws
    // "Game over!" and waits on Fx0A: that wait is the end. There are no walls (the snake wraps).
    name: 'snake',
    sha256: '8931d9a3b3da181eeadd720d940ee339f36c1a759738aed2a4b6770047017472',
    profile: 'schip-modern',
    quirks: OCTO_SCHIP,
    tickRate: 15,
    actions: MOVE4,
    // The title takes 194 frames to draw at tick 15 before its Fx0A: wait 200 frames (even with resetFrames 0), then press.
    startingActions: [{ keys: [], frames: 200 }, ...press(9)!],
    reward: (s, p) => (s.waitingForKey || s.halted ? 0 : gain(s, p, 0xd)),
    terminal: (s) => s.waitingForKey || s.halted,
    score: (s) => (s.waitingForKey ? s.v[0xd] : Math.max(0, s.v[0xd] - 5)),
    description: 'snake (CC0, chip8Archive): +1 per food; over when the snake bites itself.',
  },
  {
    // known-games.md's published-wrapper facts are wrong for this ROM: V5 and V7 are never written (V7's only
    // uses are commented out in the source), so that end never comes. The game over ("OOPS", 140 frames, then a
    // new game) sets V1 = 14 and keeps it; in play V1 is at most 4. No score: +1 each time the wall column wraps
    // to the right edge (VC = 64, every 32 frames flown).
    name: 'flightrunner',
    sha256: '982b4799ec822369ea26f0884669fd23caeec805d10e5e9caff434e0851b2e5e',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 15,
    actions: MOVE4,
    reward: (s, p) => (s.v[1] !== 14 && s.v[0xc] === 64 && p.v[0xc] !== 64 ? 1 : 0),
    terminal: (s) => s.v[1] === 14,
    description: 'flightrunner (CC0, chip8Archive): dodge the walls; +1 per 32 frames flown, over on a crash.',
  },
];

/** The known games' settings, keyed by the SHA-256 of their ROM files. */
export const KNOWN_GAMES: ReadonlyMap<string, GameSettings> = new Map(LIST.map((g) => [g.sha256, Object.freeze(g)]));

/** The known games' names with their checksums, for error messages. */
export function knownGameList(): string {
  return [...KNOWN_GAMES.values()].map((g) => `${g.name} (${g.sha256})`).join(', ');
}
