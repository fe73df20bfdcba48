import { ArcadeError } from '../../core/index.ts';

/**
 * Eigendecomposition of a symmetric `n x n` matrix (row-major) by cyclic Jacobi rotations: `a = v diag(values) v^T`.
 * Writes the eigenvalues to `values` and the eigenvectors to the columns of `vectors` (row-major, `vectors[i*n+j]`
 * is component i of vector j). `a` is left untouched. Plain TypeScript, O(n^3) per sweep, a few sweeps: fine for
 * the genomes full CMA-ES is meant for (a few hundred parameters).
 */
export function symmetricEigen(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array, maxSweeps = 100): void {
  const m = a.slice();
  vectors.fill(0);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] ** 2;
      for (let j = i + 1; j < n; j++) off += m[i * n + j] ** 2;
    }
    if (off <= 1e-30 * diag || off === 0) break;
    if (sweep === maxSweeps - 1) throw new ArcadeError(`symmetricEigen: no convergence after ${maxSweeps} sweeps (off-diagonal norm ${Math.sqrt(off)})`);
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        // Rotation angle that zeroes m[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = vectors[k * n + p];
          const vkq = vectors[k * n + q];
          vectors[k * n + p] = c * vkp - s * vkq;
          vectors[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
}
