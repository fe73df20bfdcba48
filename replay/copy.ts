import type { ObsStorage } from './types.ts';

/** Below this many elements a plain loop beats a native `set` on a subarray view. */
const NATIVE_COPY_MIN = 64;

type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

function isTypedArray(a: ArrayLike<number>): a is NumericTypedArray {
  return ArrayBuffer.isView(a);
}

/**
 * `dst[dstOff + i] = src[srcOff + i]` for `i < len`. Long runs from a typed array go through the native `set`
 * (one view object, no data copy in between); short runs and plain arrays through a loop.
 */
export function copyRun(src: ArrayLike<number>, srcOff: number, dst: ObsStorage | Float32Array, dstOff: number, len: number): void {
  if (len >= NATIVE_COPY_MIN && isTypedArray(src)) {
    if (srcOff === 0 && src.length === len) dst.set(src, dstOff);
    else dst.set(src.subarray(srcOff, srcOff + len), dstOff);
    return;
  }
  for (let i = 0; i < len; i++) dst[dstOff + i] = src[srcOff + i];
}

/** Copies a run that lies inside `src` described by a per-row view (`views[row]`) when one exists. */
export function copyRow(src: ObsStorage, views: readonly ObsStorage[] | null, row: number, rowSize: number, dst: ObsStorage, dstOff: number): void {
  if (views !== null) {
    dst.set(views[row], dstOff);
    return;
  }
  const base = row * rowSize;
  for (let i = 0; i < rowSize; i++) dst[dstOff + i] = src[base + i];
}

/** One subarray view per row of `data`, for allocation-free native copies of long rows; null for short rows. */
export function rowViews(data: ObsStorage, rows: number, rowSize: number): ObsStorage[] | null {
  if (rowSize < NATIVE_COPY_MIN) return null;
  const views = new Array<ObsStorage>(rows);
  for (let r = 0; r < rows; r++) views[r] = data.subarray(r * rowSize, (r + 1) * rowSize);
  return views;
}

export function makeStorage(dtype: 'float32' | 'uint8', length: number): ObsStorage {
  return dtype === 'uint8' ? new Uint8Array(length) : new Float32Array(length);
}
