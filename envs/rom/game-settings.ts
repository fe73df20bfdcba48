import { InvalidInputError } from '../../core/index.ts';
import type { Chip8Profile, Chip8Quirks } from './chip8/index.ts';

/**
 * What a game's settings read, at frame boundaries only (games reuse registers inside a frame).
 * In `reward(state, prev)`, `state` is a live view of the machine (valid only during the call) and `prev` a copy
 * taken at the previous frame boundary.
 */
export interface RomState {
  /** V0..VF. */
  readonly v: Uint8Array;
  /** The index register. */
  readonly i: number;
  /** The whole memory (4 KiB; 64 KiB with XO-CHIP). */
  readonly memory: Uint8Array;
  /** The screen, one byte per pixel (0/1), row-major, `width * height` bytes. */
  readonly framebuffer: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Frames run since the machine was reset (starting actions and no-ops included). */
  readonly frame: number;
  /** `Fx0A` is waiting for a key (many games wait so on a title or game-over screen). */
  readonly waitingForKey: boolean;
  /** `00FD` (exit) has halted the machine. */
  readonly halted: boolean;
}

/** One action of the minimal action set: the CHIP-8 keys (0..15) held while it is taken. */
export interface GameAction {
  readonly name: string;
  readonly keys: readonly number[];
}

/** One step of the sequence run at reset to start a game: `keys` held for `frames` frames. */
export interface StartStep {
  readonly keys: readonly number[];
  readonly frames: number;
}

/** A game's settings, as ALE's `RomSettings`. */
export interface GameSettings {
  /** Lower case, as the archive names the ROM file (`dinorun`); the env id capitalises it. */
  readonly name: string;
  /** SHA-256 of the ROM file, lower-case hex. Empty for settings not tied to one file. */
  readonly sha256: string;
  /** Quirk profile of the machine. */
  readonly profile: Chip8Profile;
  /** Single quirk flags overriding the profile's. */
  readonly quirks?: Partial<Chip8Quirks>;
  /** Instructions per 60 Hz frame. */
  readonly tickRate: number;
  /** The minimal action set; the first is NOOP (no key held) by convention and is used for no-ops at reset. */
  readonly actions: readonly GameAction[];
  /** Key presses run at reset to get past a title screen. */
  readonly startingActions?: readonly StartStep[];
  /** Reward of one frame, from the state at its end and the one at its start. */
  reward(state: RomState, prev: RomState): number;
  /** The game is over. */
  terminal(state: RomState): boolean;
  /** Lives left, where the game has lives. */
  lives?(state: RomState): number;
  /** The game's score, where it keeps one (reported in `info.score`). */
  score?(state: RomState): number;
  /** One line for `listEnvs()`. */
  readonly description?: string;
}

/** The action set's NOOP: no key held. */
export const NOOP: GameAction = Object.freeze({ name: 'NOOP', keys: Object.freeze([]) as readonly number[] });

/** A key bitmask (bit k = key k) from a list of keys. */
export function keyMask(keys: readonly number[]): number {
  let m = 0;
  for (const k of keys) m |= 1 << k;
  return m;
}

/** Checks settings given by a user; throws `InvalidInputError` naming the problem. */
export function validateSettings(s: GameSettings): void {
  const where = `GameSettings ${JSON.stringify((s as { name?: unknown })?.name ?? '?')}`;
  if (typeof s !== 'object' || s === null) throw new InvalidInputError('GameSettings must be an object');
  if (typeof s.name !== 'string' || s.name.length === 0) throw new InvalidInputError('GameSettings: name must be a non-empty string');
  if (typeof s.sha256 !== 'string' || !/^([0-9a-f]{64})?$/.test(s.sha256)) throw new InvalidInputError(`${where}: sha256 must be 64 lower-case hex digits (or empty)`);
  if (!Number.isInteger(s.tickRate) || s.tickRate < 1) throw new InvalidInputError(`${where}: tickRate must be a positive integer, received ${s.tickRate}`);
  if (!Array.isArray(s.actions) || s.actions.length === 0) throw new InvalidInputError(`${where}: actions must be a non-empty array`);
  const checkKeys = (keys: unknown, what: string): void => {
    if (!Array.isArray(keys) || keys.some((k) => !Number.isInteger(k) || k < 0 || k > 15)) {
      throw new InvalidInputError(`${where}: ${what} keys must be an array of integers 0..15, received ${JSON.stringify(keys)}`);
    }
  };
  s.actions.forEach((a, n) => {
    if (typeof a?.name !== 'string') throw new InvalidInputError(`${where}: action ${n} needs a name`);
    checkKeys(a.keys, `action ${n} (${a.name})`);
  });
  (s.startingActions ?? []).forEach((a, n) => {
    checkKeys(a?.keys, `startingActions[${n}]`);
    if (!Number.isInteger(a.frames) || a.frames < 0) throw new InvalidInputError(`${where}: startingActions[${n}].frames must be a non-negative integer`);
  });
  for (const f of ['reward', 'terminal'] as const) {
    if (typeof s[f] !== 'function') throw new InvalidInputError(`${where}: ${f} must be a function (state, prev) => ...`);
  }
  for (const f of ['lives', 'score'] as const) {
    if (s[f] !== undefined && typeof s[f] !== 'function') throw new InvalidInputError(`${where}: ${f} must be a function (state) => number`);
  }
}
