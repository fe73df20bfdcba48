/**
 * arcade-rl agents: they import core and replay only, and get their env as an `Env`.
 */
export * from './dqn/index.ts';
export * from './pg/index.ts';
export * from './evolution/index.ts';
export { evaluate, type EvaluateOptions, type EvaluateResult, type Policy } from './common/evaluate.ts';
export { ObservationEncoder } from './common/observation-encoder.ts';
export type { Learner, LearnerCallbacks } from './common/learner.ts';
export { train, type TrainSetup, type TrainResult } from './runner/train.ts';
export { AnnotateRecording } from './runner/annotate-recording.ts';
export {
  parseRunFlags,
  runFlagsUsage,
  parseNumberFlag,
  defaultOutDir,
  RUN_BACKENDS,
  type RunFlags,
  type RunFlagsSetup,
  type RunFlagDefaults,
  type ExtraOption,
  type ExtraOptions,
  type ExtraValues,
  type NumberFlagOptions,
} from './runner/flags.ts';
