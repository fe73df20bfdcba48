/**
 * arcade-rl's built-in environments. Importing this module registers them all with the core registry
 * (`make('GridWorld-FourRooms-v0')`, `make('CartPole-v1')`).
 */
import { register, listEnvs, type EntryPoint, type Env } from '../core/index.ts';
import { CARTPOLE_ENVS } from './classic/index.ts';
import { GRIDWORLD_ENVS } from './gridworld/index.ts';
import { PLATFORMER_ENVS } from './platformer/index.ts';
import { CHIP8_GENERIC_ENV, registerImportedRoms } from './rom/index.ts';
import { OWN_GAME_ENVS } from './rom/own/index.ts';

export * from './gridworld/index.ts';
export * from './classic/index.ts';
export * from './platformer/index.ts';
export * from './rom/index.ts';
export * from './rom/own/index.ts';
// Both the platformer and the ROM wrapper name an action NOOP: the platformer's keeps the name here.
export { NOOP } from './platformer/index.ts';
export { NOOP as ROM_NOOP } from './rom/index.ts';

/** Every built-in registration, in the order of the README's table. */
export const BUILTIN_ENVS = [...GRIDWORLD_ENVS, ...CARTPOLE_ENVS, ...PLATFORMER_ENVS, ...OWN_GAME_ENVS];

const registered = new Set(listEnvs().map((s) => s.id));
for (const { id, entryPoint, kwargs, maxEpisodeSteps, description } of BUILTIN_ENVS) {
  // A second copy of this module (e.g. imported by two paths) must not register twice.
  if (!registered.has(id)) register({ id, entryPoint: entryPoint as EntryPoint, kwargs: { ...kwargs }, maxEpisodeSteps, description, module: import.meta.url });
}
// `Chip8-v0` runs any ROM given as `make('Chip8-v0', { rom, settings })`; it has no ROM of its own, so it is not
// among BUILTIN_ENVS (which every test makes with no kwargs).
if (!registered.has(CHIP8_GENERIC_ENV.id)) register({ ...CHIP8_GENERIC_ENV, kwargs: { ...CHIP8_GENERIC_ENV.kwargs }, module: import.meta.url });
// Third-party games the user imported (`npx tsx envs/rom/import-roms.ts <dir>`), as ALE registers its imported
// ROMs: `Chip8-Dinorun-v0`, ... from the ROM home ($ARCADE_RL_ROMS or ~/.arcade-rl/roms); nothing if it is absent.
registerImportedRoms();

type GridEnv = Env<number | Float32Array, number>;
type PlatformerEnv = Env<Float32Array | Uint8Array, number>;

declare module '../core/index.ts' {
  interface EnvTypes {
    'GridWorld-Empty-v0': GridEnv;
    'GridWorld-FourRooms-v0': GridEnv;
    'GridWorld-CliffWalking-v0': GridEnv;
    'GridWorld-FrozenLake-v0': GridEnv;
    'GridWorld-FrozenLake8x8-v0': GridEnv;
    'GridWorld-KeyDoor-v0': GridEnv;
    'GridWorld-Lava-v0': GridEnv;
    'CartPole-v0': Env<Float32Array, number>;
    'CartPole-v1': Env<Float32Array, number>;
    'Platformer-v0': PlatformerEnv;
    'Platformer-1-v0': PlatformerEnv;
    'Platformer-2-v0': PlatformerEnv;
    'Platformer-3-v0': PlatformerEnv;
    'Platformer-4-v0': PlatformerEnv;
    'Platformer-5-v0': PlatformerEnv;
    'Platformer-Procgen-v0': PlatformerEnv;
    'Chip8-Breakout-v0': Env<Uint8Array, number>;
    'Chip8-Dodge-v0': Env<Uint8Array, number>;
    'Chip8-Runner-v0': Env<Uint8Array, number>;
    'Chip8-v0': Env<Uint8Array, number>;
  }
}
