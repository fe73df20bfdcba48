/**
 * The kernels' route to the OpenBLAS addon: when `useBackend('wasm+openblas')` installs it here, matMul, conv and
 * conv-gradient kernels hand their products to OpenBLAS, which reads and writes the wasm heap in place.
 */
import { broadcast_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { OpenblasAddon } from '../openblas.ts';
import { heapF32 } from './wasm-heap.ts';

let blas: OpenblasAddon | undefined;

/** Routes the wasm kernels through `addon` (undefined: back to the wasm matMul). */
export function setKernelBlas(addon: OpenblasAddon | undefined): void {
  blas = addon;
}

export function kernelBlas(): OpenblasAddon | undefined {
  return blas;
}

/**
 * `a·b` (each optionally transposed on its last two axes, batch axes broadcast as tf.matMul does) into a new
 * tensor, by OpenBLAS on the heap. With `biasRow`, every output row starts as that row of n values (so the product
 * is added to it, in one pass, beta = 1).
 */
export function blasMatMul(
  addon: OpenblasAddon,
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  biasRow?: TensorInfo,
): TensorInfo {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) throw new Error(`arcade-rl matMul: inner dimensions differ (${a.shape} and ${b.shape}, transposes ${transposeA}, ${transposeB})`);
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchShape = broadcast_util.assertAndGetBroadcastShape(batchShapeA, batchShapeB);
  const batch = util.sizeFromShape(batchShape);
  const out = backend.makeOutput([...batchShape, m, n], 'float32');
  // Views only now: makeOutput may have grown (and so detached) the heap.
  const av = heapF32(backend, a);
  const bv = heapF32(backend, b);
  const cv = heapF32(backend, out);
  let beta = 0;
  if (biasRow !== undefined) {
    // Double the filled rows each pass: log2(rows) memmoves instead of one call per row (12,800 rows for a conv).
    const total = batch * m * n;
    if (total > 0) cv.set(heapF32(backend, biasRow));
    for (let filled = n; filled < total; filled *= 2) cv.copyWithin(filled, 0, Math.min(filled, total - filled));
    beta = 1;
  }
  const lda = Math.max(1, transposeA ? m : k);
  const ldb = Math.max(1, transposeB ? k : n);
  const ldc = Math.max(1, n);
  const sizeA = m * k;
  const sizeB = k * n;
  const batchA = util.sizeFromShape(batchShapeA);
  const batchB = util.sizeFromShape(batchShapeB);
  if (!transposeA && batchB === 1) {
    // Every batch of a times one b: a single product with the batch folded into the rows.
    addon.sgemm(false, transposeB, batch * m, n, k, 1, av, 0, lda, bv, 0, ldb, beta, cv, 0, ldc);
  } else if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) {
    addon.sgemmBatched(transposeA, transposeB, m, n, k, 1, av, 0, lda, batchA === 1 ? 0 : sizeA, bv, 0, ldb, batchB === 1 ? 0 : sizeB, beta, cv, 0, ldc, m * n, batch);
  } else {
    // Broadcast over some batch axes only (e.g. [2,1] against [1,3]): one product per output matrix.
    const strides = util.computeStrides(batchShape);
    const rank = batchShape.length;
    for (let i = 0; i < batch; i++) {
      let ia = 0;
      let ib = 0;
      let rest = i;
      for (let d = 0; d < rank; d++) {
        const index = d < rank - 1 ? Math.floor(rest / strides[d]) : rest;
        if (d < rank - 1) rest -= index * strides[d];
        const da = d - (rank - batchShapeA.length);
        const db = d - (rank - batchShapeB.length);
        if (da >= 0) ia = ia * batchShapeA[da] + (batchShapeA[da] === 1 ? 0 : index);
        if (db >= 0) ib = ib * batchShapeB[db] + (batchShapeB[db] === 1 ? 0 : index);
      }
      addon.sgemm(transposeA, transposeB, m, n, k, 1, av, ia * sizeA, lda, bv, ib * sizeB, ldb, beta, cv, i * m * n, ldc);
    }
  }
  return out;
}
