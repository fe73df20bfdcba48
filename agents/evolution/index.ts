/**
 * Gradient-free training: ask/tell strategies (GA, OpenAI-ES, CMA-ES / sep-CMA-ES) and `evolve`, which runs one on
 * an env with a typed-array policy network.
 */
export type { Objective, Candidate, FitnessResult, GenerationStats, BestSoFar, Strategy, StrategySnapshot } from './strategy.ts';
export { rankResults, centredRanks, utilitiesFromOrder, totalViolation } from './ranking.ts';
export { deriveSeed } from './seeds.ts';
export { SimpleGA } from './ga.ts';
export { resolveGAConfig, type GAConfig, type GAOptions } from './ga-config.ts';
export { OpenES, type OpenESCandidate } from './open-es.ts';
export { resolveOpenESConfig, OPEN_ES_DEFAULTS, type OpenESConfig, type OpenESOptions } from './open-es-config.ts';
export { noiseTable } from './noise-table.ts';
export { CMAES } from './cmaes.ts';
export { resolveCMAESConfig, type CMAESConfig, type CMAESOptions } from './cmaes-config.ts';
export { cmaParams, defaultCmaPopSize, type CmaParams } from './cmaes-params.ts';
export { symmetricEigen } from './eigen.ts';
export { MlpPolicy, mlpPolicySpecSchema, type MlpPolicySpec, type PolicyAction } from './policy.ts';
export { Rollouts, MAX_EPISODE_STEPS, type RolloutResult } from './rollout.ts';
export { evolve } from './evolve.ts';
export type { EvolveOptions, EvolveResult, GenerationRecord } from './evolve-options.ts';
export { evolveCheckpointPath } from './evolve-checkpoint.ts';
