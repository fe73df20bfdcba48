export { DQN, TrainingDivergedError, type DQNCallbacks, type EpisodeReport, type TrainReport, type LearnOptions, type SaveOptions, type LoadOverrides } from './dqn.ts';
export { DQN_DEFAULTS, dqnConfigSchema, resolveDQNConfig, type DQNConfig } from './config.ts';
export type { QEngine, TdBatch, TdStepResult } from './q-engine.ts';
export { MlpQEngine } from './mlp-q-engine.ts';
export { TfjsQEngine } from './tfjs-q-engine.ts';
