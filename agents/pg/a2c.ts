import { Optimizer, tf, type Env } from '../../core/index.ts';
import { readPGCheckpoint } from './checkpoint.ts';
import { resolveA2CConfig, type A2CConfig } from './config.ts';
import { normalizeAdvantages, policyGradientLoss, valueLoss } from './losses.ts';
import { OnPolicyAgent } from './on-policy.ts';
import type { Minibatch } from './rollout-buffer.ts';
import type { VectorEnvLike } from './vector-env.ts';

/**
 * Advantage actor-critic (A2C, the synchronous A3C of Mnih et al. 2016) after Stable-Baselines3's `A2C`: n-step
 * rollouts from every sub-env (GAE with lambda = 1 is the plain n-step return), then one gradient step on
 * -mean(log pi(a|s) A) + vfCoef * value loss - entCoef * entropy, RMSprop, gradient-norm clipping.
 */
export class A2C extends OnPolicyAgent<A2CConfig> {
  protected readonly checkpointKind = 'a2c';
  private readonly batch: Minibatch;

  constructor(env: Env<unknown, unknown> | VectorEnvLike, config: Partial<A2CConfig> = {}) {
    // SB3 A2C: RMSprop with alpha (rho) 0.99 and eps 1e-5
    super(env, resolveA2CConfig(config), (c) => new Optimizer({ name: c.optimizer, learningRate: c.learningRate, epsilon: c.optimizerEpsilon, rho: 0.99 }));
    this.batch = this.buffer.makeMinibatch(this.buffer.size);
  }

  protected update(): Record<string, number> {
    const cfg = this.config;
    const policy = this.policy;
    const order = this.buffer.shuffledValidIndices(null);
    this.buffer.gather(order, 0, order.length, this.batch);
    const mb = this.batch;
    const m = mb.size;
    const stats = tf.tidy(() => {
      const obs = tf.tensor(mb.observations.subarray(0, m * policy.encoder.size), [m, ...policy.encoder.inputShape]);
      const actions = policy.actionTensor(mb.actions.subarray(0, m * this.buffer.actionSize), m);
      const rawAdv = tf.tensor1d(mb.advantages.subarray(0, m));
      const advantages = cfg.normAdv ? normalizeAdvantages(rawAdv) : rawAdv;
      const returns = tf.tensor1d(mb.returns.subarray(0, m));
      let kept: tf.Tensor1D | undefined;
      const { grads } = tf.variableGrads(() => {
        const out = policy.forward(obs);
        const entropy = policy.entropy(out.params).mean() as tf.Scalar;
        const pg = policyGradientLoss(policy.logProb(out.params, actions), advantages);
        const vLoss = valueLoss(out.value as tf.Tensor1D, returns, null, null);
        kept = tf.keep(tf.stack([pg, vLoss, entropy]) as tf.Tensor1D);
        return pg.sub(entropy.mul(cfg.entCoef)).add(vLoss.mul(cfg.vfCoef)) as tf.Scalar;
      }, policy.variables);
      this.optimizer.apply(policy.variables, policy.variables.map((v) => grads[v.name]), { maxGradNorm: cfg.maxGradNorm });
      return kept as tf.Tensor1D;
    });
    const [policyLoss, vLoss, entropy] = stats.dataSync();
    stats.dispose();
    const metrics: Record<string, number> = { 'losses/policy_loss': policyLoss, 'losses/value_loss': vLoss, 'losses/entropy': entropy };
    const ev = this.buffer.explainedVariance(order);
    if (Number.isFinite(ev)) metrics['losses/explained_variance'] = ev;
    return metrics;
  }

  /** Rebuilds an agent from a checkpoint for `env`; mismatches are `InvalidInputError`s naming them. */
  static async load(path: string, env: Env<unknown, unknown> | VectorEnvLike, overrides: Partial<A2CConfig> = {}): Promise<A2C> {
    const spaces = 'numEnvs' in env ? { observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace } : env;
    const ckpt = readPGCheckpoint(path, 'a2c', spaces);
    const agent = new A2C(env, { ...(ckpt.config as Partial<A2CConfig>), ...overrides });
    agent.restore(ckpt.apply);
    return agent;
  }
}
