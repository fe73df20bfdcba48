/**
 * Small helpers for kernels that run on the wasm backend: calling another wasm kernel from inside a kernel,
 * viewing tensor data on the wasm heap without copies, and freeing intermediates.
 *
 * Heap views are invalidated whenever the wasm memory grows (any allocation may grow it), so take views only after
 * the last allocation of a kernel, and never keep one across a call to another kernel.
 */
import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmKernelFunc = (args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs?: NamedAttrMap }) => TensorInfo;

/** The kernels of TF.js's own wasm backend that ours replace, saved before we replace them. */
const originals = new Map<string, WasmKernelFunc>();

export function saveOriginal(kernelName: string, kernelFunc: WasmKernelFunc): void {
  if (!originals.has(kernelName)) originals.set(kernelName, kernelFunc);
}

/** TF.js's own wasm kernel `kernelName` (not our replacement of it). */
export function wasmKernel(kernelName: string): WasmKernelFunc {
  const saved = originals.get(kernelName);
  if (saved !== undefined) return saved;
  const config = getKernel(kernelName, 'wasm');
  if (config === undefined) throw new Error(`arcade-rl: the wasm backend has no ${kernelName} kernel`);
  return config.kernelFunc as unknown as WasmKernelFunc;
}

/** Run TF.js's own wasm kernel `kernelName`. The result is owned by the caller. */
export function runWasm(kernelName: string, backend: BackendWasm, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  return wasmKernel(kernelName)({ inputs, backend, attrs });
}

/** A Float32Array over the tensor's bytes on the wasm heap (no copy). Valid until the next allocation. */
export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Free intermediates made inside a kernel. */
export function release(backend: BackendWasm, ...infos: Array<TensorInfo | undefined>): void {
  for (const info of infos) if (info !== undefined) backend.disposeData(info.dataId);
}

/** Frees `old` and returns `next`. */
export function replace(backend: BackendWasm, old: TensorInfo, next: TensorInfo): TensorInfo {
  release(backend, old);
  return next;
}

/** The shape the wasm backend recorded for the data of `info` (wasm kernels read it instead of `info.shape`). */
export function storedShape(backend: BackendWasm, info: TensorInfo): number[] {
  return backend.dataIdMap.get(info.dataId)?.shape ?? info.shape;
}

/** A copy of `info` seen with another shape of the same size (no data copy; shares the data id, which is not freed). */
export function withShape(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

export function assertFloat32(kernelName: string, ...infos: TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') throw new Error(`arcade-rl ${kernelName} on wasm supports float32 only, got ${info.dtype}`);
  }
}

/** The kernel input `name`, which must be present. */
export function input(kernelName: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const info = inputs[name];
  if (info === undefined) throw new Error(`arcade-rl ${kernelName}: missing input '${name}'`);
  return info;
}
