/**
 * arcade-rl replay: returns and advantages (pure functions on typed arrays), replay buffers (uniform and
 * prioritized, with frame-stack storage) and the n-step accumulator. Imports only `../core/index.ts`.
 */
export { discountedReturns, discountedReturnsVec, bootstrapTruncated, bootstrapTruncatedRewards, episodeEnds, tdTargets } from './returns.ts';
export { gae, gaeVec, type GaeResult } from './gae.ts';
export { explainedVariance, standardizeInPlace } from './statistics.ts';
export {
  ReplayBuffer,
  parseReplayMeta,
  type ReplayBufferOptions,
  type ReplayFrameStackOptions,
  type ReplayBufferConfig,
  type ReplayBufferMeta,
  type PrioritizedMeta,
  type SerializedReplayBuffer,
} from './replay-buffer.ts';
export { PrioritizedReplayBuffer, type PrioritizedReplayBufferOptions } from './prioritized-replay-buffer.ts';
export { SumTree, MinTree } from './sum-tree.ts';
export { NStepAccumulator, type NStepTransition, type NStepCallback, type NStepTarget } from './n-step.ts';
export type { FrameAxis, FramePadding } from './frame-store.ts';
export type { ObsDtype, ObsArray, ActionKind, ActionArray, ActionInput, Flag, ObsStorage, ReplayBatch } from './types.ts';
