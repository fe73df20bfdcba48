/**
 * The optional OpenBLAS accelerator: loads the N-API addon that `npm install` builds when OpenBLAS and a C
 * compiler are present (core/backend/native/build.mjs), and adapts its sgemm to the small-net engine's interface.
 * Nothing here throws when the addon is absent: `loadOpenblas()` says why instead.
 */
import type { Sgemm } from '../nn/mlp/sgemm.ts';
import { isNode } from './wasm-files.ts';

/** Where the row-major operands of one product live: a Float32Array (or an ArrayBuffer such as the wasm heap). */
export type FloatStorage = Float32Array | ArrayBuffer;

/**
 * The addon's functions (core/backend/native/openblas.c). `C = alpha·op(A)·op(B) + beta·C`, row-major; offsets,
 * leading dimensions and strides count float32 elements from the start of each array. A stride of 0 repeats one
 * matrix across the batch. Extents are checked in C: a bad call throws a RangeError, never reads past an array.
 */
export interface OpenblasAddon {
  sgemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatStorage, aOffset: number, lda: number,
    b: FloatStorage, bOffset: number, ldb: number,
    beta: number, c: FloatStorage, cOffset: number, ldc: number,
  ): void;
  sgemmBatched(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: FloatStorage, aOffset: number, lda: number, aStride: number,
    b: FloatStorage, bOffset: number, ldb: number, bStride: number,
    beta: number, c: FloatStorage, cOffset: number, ldc: number, cStride: number, batch: number,
  ): void;
  /**
   * NHWC im2col into `cols` ([batch·OH·OW, KH·KW·C]) and its adjoint col2im (adds onto `dx`), as
   * core/backend/kernels/im2col.ts but with memcpy runs; geometry as in `ConvGeometry`.
   */
  im2col(x: FloatStorage, xOffset: number, cols: FloatStorage, colsOffset: number, ...geometry: ConvGeometry): void;
  col2im(cols: FloatStorage, colsOffset: number, dx: FloatStorage, dxOffset: number, ...geometry: ConvGeometry): void;
  /** OpenBLAS's own thread count (`openblas_set_num_threads`). */
  setThreads(n: number): void;
  getThreads(): number;
  /** `openblas_get_config()`, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  config(): string;
}

/** batch, H, W, C, OH, OW, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft. */
export type ConvGeometry = [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** The addon, or why it cannot be used. */
export type OpenblasLoad = { ok: true; addon: OpenblasAddon } | { ok: false; reason: string };

/** The one line that says how to get the addon. */
export const OPENBLAS_HOWTO =
  'apt-get install libopenblas-dev g++ make (Debian/Ubuntu) or brew install openblas (macOS), then npm run build:openblas';

const ADDON_URL = new URL('./native/build/openblas.node', import.meta.url);

let loaded: OpenblasLoad | undefined;

/** Loads the addon once (later calls return the same answer), pinned to one OpenBLAS thread until told otherwise. */
export async function loadOpenblas(): Promise<OpenblasLoad> {
  if (loaded !== undefined) return loaded;
  loaded = await tryLoad();
  return loaded;
}

async function tryLoad(): Promise<OpenblasLoad> {
  if (!isNode()) return { ok: false, reason: 'the OpenBLAS addon runs in Node only' };
  const { existsSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { createRequire } = await import('node:module');
  const path = fileURLToPath(ADDON_URL);
  if (!existsSync(path)) return { ok: false, reason: `the OpenBLAS addon is not built (no ${path}); ${OPENBLAS_HOWTO}` };
  try {
    const addon = createRequire(import.meta.url)(path) as OpenblasAddon;
    // OpenBLAS starts one thread per core; the actor threads want the other cores, so it runs on one until asked.
    addon.setThreads(1);
    return { ok: true, addon };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `the OpenBLAS addon failed to load (${why}); rebuild it: ${OPENBLAS_HOWTO}` };
  }
}

/** The small-net engine's `Sgemm` (row-major, `accumulate` = beta 1) on the addon. */
export function openblasSgemm(addon: OpenblasAddon): Sgemm {
  return (transA, transB, m, n, k, a, b, c, accumulate) =>
    addon.sgemm(transA, transB, m, n, k, 1, a, 0, Math.max(1, transA ? m : k), b, 0, Math.max(1, transB ? k : n), accumulate ? 1 : 0, c, 0, Math.max(1, n));
}
