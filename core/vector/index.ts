export { SyncVectorEnv, type AutoresetMode, type VectorResetOptions, type VectorResetResult, type VectorStepResult } from './sync-vector-env.ts';
export { batcherFor, type Batch, type Batcher } from './batch.ts';
export { makeVec, type MakeVecOptions } from './make-vec.ts';
