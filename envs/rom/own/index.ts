/**
 * arcade-rl's own CHIP-8 games, written for the project in Octo assembly (breakout.8o, dodge.8o, runner.8o) and
 * assembled at load by ../asm: their settings (`OWN_GAMES`), ROMs, registrations (`Chip8-Breakout-v0`, ...) and
 * scripted players. See ./README.md.
 */
export { OWN_GAMES, ownGame, ownGameRom, ownGameSource } from './roms.ts';
export { OWN_GAME_ENVS, OWN_GAME_MAX_FRAMES, type OwnGameRegistration } from './registrations.ts';
export {
  OWN_GAME_NAMES,
  OWN_TICK_RATE,
  SCORE_REGISTER,
  HUNDREDS_REGISTER,
  LIVES_REGISTER,
  OVER_REGISTER,
  ownScore,
  type OwnGameName,
} from './settings.ts';
export { ownScriptedPolicy, type OwnScriptedPolicy } from './scripted.ts';
