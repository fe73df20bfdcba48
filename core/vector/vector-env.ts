import type { Space } from '../spaces/space.ts';
import type { AutoresetMode, VectorResetOptions, VectorResetResult, VectorStepResult } from './sync-vector-env.ts';

/**
 * What `SyncVectorEnv` and `AsyncVectorEnv` both offer, so that an agent can take either (Gymnasium `VectorEnv`).
 * Calls are synchronous in both; results are batched (see `Batch`) in fresh arrays the caller owns.
 */
export interface VectorEnv<O = unknown, A = unknown> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly autoresetMode: AutoresetMode;
  /** Sub-env `i` is reset with `seed + i` (or `seed[i]`). */
  reset(opts?: VectorResetOptions): VectorResetResult<O>;
  /** One action per sub-env; autoreset as `autoresetMode` says. */
  step(actions: ArrayLike<A>): VectorStepResult<O>;
  close(): void;
}
