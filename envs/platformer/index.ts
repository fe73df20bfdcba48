/**
 * The platformer: a side-view, tile-based run-and-jump game with pits, monsters, coins, power-ups and a goal flag;
 * five shipped levels and seeded procedural ones. See README.md for the level format, observations and rewards.
 */
export {
  Platformer,
  PlatformerAction,
  NOOP,
  LEFT,
  RIGHT,
  JUMP,
  LEFT_JUMP,
  RIGHT_JUMP,
  PLATFORMER_ACTION_NAMES,
  DEFAULT_PLATFORMER_REWARDS,
  type CauseOfDeath,
  type PlatformerFrame,
  type PlatformerObservation,
  type PlatformerObservationMode,
  type PlatformerOptions,
  type PlatformerRewards,
  type PlatformerState,
} from './platformer.ts';
export {
  PLATFORMER_LEGEND,
  MONSTER_KINDS,
  MAX_LEVEL_WIDTH,
  MAX_LEVEL_HEIGHT,
  LevelFormatError,
  parseLevel,
  type MonsterKind,
  type MonsterSpawn,
  type PlatformerLevel,
} from './level-format.ts';
export { LEVEL_COUNT, loadLevelFile, shippedLevel, shippedLevelText } from './levels.ts';
export {
  generateLevel,
  procgenSeed,
  procgenSplitOf,
  PROCGEN_DEFAULTS,
  PROCGEN_HEIGHT,
  PROCGEN_RULES,
  PROCGEN_SEED_RANGES,
  type ProcgenOptions,
  type ProcgenSplit,
} from './procgen.ts';
export { SYMBOLIC_CHANNELS, SYMBOLIC_SCALARS, SYMBOLIC_SIZE, VIEW_WIDTH, VIEW_HEIGHT, VIEW_BEHIND, VIEW_ABOVE } from './observe-symbolic.ts';
export { PIXEL_SIZE, TILE_PIXELS, CAMERA_TILES } from './observe-pixels.ts';
export {
  UNIT,
  PLAYER_W,
  PLAYER_H,
  RUN_SPEED,
  GRAVITY,
  MAX_FALL,
  JUMP_SPEED,
  JUMP_CUT,
  STOMP_BOUNCE,
  INVULNERABLE_STEPS,
  MONSTER_W,
  MONSTER_H,
} from './physics.ts';
export { scriptedAction } from './scripted.ts';
export { solveLevel, type SolveOptions, type SolveResult } from './solver.ts';
export { PLATFORMER_ENVS, type PlatformerRegistration } from './registrations.ts';
