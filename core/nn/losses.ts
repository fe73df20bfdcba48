import { tf } from '../backend/index.ts';

/** Mean Huber loss with delta 1 (torch `smooth_l1_loss`, SB3 DQN). Optional per-sample weights (prioritized replay). */
export function huberLoss(pred: tf.Tensor1D, target: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  const diff = pred.sub(target).abs();
  const quad = tf.minimum(diff, 1);
  const per = quad.square().mul(0.5).add(diff.sub(quad));
  return (weights === undefined ? per.mean() : per.mul(weights).mean()) as tf.Scalar;
}

/** Mean squared error (CleanRL DQN). Optional per-sample weights. */
export function mseLoss(pred: tf.Tensor1D, target: tf.Tensor1D, weights?: tf.Tensor1D): tf.Scalar {
  const per = pred.sub(target).square();
  return (weights === undefined ? per.mean() : per.mul(weights).mean()) as tf.Scalar;
}
