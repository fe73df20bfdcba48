import { Box, SyncVectorEnv, type Env, type VectorEnv } from '../../core/index.ts';
import type { ObservationEncoder } from '../common/observation-encoder.ts';

/** What the on-policy agents step: core's `VectorEnv` (`SyncVectorEnv` or `AsyncVectorEnv`). */
export type VectorEnvLike<O = unknown, A = unknown> = VectorEnv<O, A>;

/** A vector env as it is, or a single env as a vector of one. */
export function asVectorEnv(env: Env<unknown, unknown> | VectorEnvLike): VectorEnvLike {
  if ('numEnvs' in env) return env;
  return new SyncVectorEnv([() => env]);
}

/**
 * Encodes a vector env's batched observations (`Batch`: one typed array of `n` rows, an `Int32Array` of Discrete
 * values, or an array) into `out`, row `i` for sub-env `i`.
 */
export function encodeBatch(encoder: ObservationEncoder, batch: unknown, n: number, out: Float32Array): void {
  if (batch instanceof Float32Array || batch instanceof Uint8Array) {
    const size = batch.length / n;
    if (batch instanceof Float32Array && encoder.space instanceof Box && encoder.space.dtype === 'float32') {
      out.set(batch);
      return;
    }
    for (let i = 0; i < n; i++) encoder.encode(batch.subarray(i * size, (i + 1) * size), out, i);
    return;
  }
  const items = batch as ArrayLike<unknown>;
  for (let i = 0; i < n; i++) encoder.encode(items[i], out, i);
}

