import type { Chip8Quirks } from './chip8/index.ts';
import { NOOP, type GameAction, type GameSettings, type RomState } from './game-settings.ts';

/**
 * Settings for the freely licensed games of `shared/chip8/known-games.md` (JohnEarnest/chip8Archive at commit
 * 0a41cc23), written from the facts listed there. The ROM files are not in this repository.
 *
 * Quirks: the archive lists the Octo quirk flags a game needs and all others are off. Octo with every flag off
 * means: VY shifted into VX, I incremented by load/store, `Bnnn` + V0, no VF reset, no display wait, sprites wrap.
 * That is the `chip8` profile with `vfReset`, `displayWait` and `clip` turned off, or the `schip-modern` opcode set
 * with the same flags off.
 *
 * None of these settings has been run against the real ROMs yet (the ROMs are not on this machine): the reward
 * and end conditions come from the facts as read from the games' sources.
 */

const a = (name: string, ...keys: number[]): GameAction => Object.freeze({ name, keys: Object.freeze(keys) });

/** Octo's "all quirk flags off" on the chip8 profile. */
const OCTO_CHIP8: Partial<Chip8Quirks> = Object.freeze({ vfReset: false, displayWait: 'off', clip: false });
/** Octo's "all quirk flags off" with the SUPER-CHIP opcodes. */
const OCTO_SCHIP: Partial<Chip8Quirks> = Object.freeze({ shiftVx: false, loadStoreIncrement: 'x+1', jumpVx: false, vfReset: false, displayWait: 'off', clip: false });

/** A press and release of one key, for games that start on `Fx0A` (which waits for the release). */
const press = (key: number): GameSettings['startingActions'] => Object.freeze([Object.freeze({ keys: Object.freeze([key]), frames: 3 }), Object.freeze({ keys: Object.freeze([]), frames: 3 })]);

/** The positive increase of a register between two frame boundaries (a score register). */
const gain = (s: RomState, p: RomState, r: number): number => (s.v[r] > p.v[r] ? s.v[r] - p.v[r] : 0);

const MOVE4 = [NOOP, a('UP', 5), a('DOWN', 8), a('LEFT', 7), a('RIGHT', 9)];

