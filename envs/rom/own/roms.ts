import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../../core/index.ts';
import { assemble } from '../asm/index.ts';
import { romSha256 } from '../rom-env.ts';
import type { GameSettings } from '../game-settings.ts';
import { OWN_GAME_NAMES, ownGameSettings, type OwnGameName } from './settings.ts';

/** The Octo source of one of the project's own games (`<name>.8o` in this folder). */
export function ownGameSource(name: string): string {
  checkName(name);
  return readFileSync(new URL(`./${name}.8o`, import.meta.url), 'utf8');
}

// Assembled once, when this module loads.
const ROMS: ReadonlyMap<OwnGameName, Uint8Array> = new Map(OWN_GAME_NAMES.map((n) => [n, assemble(ownGameSource(n), { file: `${n}.8o` }).rom]));

/** The settings of the project's own games, each with the SHA-256 of its ROM as assembled here. */
export const OWN_GAMES: readonly GameSettings[] = Object.freeze(OWN_GAME_NAMES.map((n) => ownGameSettings(n, romSha256(ROMS.get(n) as Uint8Array))));

/** The ROM of one of the project's own games (a fresh copy). */
export function ownGameRom(name: string): Uint8Array {
  checkName(name);
  return (ROMS.get(name) as Uint8Array).slice();
}

/** The settings of one of the project's own games. */
export function ownGame(name: string): GameSettings {
  checkName(name);
  return OWN_GAMES[OWN_GAME_NAMES.indexOf(name)];
}

function checkName(name: string): asserts name is OwnGameName {
  if (!(OWN_GAME_NAMES as readonly string[]).includes(name)) {
    throw new InvalidInputError(`own games: unknown game ${JSON.stringify(name)}, expected one of ${OWN_GAME_NAMES.join(', ')}`);
  }
}
