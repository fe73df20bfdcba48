export { SyncVectorEnv, type AutoresetMode, type VectorResetOptions, type VectorResetResult, type VectorStepResult } from './sync-vector-env.ts';
export { AsyncVectorEnv, VectorEnvWorkerError, type AsyncVectorEnvOptions } from './async-vector-env.ts';
export { type VectorEnv } from './vector-env.ts';
export { batcherFor, type Batch, type Batcher } from './batch.ts';
export { makeVec, type MakeVecOptions, type AsyncMakeVecOptions } from './make-vec.ts';
