export { PPO } from './ppo.ts';
export { REINFORCE } from './reinforce.ts';
export { A2C } from './a2c.ts';
export { EpisodeBuffer } from './episode-buffer.ts';
export { PolicyGradientDivergedError } from './errors.ts';
export { OnPolicyAgent, type OnPolicyConfig, type OnPolicyLearnOptions, type PGAction } from './on-policy.ts';
export { ActorCriticPolicy, type ActionKind, type ActOutput, type PolicyOutput } from './policy.ts';
export { RolloutBuffer, type Minibatch } from './rollout-buffer.ts';
export { asVectorEnv, encodeBatch, type VectorEnvLike } from './vector-env.ts';
export { pgCheckpoint, readPGCheckpoint, PG_CHECKPOINT_VERSION, type PGCounters, type PGCheckpointParts, type LoadedPGCheckpoint } from './checkpoint.ts';
export {
  PPO_DEFAULTS,
  A2C_DEFAULTS,
  REINFORCE_DEFAULTS,
  resolvePPOConfig,
  resolveA2CConfig,
  resolveReinforceConfig,
  type PolicyConfig,
  type PPOConfig,
  type A2CConfig,
  type ReinforceConfig,
} from './config.ts';
export {
  categoricalLogProb,
  categoricalEntropy,
  gaussianLogProb,
  gaussianEntropy,
  sampleCategorical,
  categoricalLogProbOf,
  sampleGaussian,
} from './distributions.ts';
export { ppoClippedLoss, valueLoss, normalizeAdvantages, policyGradientLoss, type ClippedPolicyLoss } from './losses.ts';
