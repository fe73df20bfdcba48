import { expect } from 'vitest';
import { tf, useBackend, type BackendName } from '../../core/backend/index.ts';

/** A tensor's shape and values, read back from the backend. */
export interface KernelResult {
  shape: number[];
  values: Float32Array;
}

/**
 * Runs `f` on `backend` (wasm: with arcade-rl's kernels) and returns its output(s), checking that every tensor and
 * every buffer on the backend (kernel intermediates included) is freed again.
 */
export async function runOn(backend: BackendName, f: () => tf.Tensor | tf.Tensor[]): Promise<KernelResult[]> {
  await useBackend(backend);
  const tensors = tf.memory().numTensors;
  const buffers = tf.backend().numDataIds();
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const results = list.map((t) => ({ shape: t.shape, values: t.dataSync() as Float32Array }));
  tf.dispose(list);
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.backend().numDataIds()).toBe(buffers);
  return results;
}
