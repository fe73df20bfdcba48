import { InvalidInputError } from '../../../core/index.ts';
import { romEnvId } from '../registrations.ts';
import { RomEnv, type RomEnvOptions } from '../rom-env.ts';
import { ownGame, ownGameRom } from './roms.ts';
import { OWN_GAME_NAMES, type OwnGameName } from './settings.ts';

/**
 * Episode cap of the own games' envs: 18,000 frames (5 minutes at 60 Hz, 4,500 steps at frame skip 4), a sixth of
 * ALE's 108,000, so that an agent that stops dying still ends episodes often within a 100k-200k step budget.
 */
export const OWN_GAME_MAX_FRAMES = 18_000;

/** One env the project registers for its own games: `register({ id, entryPoint, kwargs, description })`. */
export interface OwnGameRegistration {
  /** `Chip8-<Game>-v0` (`romEnvId` of the game's name). */
  readonly id: string;
  /** Builds the game's `RomEnv`: the ROM and settings are the game's; kwargs give the other `RomEnv` options. */
  readonly entryPoint: (kwargs: Record<string, unknown>) => RomEnv;
  /** Plain data (no ROM bytes), so a spec can be written out and rebuilt in a worker thread. */
  readonly kwargs: Readonly<Omit<RomEnvOptions, 'rom' | 'settings'>>;
  /** Left unset: the env truncates itself at `maxFrames` (ALE style), so no `TimeLimit` is needed. */
  readonly maxEpisodeSteps?: number;
  /** One line for `listEnvs()`. */
  readonly description: string;
}

function entryPointFor(name: OwnGameName): OwnGameRegistration['entryPoint'] {
  return (kwargs) => {
    for (const k of ['rom', 'settings']) {
      if (k in kwargs) throw new InvalidInputError(`${romEnvId(name)}: the ROM and settings are the game's own; kwargs may not set ${JSON.stringify(k)} (use Chip8-v0 for another ROM)`);
    }
    return new RomEnv({ ...(kwargs as Omit<RomEnvOptions, 'rom' | 'settings'>), rom: ownGameRom(name), settings: ownGame(name) });
  };
}

/**
 * `Chip8-Breakout-v0`, `Chip8-Dodge-v0`, `Chip8-Runner-v0`: the project's own games with ALE v5's defaults (frame
 * skip 4, sticky actions 0.25, 60 no-op frames at reset) and an 18,000-frame cap; the env truncates itself.
 */
export const OWN_GAME_ENVS: readonly OwnGameRegistration[] = Object.freeze(
  OWN_GAME_NAMES.map((name) =>
    Object.freeze({
      id: romEnvId(name),
      entryPoint: entryPointFor(name),
      kwargs: Object.freeze({ maxFrames: OWN_GAME_MAX_FRAMES }),
      description: `${ownGame(name).description ?? name} Pixels 32x64.`,
    }),
  ),
);
