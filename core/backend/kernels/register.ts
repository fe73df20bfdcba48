/**
 * Puts arcade-rl's wasm kernels in place of (or next to) TF.js's own, and can put TF.js's back.
 * Must run after the wasm backend is initialised: TF.js's kernels keep their C function handles in module state
 * that their `setupFunc` fills at backend init, and our kernels call them.
 */
import {
  BatchMatMul,
  Conv2D,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  getKernel,
  registerKernel,
  unregisterKernel,
  FusedConv2D,
  _FusedMatMul,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { conv2D, fusedConv2D } from './conv2d.ts';
import { conv2DBackpropFilter, conv2DBackpropInput } from './conv2d-backprop.ts';
import { batchMatMul, fusedMatMul } from './matmul.ts';
import { saveOriginal, type WasmKernelFunc } from './wasm-heap.ts';

/** Kernel name → our wasm implementation. */
export const WASM_KERNELS: Readonly<Record<string, WasmKernelFunc>> = {
  [BatchMatMul]: batchMatMul,
  [_FusedMatMul]: fusedMatMul,
  [Conv2D]: conv2D,
  [FusedConv2D]: fusedConv2D,
  [Conv2DBackpropFilter]: conv2DBackpropFilter,
  [Conv2DBackpropInput]: conv2DBackpropInput,
};

/** TF.js's configs we displaced (undefined: TF.js has no such wasm kernel). */
const displaced = new Map<string, KernelConfig | undefined>();

export function wasmKernelsRegistered(): boolean {
  return displaced.size > 0;
}

/** Register our wasm kernels (idempotent). */
export function registerWasmKernels(): void {
  if (displaced.size > 0) return;
  for (const [kernelName, kernelFunc] of Object.entries(WASM_KERNELS)) {
    const original = getKernel(kernelName, 'wasm');
    displaced.set(kernelName, original);
    if (original !== undefined) {
      saveOriginal(kernelName, original.kernelFunc as unknown as WasmKernelFunc);
      unregisterKernel(kernelName, 'wasm');
    }
    const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
    // Keep TF.js's setup, so its C handles are filled again if the wasm backend is ever re-initialised.
    if (original?.setupFunc !== undefined) config.setupFunc = original.setupFunc;
    registerKernel(config);
  }
}

/** Put TF.js's own wasm kernels back (idempotent). */
export function unregisterWasmKernels(): void {
  for (const [kernelName, original] of displaced) {
    unregisterKernel(kernelName, 'wasm');
    if (original !== undefined) registerKernel(original);
  }
  displaced.clear();
}
