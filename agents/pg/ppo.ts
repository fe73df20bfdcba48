import { Optimizer, tf, type Env } from '../../core/index.ts';
import { readPGCheckpoint } from './checkpoint.ts';
import { resolvePPOConfig, type PPOConfig } from './config.ts';
import { normalizeAdvantages, ppoClippedLoss, valueLoss } from './losses.ts';
import { OnPolicyAgent } from './on-policy.ts';
import type { Minibatch } from './rollout-buffer.ts';
import type { VectorEnvLike } from './vector-env.ts';

const STATS = ['losses/policy_loss', 'losses/value_loss', 'losses/entropy', 'losses/approx_kl', 'losses/old_approx_kl', 'losses/clipfrac'] as const;

/**
 * Proximal Policy Optimization (Schulman et al. 2017) as CleanRL's `ppo.py` does it: vector-env rollouts, GAE(lambda),
 * the clipped surrogate, an (optionally clipped) value loss, an entropy bonus, shuffled minibatch epochs with
 * per-minibatch advantage normalisation, global gradient-norm clipping, learning-rate annealing and an optional
 * target-KL early stop. Discrete (categorical) or continuous (diagonal Gaussian) actions.
 *
 * `new PPO(env, config)` takes a vector env (`SyncVectorEnv`, `makeVec`) or a single env; `learn`, `predict`,
 * `save`, `PPO.load`, as DQN.
 */
export class PPO extends OnPolicyAgent<PPOConfig> {
  protected readonly checkpointKind = 'ppo';
  private readonly minibatch: Minibatch;
  private readonly sums = new Float64Array(STATS.length);

  constructor(env: Env<unknown, unknown> | VectorEnvLike, config: Partial<PPOConfig> = {}) {
    super(env, resolvePPOConfig(config), (c) => new Optimizer({ name: c.optimizer, learningRate: c.learningRate, epsilon: c.adamEpsilon }));
    this.minibatch = this.buffer.makeMinibatch(Math.ceil(this.buffer.size / this.config.numMinibatches));
  }

  protected update(progress: number): Record<string, number> {
    const cfg = this.config;
    const clip = cfg.annealClip ? cfg.clipCoef * (1 - progress) : cfg.clipCoef;
    const mbSize = Math.ceil(this.buffer.size / cfg.numMinibatches);
    this.sums.fill(0);
    let count = 0;
    let lastKl = 0;
    let epochs = 0;
    for (let epoch = 0; epoch < cfg.updateEpochs; epoch++) {
      const order = this.buffer.shuffledValidIndices(this.rng);
      for (let start = 0; start < order.length; start += mbSize) {
        this.buffer.gather(order, start, Math.min(order.length, start + mbSize), this.minibatch);
        const stats = this.minibatchStep(this.minibatch, Math.max(clip, 1e-8));
        for (let s = 0; s < STATS.length; s++) this.sums[s] += stats[s];
        lastKl = stats[3];
        count++;
      }
      epochs++;
      if (cfg.targetKl !== null && lastKl > cfg.targetKl) break;
    }
    const metrics: Record<string, number> = {};
    STATS.forEach((name, s) => (metrics[name] = this.sums[s] / Math.max(1, count)));
    const valid = this.buffer.shuffledValidIndices(null);
    const ev = this.buffer.explainedVariance(valid);
    if (Number.isFinite(ev)) metrics['losses/explained_variance'] = ev; // NaN when the returns do not vary
    metrics['charts/clip_coef'] = clip;
    metrics['charts/epochs'] = epochs;
    return metrics;
  }

  /** One gradient step on a minibatch; returns [policy loss, value loss, entropy, approx_kl, old_approx_kl, clipfrac]. */
  private minibatchStep(mb: Minibatch, clip: number): Float32Array {
    const cfg = this.config;
    const policy = this.policy;
    const m = mb.size;
    const stats = tf.tidy(() => {
      const obs = tf.tensor(mb.observations.subarray(0, m * policy.encoder.size), [m, ...policy.encoder.inputShape]);
      const actions = policy.actionTensor(mb.actions.subarray(0, m * this.buffer.actionSize), m);
      const oldLogProb = tf.tensor1d(mb.logProbs.subarray(0, m));
      const rawAdv = tf.tensor1d(mb.advantages.subarray(0, m));
      const advantages = cfg.normAdv ? normalizeAdvantages(rawAdv) : rawAdv;
      const returns = tf.tensor1d(mb.returns.subarray(0, m));
      const oldValues = tf.tensor1d(mb.values.subarray(0, m));
      let kept: tf.Tensor1D | undefined;
      const { grads } = tf.variableGrads(() => {
        const out = policy.forward(obs);
        const logProb = policy.logProb(out.params, actions);
        const entropy = policy.entropy(out.params).mean() as tf.Scalar;
        const pg = ppoClippedLoss(logProb, oldLogProb, advantages, clip);
        const vLoss = valueLoss(out.value as tf.Tensor1D, returns, oldValues, cfg.clipVloss ? clip : null);
        kept = tf.keep(tf.stack([pg.loss, vLoss, entropy, pg.approxKl, pg.oldApproxKl, pg.clipfrac]) as tf.Tensor1D);
        return pg.loss.sub(entropy.mul(cfg.entCoef)).add(vLoss.mul(cfg.vfCoef)) as tf.Scalar;
      }, policy.variables);
      this.optimizer.apply(policy.variables, policy.variables.map((v) => grads[v.name]), { maxGradNorm: cfg.maxGradNorm });
      return kept as tf.Tensor1D;
    });
    const data = stats.dataSync() as Float32Array;
    stats.dispose();
    return data;
  }

  /**
   * Rebuilds an agent from a checkpoint for `env` (a vector env or a single env; the number of sub-envs may differ
   * from the saved run's). Another agent kind, layout version or spaces are an `InvalidInputError` naming the mismatch.
   */
  static async load(path: string, env: Env<unknown, unknown> | VectorEnvLike, overrides: Partial<PPOConfig> = {}): Promise<PPO> {
    const spaces = 'numEnvs' in env ? { observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace } : env;
    const ckpt = readPGCheckpoint(path, 'ppo', spaces);
    const agent = new PPO(env, { ...(ckpt.config as Partial<PPOConfig>), ...overrides });
    agent.restore(ckpt.apply);
    return agent;
  }
}

