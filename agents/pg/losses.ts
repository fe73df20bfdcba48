/**
 * The policy-gradient losses as TF.js ops on minibatch tensors; call inside `tf.tidy` / `tf.variableGrads`.
 * Conventions follow CleanRL's `ppo.py` (which matches Stable-Baselines3 and OpenAI baselines).
 */
import { tf } from '../../core/index.ts';

export interface ClippedPolicyLoss {
  /** mean(max(-A r, -A clip(r, 1 - eps, 1 + eps))): the loss to minimise (Schulman et al. 2017, eq. 7, negated). */
  loss: tf.Scalar;
  /** mean((r - 1) - log r): the low-variance KL(old || new) estimator (Schulman's "Approximating KL divergence"). */
  approxKl: tf.Scalar;
  /** mean(-log r): the naive KL estimator, logged for comparison. */
  oldApproxKl: tf.Scalar;
  /** Share of samples whose ratio left [1 - eps, 1 + eps]. */
  clipfrac: tf.Scalar;
}

/** PPO's clipped surrogate; `newLogProb`, `oldLogProb`, `advantages` are [batch]. */
export function ppoClippedLoss(newLogProb: tf.Tensor1D, oldLogProb: tf.Tensor1D, advantages: tf.Tensor1D, clip: number): ClippedPolicyLoss {
  const logRatio = newLogProb.sub(oldLogProb);
  const ratio = logRatio.exp();
  const unclipped = advantages.neg().mul(ratio);
  const clipped = advantages.neg().mul(ratio.clipByValue(1 - clip, 1 + clip));
  return {
    loss: tf.maximum(unclipped, clipped).mean() as tf.Scalar,
    approxKl: ratio.sub(1).sub(logRatio).mean() as tf.Scalar,
    oldApproxKl: logRatio.neg().mean() as tf.Scalar,
    clipfrac: ratio.sub(1).abs().greater(clip).cast('float32').mean() as tf.Scalar,
  };
}

/**
 * 0.5 * mean((V - R)^2), or with `clip` (PPO's value clipping, CleanRL `clip_vloss`):
 * 0.5 * mean(max((V - R)^2, (V_old + clip(V - V_old, -clip, clip) - R)^2)). Pass `clip = null` for the plain loss.
 */
export function valueLoss(values: tf.Tensor1D, returns: tf.Tensor1D, oldValues: tf.Tensor1D | null, clip: number | null): tf.Scalar {
  const unclipped = values.sub(returns).square();
  if (clip === null || oldValues === null) return unclipped.mean().mul(0.5) as tf.Scalar;
  const clippedValues = oldValues.add(values.sub(oldValues).clipByValue(-clip, clip));
  const clipped = clippedValues.sub(returns).square();
  return tf.maximum(unclipped, clipped).mean().mul(0.5) as tf.Scalar;
}

/** (A - mean A) / (std A + 1e-8) with the unbiased std, as CleanRL does per minibatch (torch `Tensor.std`). */
export function normalizeAdvantages(advantages: tf.Tensor1D): tf.Tensor1D {
  const n = advantages.shape[0];
  const mean = advantages.mean();
  const centered = advantages.sub(mean);
  if (n < 2) return centered as tf.Tensor1D;
  const std = centered.square().sum().div(n - 1).sqrt();
  return centered.div(std.add(1e-8)) as tf.Tensor1D;
}

/** Vanilla policy gradient (REINFORCE, A2C): -mean(log pi(a|s) * A). */
export function policyGradientLoss(logProb: tf.Tensor1D, advantages: tf.Tensor1D): tf.Scalar {
  return logProb.mul(advantages).mean().neg() as tf.Scalar;
}
