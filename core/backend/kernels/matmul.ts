/**
 * `BatchMatMul` and `_FusedMatMul` for the wasm backend that transpose first and then run TF.js's fast path.
 *
 * Why: TF.js wasm 4.22 uses its fast XNNPACK matMul only when neither input is transposed; with `transposeA` or
 * `transposeB` it runs a generic loop 10-60x slower, and backprop is made of transposed matMuls. Transposing an
 * input with the wasm `Transpose` kernel costs O(size) and then the fast path applies.
 * Also: wasm 4.22's `_FusedMatMul` returns wrong values (measured: off by up to 2.6 against cpu) when it is given
 * a transpose together with a bias, and when it adds a bias to a batch of more than one matrix. So the
 * replacement never passes it a transpose, folds a batch of `a` into rows, and does a batched `b`, a bias that is
 * not one value per column, and prelu with the separate wasm kernels.
 * With the OpenBLAS addon installed (`wasm+openblas`, see blas.ts) all three hand the product to OpenBLAS instead,
 * transposes included, since cblas_sgemm is fast on every layout.
 */
import {
  Add,
  BatchMatMul,
  Transpose,
  _FusedMatMul,
  broadcast_util,
  util,
  type BatchMatMulAttrs,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
  type _FusedMatMulAttrs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { applyActivation, NATIVE_ACTIVATIONS } from './activation.ts';
import { blasMatMul, kernelBlas } from './blas.ts';
import { assertFloat32, input, release, replace, runWasm, storedShape, withShape } from './wasm-heap.ts';

/**
 * `x` with its last two axes swapped, as a new tensor on the wasm heap, by TF.js's wasm `Transpose` kernel. (A
 * blocked JS copy on the heap was measured too: 2-4x slower on the skinny shapes of training, e.g. 64x400 or
 * 3200x36, and only ~1.3x faster on large square ones.)
 */
export function transposeLast2(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = x.shape.map((_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return runWasm(Transpose, backend, { x }, { perm });
}

/** a·b (each optionally transposed) through OpenBLAS when installed, else the fast untransposed wasm path. */
export function fastMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const blas = kernelBlas();
  if (blas !== undefined) return blasMatMul(blas, backend, a, b, transposeA, transposeB);
  const at = transposeA ? transposeLast2(backend, a) : undefined;
  const bt = transposeB ? transposeLast2(backend, b) : undefined;
  try {
    return runWasm(BatchMatMul, backend, { a: at ?? a, b: bt ?? b }, { transposeA: false, transposeB: false });
  } finally {
    release(backend, at, bt);
  }
}

/**
 * Whether transposing first beats TF.js's transposed loop. Per output element the loop costs ~k multiply-adds at
 * ~1.5 GFLOP/s, transposing costs a few ns per element moved, and each extra kernel call ~2 µs; fitted on
 * m, n, k in {2, 6, 16, 64, 256} on this machine: transposing loses when the product is tiny or has very few rows
 * (m) or columns (n), e.g. a·bᵀ with m = 2, k = n = 256 takes 117 µs in the loop and 560 µs transposed.
 */
export function transposeFirstPays(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): boolean {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const moved = (transposeA ? util.sizeFromShape(a.shape) : 0) + (transposeB ? util.sizeFromShape(b.shape) : 0);
  const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
  return batch * m * n * k >= 3 * moved + 2000;
}

export function batchMatMul(args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs?: NamedAttrMap }): TensorInfo {
  const a = input(BatchMatMul, args.inputs, 'a');
  const b = input(BatchMatMul, args.inputs, 'b');
  const { transposeA, transposeB } = (args.attrs ?? {}) as unknown as BatchMatMulAttrs;
  assertFloat32(BatchMatMul, a, b);
  const blas = kernelBlas();
  if (blas !== undefined) return blasMatMul(blas, args.backend, a, b, transposeA, transposeB);
  if ((transposeA || transposeB) && !transposeFirstPays(a, b, transposeA, transposeB)) {
    return runWasm(BatchMatMul, args.backend, { a, b }, { transposeA, transposeB });
  }
  return fastMatMul(args.backend, a, b, transposeA, transposeB);
}

export function fusedMatMul(args: { inputs: NamedTensorInfoMap; backend: BackendWasm; attrs?: NamedAttrMap }): TensorInfo {
  const { backend } = args;
  const a = input(_FusedMatMul, args.inputs, 'a');
  const b = input(_FusedMatMul, args.inputs, 'b');
  const { bias, preluActivationWeights } = args.inputs;
  const attrs = (args.attrs ?? {}) as unknown as _FusedMatMulAttrs;
  const activation = attrs.activation ?? 'linear';
  const leakyreluAlpha = attrs.leakyreluAlpha ?? 0.2;
  assertFloat32(_FusedMatMul, a, b);
  const blas = kernelBlas();
  if (blas !== undefined) {
    const transposeA = attrs.transposeA ?? false;
    const transposeB = attrs.transposeB ?? false;
    const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
    // A bias of one value per column (shape [n], [1, n], ...) seeds the output rows, so OpenBLAS adds onto it.
    const rowBias = bias !== undefined && bias.shape[bias.shape.length - 1] === n && util.sizeFromShape(bias.shape) === n;
    let y = blasMatMul(blas, backend, a, b, transposeA, transposeB, rowBias ? bias : undefined);
    if (bias !== undefined && !rowBias) y = replace(backend, y, runWasm(Add, backend, { a: y, b: bias }));
    return applyActivation(backend, y, activation, leakyreluAlpha, preluActivationWeights);
  }

  const at = attrs.transposeA ? transposeLast2(backend, a) : undefined;
  const bt = attrs.transposeB ? transposeLast2(backend, b) : undefined;
  const a2 = at ?? a;
  const b2 = bt ?? b;
  const [m, k] = a2.shape.slice(-2);
  const n = b2.shape[b2.shape.length - 1];
  const batchA = util.sizeFromShape(a2.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b2.shape.slice(0, -2));
  try {
    // The wasm kernel adds only a rank-1 bias of length n, and adds it wrongly when the batch is over 1 (rows after
    // the first of each batch get other values). So a batch that only `a` has is folded into its rows, and a batched
    // `b` goes through the separate kernels.
    // (It reads the bias shape from its own records, not from the TensorInfo, so a reshaped view does not count.)
    const native =
      batchB === 1 && (bias === undefined || storedShape(backend, bias).join() === `${n}`) && NATIVE_ACTIVATIONS.has(activation);
    if (native) {
      const inputs: NamedTensorInfoMap = { a: withShape(a2, [1, batchA * m, k]), b: withShape(b2, [1, k, n]) };
      if (bias !== undefined) inputs.bias = bias;
      const out = runWasm(_FusedMatMul, backend, inputs, { transposeA: false, transposeB: false, activation, leakyreluAlpha });
      const batchShape = broadcast_util.assertAndGetBroadcastShape(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
      (out as { shape: number[] }).shape = [...batchShape, m, n];
      return out;
    }
    let y = runWasm(BatchMatMul, backend, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
    if (bias !== undefined) y = replace(backend, y, runWasm(Add, backend, { a: y, b: bias }));
    return applyActivation(backend, y, activation, leakyreluAlpha, preluActivationWeights);
  } finally {
    release(backend, at, bt);
  }
}
