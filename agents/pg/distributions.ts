/**
 * Action distributions of the policy-gradient agents: log-probabilities and entropies as TF.js ops (for the loss,
 * call inside `tf.tidy`), and sampling on plain arrays with the agent's seeded `Rng` (for acting).
 */
import { tf, type Rng } from '../../core/index.ts';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log pi(a|s) of a categorical over `logits` [batch, n]; `actions` [batch] int32 indices. */
export function categoricalLogProb(logits: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
  return tf.logSoftmax(logits).mul(tf.oneHot(actions, logits.shape[1])).sum(1) as tf.Tensor1D;
}

/** Entropy -sum p log p of a categorical over `logits` [batch, n], per row. */
export function categoricalEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  const logp = tf.logSoftmax(logits);
  return logp.exp().mul(logp).sum(1).neg() as tf.Tensor1D;
}

/** log pi(a|s) of a diagonal Gaussian N(mean, exp(logStd)^2), summed over the action dimensions: [batch]. */
export function gaussianLogProb(mean: tf.Tensor2D, logStd: tf.Tensor1D, actions: tf.Tensor2D): tf.Tensor1D {
  const z = actions.sub(mean).div(logStd.exp());
  return z.square().mul(-0.5).sub(logStd).sub(HALF_LOG_2PI).sum(1) as tf.Tensor1D;
}

/** Entropy of a diagonal Gaussian, sum over dimensions of logStd + 0.5 log(2 pi e), repeated for `batch` rows. */
export function gaussianEntropy(logStd: tf.Tensor1D, batch: number): tf.Tensor1D {
  return logStd.add(0.5 + HALF_LOG_2PI).sum().reshape([1]).tile([batch]) as tf.Tensor1D;
}

/**
 * Samples from the categorical whose logits are `logits[offset .. offset + n)`; greedy (argmax) when
 * `deterministic`. Returns the action and writes nothing; `logProbOf` gives its log-probability.
 */
export function sampleCategorical(logits: ArrayLike<number>, offset: number, n: number, rng: Rng, deterministic: boolean): number {
  let max = -Infinity;
  let best = 0;
  for (let j = 0; j < n; j++) {
    const l = logits[offset + j];
    if (l > max) {
      max = l;
      best = j;
    }
  }
  if (deterministic) return best;
  let total = 0;
  for (let j = 0; j < n; j++) total += Math.exp(logits[offset + j] - max);
  let u = rng.random() * total;
  for (let j = 0; j < n; j++) {
    u -= Math.exp(logits[offset + j] - max);
    if (u < 0) return j;
  }
  return n - 1; // rounding left u a hair above zero
}

/** log softmax(logits[offset .. offset + n))[action]. */
export function categoricalLogProbOf(logits: ArrayLike<number>, offset: number, n: number, action: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) max = Math.max(max, logits[offset + j]);
  let total = 0;
  for (let j = 0; j < n; j++) total += Math.exp(logits[offset + j] - max);
  return logits[offset + action] - max - Math.log(total);
}

/**
 * Samples a diagonal Gaussian row: `out[outOffset + j] = mean[offset + j] + exp(logStd[j]) * noise` (noise 0 when
 * `deterministic`) and returns the log-probability of the sample.
 */
export function sampleGaussian(
  mean: ArrayLike<number>,
  offset: number,
  logStd: ArrayLike<number>,
  rng: Rng,
  deterministic: boolean,
  out: Float32Array,
  outOffset: number,
): number {
  let logp = 0;
  for (let j = 0; j < logStd.length; j++) {
    const z = deterministic ? 0 : rng.normal();
    out[outOffset + j] = mean[offset + j] + Math.exp(logStd[j]) * z;
    logp += -0.5 * z * z - logStd[j] - HALF_LOG_2PI;
  }
  return logp;
}
