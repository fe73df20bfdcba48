import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../backend/index.ts';

export interface FusedAdamParams {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay (AdamW); 0 for Adam. */
  weightDecay: number;
  /** The update's 1-based count, for bias correction. */
  step: number;
  /** Clip the global gradient norm to this (torch `clip_grad_norm_`); Infinity for none. */
  maxGradNorm: number;
}

/**
 * Adam / AdamW with optional global-norm clipping as one JavaScript pass over the wasm heap.
 *
 * Why: op by op, an Adam step costs ~14 TF.js kernels per variable and clipping ~4 more, each with ~10 µs of
 * framework overhead; for the small nets RL uses that overhead is a large share of an update. The maths is the
 * same as the op-by-op path (torch semantics). Returns the gradient norm, or `undefined` without touching
 * anything when it cannot run (not on wasm), so the caller falls back to the op-by-op path.
 */
export function fusedAdamWasm(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], m: readonly tf.Variable[], v: readonly tf.Variable[], p: FusedAdamParams): number | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as unknown as BackendWasm;
  for (const x of [...variables, ...m, ...v, ...grads]) if (x.dtype !== 'float32') return undefined;
  // The moments are ours alone and can be updated in place. New weights go into fresh buffers instead: the wasm
  // backend's XNNPACK matMul caches packed weights by buffer, so weights written in place would be read stale.
  for (const x of [...m, ...v]) {
    if (backend.refCount(x.dataId) > 1) {
      const own = tf.add(x, 0);
      x.assign(own);
      own.dispose();
    }
  }
  const fresh = variables.map((x) => tf.zerosLike(x));
  // Views are valid until the next allocation on the heap; none happens below.
  const view = (t: tf.Tensor): Float32Array => backend.typedArrayFromHeap(t as unknown as Parameters<BackendWasm['typedArrayFromHeap']>[0]) as Float32Array;
  let sq = 0;
  for (const g of grads) {
    const a = view(g);
    for (let i = 0; i < a.length; i++) sq += a[i] * a[i];
  }
  const norm = Math.sqrt(sq);
  const scale = Number.isFinite(p.maxGradNorm) ? Math.min(1, p.maxGradNorm / (norm + 1e-6)) : 1;
  const { beta1, beta2, epsilon } = p;
  const c1 = 1 - beta1 ** p.step;
  const sqrtC2 = Math.sqrt(1 - beta2 ** p.step);
  const stepSize = p.learningRate / c1;
  const decay = 1 - p.learningRate * p.weightDecay;
  for (let k = 0; k < variables.length; k++) {
    const w = view(variables[k]);
    const out = view(fresh[k]);
    const g = view(grads[k]);
    const mk = view(m[k]);
    const vk = view(v[k]);
    for (let i = 0; i < w.length; i++) {
      const gi = g[i] * scale;
      const mi = beta1 * mk[i] + (1 - beta1) * gi;
      const vi = beta2 * vk[i] + (1 - beta2) * gi * gi;
      mk[i] = mi;
      vk[i] = vi;
      out[i] = w[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + epsilon);
    }
  }
  variables.forEach((x, k) => {
    x.assign(fresh[k]);
    fresh[k].dispose();
  });
  return norm;
}
