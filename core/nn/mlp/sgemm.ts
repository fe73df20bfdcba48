/**
 * Single-precision matrix multiply on row-major Float32Arrays, behind a small interface so that a native BLAS
 * (an OpenBLAS `cblas_sgemm` addon) can replace the plain TypeScript loop without touching the engine.
 */

/**
 * `C[m x n] = op(A) . op(B)` (or `+=` when `accumulate`), row-major, where `op(A)` is `A` (`[m x k]`) or, with
 * `transA`, the transpose of an `A` stored as `[k x m]`; likewise `op(B)` is `B` (`[k x n]`) or, with `transB`,
 * the transpose of a `B` stored as `[n x k]`. Only the first `m*n` values of `c` are written.
 */
export type Sgemm = (transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean) => void;

/** Depth of a k-block: a `KC x n` panel of B (64 x 256 floats = 64 KB) stays in L2 while the rows of A pass over it. */
const KC = 64;

let transposeScratch = new Float32Array(0);

/**
 * The plain TypeScript sgemm: i-k-j order (the inner loop runs along rows of B and C, contiguous), four rows of C
 * at a time and k unrolled by 4, so every B value loaded feeds four multiply-adds and every C value is read and
 * written once per 4 steps of k; k is blocked by `KC` for cache. `transB` is done by transposing B into a scratch
 * buffer first (O(n*k), small next to the O(m*n*k) product), which grows to the largest B seen and is then reused.
 * Measured while choosing it (64x256x400, warm, 2-core EPYC): this 4x4 kernel ~6.2 GFLOP/s, 2 rows x 4 ~4.5,
 * 4 rows x 2 ~4.2, 1 row x 4 ~2.8; `npx tsx bench/train.ts` prints this one's figure.
 */
export const blockedSgemm: Sgemm = (transA, transB, m, n, k, a, b, c, accumulate) => {
  let bn = b;
  if (transB) {
    if (transposeScratch.length < n * k) transposeScratch = new Float32Array(n * k);
    transposeInto(b, n, k, transposeScratch);
    bn = transposeScratch;
  }
  if (!accumulate) c.fill(0, 0, m * n);
  // A(i, p) = a[i * rowStride + p * colStride]
  const rowStride = transA ? 1 : k;
  const colStride = transA ? m : 1;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(k, p0 + KC);
    let i = 0;
    for (; i + 3 < m; i += 4) multiplyFourRows(a, i * rowStride, rowStride, colStride, bn, c, i * n, n, p0, p1);
    for (; i < m; i++) multiplyOneRow(a, i * rowStride, colStride, bn, c, i * n, n, p0, p1);
  }
};

/** Rows i..i+3 of C (starting at `r0`) `+= A(i.., p) B(p, :)` for p in [p0, p1); row i of A starts at `a0`. */
function multiplyFourRows(a: Float32Array, a0: number, rs: number, cs: number, b: Float32Array, c: Float32Array, r0: number, n: number, p0: number, p1: number): void {
  const a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
  const r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
  let p = p0;
  for (; p + 3 < p1; p += 4) {
    const q0 = p * cs, q1 = q0 + cs, q2 = q1 + cs, q3 = q2 + cs;
    const x0 = a[a0 + q0], x1 = a[a0 + q1], x2 = a[a0 + q2], x3 = a[a0 + q3];
    const y0 = a[a1 + q0], y1 = a[a1 + q1], y2 = a[a1 + q2], y3 = a[a1 + q3];
    const z0 = a[a2 + q0], z1 = a[a2 + q1], z2 = a[a2 + q2], z3 = a[a2 + q3];
    const w0 = a[a3 + q0], w1 = a[a3 + q1], w2 = a[a3 + q2], w3 = a[a3 + q3];
    const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < n; j++) {
      const v0 = b[b0 + j], v1 = b[b1 + j], v2 = b[b2 + j], v3 = b[b3 + j];
      c[r0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
      c[r1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
      c[r2 + j] += z0 * v0 + z1 * v1 + z2 * v2 + z3 * v3;
      c[r3 + j] += w0 * v0 + w1 * v1 + w2 * v2 + w3 * v3;
    }
  }
  for (; p < p1; p++) {
    const q = p * cs;
    const x = a[a0 + q], y = a[a1 + q], z = a[a2 + q], w = a[a3 + q];
    const bp = p * n;
    for (let j = 0; j < n; j++) {
      const v = b[bp + j];
      c[r0 + j] += x * v;
      c[r1 + j] += y * v;
      c[r2 + j] += z * v;
      c[r3 + j] += w * v;
    }
  }
}

function multiplyOneRow(a: Float32Array, a0: number, cs: number, b: Float32Array, c: Float32Array, r0: number, n: number, p0: number, p1: number): void {
  let p = p0;
  for (; p + 3 < p1; p += 4) {
    const x0 = a[a0 + p * cs], x1 = a[a0 + (p + 1) * cs], x2 = a[a0 + (p + 2) * cs], x3 = a[a0 + (p + 3) * cs];
    const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
    for (let j = 0; j < n; j++) c[r0 + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
  }
  for (; p < p1; p++) {
    const x = a[a0 + p * cs];
    const bp = p * n;
    for (let j = 0; j < n; j++) c[r0 + j] += x * b[bp + j];
  }
}

/** `out[k x n]` = transpose of `src[n x k]`. */
function transposeInto(src: Float32Array, n: number, k: number, out: Float32Array): void {
  for (let j = 0; j < n; j++) {
    const row = j * k;
    for (let p = 0; p < k; p++) out[p * n + j] = src[row + p];
  }
}

/** The textbook triple loop in float64, for tests. */
export const referenceSgemm: Sgemm = (transA, transB, m, n, k, a, b, c, accumulate) => {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? c[i * n + j] : 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  }
};

let defaultSgemm: Sgemm = blockedSgemm;

/** The sgemm new engines use: `blockedSgemm` unless a native one was installed with `setDefaultSgemm`. */
export function getDefaultSgemm(): Sgemm {
  return defaultSgemm;
}

/** Installs a native sgemm (e.g. an OpenBLAS addon's) for engines created from now on; null restores `blockedSgemm`. */
export function setDefaultSgemm(impl: Sgemm | null): void {
  defaultSgemm = impl ?? blockedSgemm;
}
