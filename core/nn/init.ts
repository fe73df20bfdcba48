import type { Rng } from '../rng.ts';

/**
 * PyTorch's default initialisation of `nn.Linear` and `nn.Conv2d` (kaiming_uniform with a = sqrt(5)), which is
 * what the reference implementations (CleanRL, Stable-Baselines3 DQN) train with: weights and biases uniform in
 * [-1/sqrt(fanIn), 1/sqrt(fanIn)]. Drawn from our seeded Rng so that a seed fixes the initial network.
 */
export function torchDefaultUniform(size: number, fanIn: number, rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = (2 * rng.random() - 1) * bound;
  return out;
}

/** Orthogonal initialisation (Saxe et al. 2014) of a [rows, cols] matrix scaled by `gain`, as PPO implementations use. */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  // Gram-Schmidt on a Gaussian matrix of the taller orientation, then transpose back if needed.
  const tall = rows >= cols;
  const r = tall ? rows : cols;
  const c = tall ? cols : rows;
  const q = new Float64Array(r * c);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  for (let j = 0; j < c; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < r; i++) dot += q[i * c + j] * q[i * c + k];
      for (let i = 0; i < r; i++) q[i * c + j] -= dot * q[i * c + k];
    }
    let norm = 0;
    for (let i = 0; i < r; i++) norm += q[i * c + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < r; i++) q[i * c + j] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (tall ? q[i * c + j] : q[j * c + i]);
  return out;
}
