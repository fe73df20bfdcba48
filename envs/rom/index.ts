/**
 * The ROM envs: the CHIP-8 machine (./chip8), game settings after ALE's RomSettings, `RomEnv`, and
 * `registerRoms(dir)` to register the known games from a folder of ROM files. See ./README.md.
 */
export * from './chip8/index.ts';
export * from './asm/index.ts';
export { NOOP, keyMask, validateSettings, type GameAction, type GameSettings, type RomState, type StartStep } from './game-settings.ts';
export { KNOWN_GAMES, knownGameList } from './games.ts';
export { RomEnv, romSha256, readRom, settingsFor, type RomEnvOptions, type RomEnvState, type RomObservation } from './rom-env.ts';
export {
  registerRoms,
  registerImportedRoms,
  romHome,
  isRomFile,
  ROM_EXTENSIONS,
  romEnvId,
  romEntryPoint,
  CHIP8_GENERIC_ENV,
  DEFAULT_MAX_FRAMES,
  type RomImport,
  type RegisterRomsOptions,
} from './registrations.ts';
