/**
 * Fused activations computed with the separate wasm kernels, for the cases the fused wasm kernels get wrong or
 * cannot take.
 */
import { Elu, LeakyRelu, Prelu, Relu, Relu6, Sigmoid, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, replace, runWasm } from './wasm-heap.ts';

/** Activations the fused wasm kernels compute themselves (checked against the cpu backend in test/backend.test.ts). */
export const NATIVE_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid']);

/** `activation(x)`; consumes `x`. `prelu` weights must broadcast against x. */
export function applyActivation(
  backend: BackendWasm,
  x: TensorInfo,
  activation: string,
  leakyreluAlpha: number,
  prelu: TensorInfo | undefined,
): TensorInfo {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return replace(backend, x, runWasm(Relu, backend, { x }));
    case 'relu6':
      return replace(backend, x, runWasm(Relu6, backend, { x }));
    case 'elu':
      return replace(backend, x, runWasm(Elu, backend, { x }));
    case 'sigmoid':
      return replace(backend, x, runWasm(Sigmoid, backend, { x }));
    case 'leakyrelu':
      return replace(backend, x, runWasm(LeakyRelu, backend, { x }, { alpha: leakyreluAlpha }));
    case 'prelu':
      if (prelu === undefined) throw new Error('arcade-rl fused op: prelu activation without preluActivationWeights');
      return replace(backend, x, runWasm(Prelu, backend, { x, alpha: prelu }));
    default:
      release(backend, x);
      throw new Error(`arcade-rl fused op: unknown fused activation '${activation}'`);
  }
}
