export { DQN, TrainingDivergedError, type DQNCallbacks, type EpisodeReport, type TrainReport, type LearnOptions, type SaveOptions } from './dqn.ts';
export { DQN_DEFAULTS, dqnConfigSchema, resolveDQNConfig, type DQNConfig } from './config.ts';