const LIST: GameSettings[] = [
  {
    // THIN FACTS: br8kout keeps no score, and a missed ball only redraws the wall. Here the episode ends on the
    // first missed ball (VA, the ball's y, reaches 31) and every frame with the ball in play is worth 1/60, so
    // the return is the seconds the ball was kept in play. A per-brick reward (VF after a draw away from the
    // paddle row) cannot be read at frame boundaries.
    name: 'br8kout',
    sha256: 'a1589caa2cd48904a5f77bae12c6887b7ba196d130daecfc2f4d230d20cb1f6b',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 7,
    actions: [NOOP, a('LEFT', 7), a('RIGHT', 9)],
    reward: (s) => (s.v[0xa] >= 31 ? 0 : 1 / 60),
    terminal: (s) => s.v[0xa] >= 31,
    description: 'br8kout (CC0, chip8Archive): keep the ball in play; thin settings, survival reward.',
  },
  {
    // Score in VD, +1 per paddle hit. The game-over routine reuses VD and then waits on Fx0A for key 6, so the
    // end is taken as "waiting for a key" (after the start) and only +1 steps of VD count.
    name: 'superpong',
    sha256: '98e64a4728f15e969148a503d4176fe803df72307d86f353f2bb472cc3287899',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 30,
    actions: MOVE4,
    startingActions: press(6),
    reward: (s, p) => (!s.waitingForKey && s.v[0xd] === ((p.v[0xd] + 1) & 0xff) ? 1 : 0),
    terminal: (s) => s.waitingForKey,
    score: (s) => s.v[0xd],
    description: 'superpong (CC0, chip8Archive): four paddles, +1 per hit, over when the ball touches the border.',
  },
  {
    // Score digits V6 (tens) and VC (units); the game_over routine waits for key 5 (taken as: waiting on Fx0A).
    name: 'dinorun',
    sha256: '7663be25d36d057c278ea29f614ccf4a931f82cb57ab7cde0d2ac953932e6c9b',
    profile: 'chip8', // clip, vblank and logic on: the chip8 profile as it is
    tickRate: 15,
    actions: [NOOP, a('JUMP', 5)],
    startingActions: press(5),
    reward: (s, p) => {
      const d = s.v[6] * 10 + s.v[0xc] - (p.v[6] * 10 + p.v[0xc]);
      return !s.waitingForKey && d > 0 ? d : 0;
    },
    terminal: (s) => s.waitingForKey,
    score: (s) => s.v[6] * 10 + s.v[0xc],
    description: 'dinorun (CC0, chip8Archive): jump the cacti; score V6*10+VC.',
  },
  {
    name: 'sweetcopter',
    sha256: '27aa4f147a6a12c956fc1df3c5bdc887a70d2cef99d016ff973115f779925809',
    profile: 'schip-modern',
    quirks: OCTO_SCHIP,
    tickRate: 100,
    actions: [NOOP, a('SWITCH', 6)],
    startingActions: press(6),
    reward: (s, p) => (s.v[8] === 0 ? gain(s, p, 7) : 0),
    terminal: (s) => s.v[8] !== 0,
    score: (s) => s.v[7],
    description: 'sweetcopter (CC0, chip8Archive): steer the copter; score V7, over on collision (V8 != 0).',
  },
  {
    // Score V9; ships left in VA (3 at the start) are the lives; the game is taken as over at 0 ships.
    name: 'spacejam',
    sha256: '483005486c5590d90810c41e3bc85fd5519cf7c75502f7f2be74e9235aea2faa',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 100,
    actions: MOVE4,
    startingActions: press(5),
    reward: (s, p) => gain(s, p, 9),
    terminal: (s) => s.v[0xa] === 0,
    lives: (s) => s.v[0xa],
    score: (s) => s.v[9],
    description: 'spacejam (CC0, chip8Archive): score V9, ships left VA.',
  },
  {
    // Length in VD. THIN FACTS: how the "Game over!" screen can be told at a frame boundary is not known; taken
    // as the machine waiting on Fx0A or halted. Episodes that never meet it are cut by maxFrames.
    name: 'snake',
    sha256: '8931d9a3b3da181eeadd720d940ee339f36c1a759738aed2a4b6770047017472',
    profile: 'schip-modern',
    quirks: OCTO_SCHIP,
    tickRate: 15,
    actions: MOVE4,
    reward: (s, p) => (s.waitingForKey || s.halted ? 0 : gain(s, p, 0xd)),
    terminal: (s) => s.waitingForKey || s.halted,
    score: (s) => s.v[0xd],
    description: 'snake (CC0, chip8Archive): length VD; thin settings (end of game not verified).',
  },
  {
    // THIN FACTS: no score on screen (survival). As one published RL wrapper does: V7 is the score, and
    // V5 == 255 or V7 == 255 ends the game.
    name: 'flightrunner',
    sha256: '982b4799ec822369ea26f0884669fd23caeec805d10e5e9caff434e0851b2e5e',
    profile: 'chip8',
    quirks: OCTO_CHIP8,
    tickRate: 15,
    actions: MOVE4,
    reward: (s, p) => (s.v[5] === 255 || s.v[7] === 255 ? 0 : gain(s, p, 7)),
    terminal: (s) => s.v[5] === 255 || s.v[7] === 255,
    score: (s) => (s.v[7] === 255 ? 0 : s.v[7]),
    description: 'flightrunner (CC0, chip8Archive): fly on; score V7 as a published wrapper reads it (thin settings).',
  },
];

/** The known games' settings, keyed by the SHA-256 of their ROM files. */
export const KNOWN_GAMES: ReadonlyMap<string, GameSettings> = new Map(LIST.map((g) => [g.sha256, Object.freeze(g)]));

/** The known games' names with their checksums, for error messages. */
export function knownGameList(): string {
  return [...KNOWN_GAMES.values()].map((g) => `${g.name} (${g.sha256})`).join(', ');
}
