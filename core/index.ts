/**
 * arcade-rl core: the env contract, spaces, seeding, registry, wrappers, vector envs, checker and episode format.
 * Other layers import this file only.
 */
export * from './env.ts';
export * from './errors.ts';
export { Rng, entropySeed, type RngState } from './rng.ts';
export * from './spaces/index.ts';
export { formatZodError } from './validation.ts';
export * from './wrappers/index.ts';
export * from './vector/index.ts';
export {
  register,
  unregister,
  make,
  listEnvs,
  envSpec,
  parseEnvId,
  type EnvTypes,
  type EntryPoint,
  type EnvId,
  type Registration,
  type RegisteredSpec,
  type MakeOptions,
} from './registry.ts';
export { checkEnv, type CheckEnvOptions, type CheckEnvReport } from './checker/check-env.ts';
export * from './episode/index.ts';
export { RecordEpisodes, defaultEpisodeFileName, type RecordEpisodesOptions, type AnnotateContext } from './wrappers/record-episodes.ts';
export * from './backend/index.ts';
export * from './nn/index.ts';
export * from './checkpoint/index.ts';
export * from './logging/index.ts';
export { AsciiMapError, mapFailer, mapLines, showChar, type MapFail } from './ascii-map.ts';
