import { Optimizer, Rng, tf, writeCheckpoint, type CheckpointData, type Env } from '../../core/index.ts';
import { bootstrapTruncated, discountedReturns, standardizeInPlace } from '../../replay/index.ts';
import type { LearnerCallbacks } from '../common/learner.ts';
import { pgCheckpoint, readPGCheckpoint } from './checkpoint.ts';
import { resolveReinforceConfig, type ReinforceConfig } from './config.ts';
import { EpisodeBuffer } from './episode-buffer.ts';
import { policyGradientLoss, valueLoss } from './losses.ts';
import { PolicyGradientDivergedError } from './errors.ts';
import type { PGAction } from './on-policy.ts';
import { ActorCriticPolicy, type ActOutput } from './policy.ts';

/**
 * REINFORCE (Williams 1992): play `episodesPerUpdate` whole episodes with the current policy, credit each action
 * with the discounted return that followed it, and step along mean(log pi(a|s) * A). A = G, or G - V(s) with the
 * learned baseline; `normalizeReturns` standardises A over the batch. Optional entropy bonus.
 * A truncated episode's last reward gets gamma * V(final observation) added when there is a baseline (no critic,
 * nothing to bootstrap from). `numTimesteps` counts env steps; steps of an episode the budget cut off are not trained on.
 */
export class REINFORCE {
  readonly config: ReinforceConfig;
  readonly env: Env<unknown, unknown>;
  readonly policy: ActorCriticPolicy;
  readonly optimizer: Optimizer;
  numTimesteps = 0;
  updates = 0;
  episodes = 0;
  private readonly rng: Rng;
  private readonly buffer: EpisodeBuffer;
  private readonly row: Float32Array;
  private readonly act: ActOutput;
  private readonly envAction: Float32Array;
  private readonly finalValue = new Float32Array(1);

  constructor(env: Env<unknown, unknown>, config: Partial<ReinforceConfig> = {}) {
    this.config = resolveReinforceConfig(config);
    this.env = env;
    const master = new Rng(this.config.seed);
    this.rng = new Rng(master.nextSeed());
    this.policy = new ActorCriticPolicy(env.observationSpace, env.actionSpace, { ...this.config, critic: this.config.baseline }, new Rng(master.nextSeed()));
    this.optimizer = new Optimizer({ name: this.config.optimizer, learningRate: this.config.learningRate });
    const actDim = this.policy.kind === 'discrete' ? 1 : this.policy.actionSize;
    this.buffer = new EpisodeBuffer(this.policy.encoder.size, actDim);
    this.row = new Float32Array(this.policy.encoder.size);
    this.act = { actions: new Float32Array(actDim), logProbs: new Float32Array(1), values: new Float32Array(1) };
    this.envAction = new Float32Array(actDim);
  }

  /** The mode of the policy, or (`deterministic: false`) a sample. */
  predict(observation: unknown, opts: { deterministic?: boolean } = {}): PGAction {
    this.policy.encoder.encode(observation, this.row);
    this.policy.act(this.row, 1, this.rng, opts.deterministic ?? true, this.act);
    return this.envActionOf(this.act, true);
  }

  /** Plays and learns until `numTimesteps` reaches `totalTimesteps`. */
  async learn(opts: { totalTimesteps: number; callbacks?: LearnerCallbacks }): Promise<this> {
    const total = opts.totalTimesteps;
    if (!Number.isInteger(total) || total <= 0) throw new RangeError(`REINFORCE.learn: totalTimesteps must be a positive integer, received ${total}`);
    const cb = opts.callbacks ?? {};
    const cfg = this.config;
    this.buffer.clear();
    let inBatch = 0;
    let observation = this.env.reset({ seed: this.rng.nextSeed() % 2 ** 31 }).observation;
    let episodeReturn = 0;
    let length = 0;
    while (this.numTimesteps < total) {
      this.policy.encoder.encode(observation, this.row);
      this.policy.act(this.row, 1, this.rng, false, this.act);
      const r = this.env.step(this.envActionOf(this.act, false));
      this.numTimesteps++;
      episodeReturn += r.reward;
      length++;
      this.buffer.add(this.row, this.act.actions, 0, r.reward);
      if (r.terminated || r.truncated) {
        if (r.truncated && !r.terminated && cfg.baseline) {
          this.policy.encoder.encode(r.observation, this.row);
          this.policy.values(this.row, 1, this.finalValue);
          const k = this.buffer.size - 1;
          this.buffer.rewards[k] = bootstrapTruncated(this.buffer.rewards[k], cfg.gamma, this.finalValue[0]);
        }
        this.buffer.endEpisode();
        this.episodes++;
        inBatch++;
        if (cb.onEpisode) await cb.onEpisode({ step: this.numTimesteps, episodeReturn, length, terminated: r.terminated });
        episodeReturn = 0;
        length = 0;
        observation = this.env.reset().observation;
        if (inBatch === cfg.episodesPerUpdate) {
          const metrics = this.update();
          inBatch = 0;
          if (cb.onTrain) await cb.onTrain({ step: this.numTimesteps, metrics });
        }
      } else {
        observation = r.observation;
      }
      if (cb.onStep && (await cb.onStep(this.numTimesteps)) === false) break;
    }
    this.buffer.dropUnfinished();
    if (this.buffer.size > 0) {
      const metrics = this.update();
      if (cb.onTrain) await cb.onTrain({ step: this.numTimesteps, metrics });
    }
    return this;
  }

  /** One gradient step on the buffered episodes; empties the buffer and returns namespaced metrics. */
  update(): Record<string, number> {
    const cfg = this.config;
    const b = this.buffer;
    const n = b.size;
    const policy = this.policy;
    discountedReturns(b.rewards.subarray(0, n), b.dones.subarray(0, n), cfg.gamma, 0, b.returns.subarray(0, n));
    const obs = b.observations.subarray(0, n * b.observationSize);
    if (cfg.baseline) policy.values(obs, n, b.values);
    for (let k = 0; k < n; k++) b.advantages[k] = cfg.baseline ? b.returns[k] - b.values[k] : b.returns[k];
    if (cfg.normalizeReturns) standardizeInPlace(b.advantages, n);
    const stats = tf.tidy(() => {
      const x = tf.tensor(obs, [n, ...policy.encoder.inputShape]);
      const actions = policy.actionTensor(b.actions.subarray(0, n * b.actionSize), n);
      const advantages = tf.tensor1d(b.advantages.subarray(0, n));
      const returns = tf.tensor1d(b.returns.subarray(0, n));
      let kept: tf.Tensor1D | undefined;
      const { grads } = tf.variableGrads(() => {
        const out = policy.forward(x);
        const entropy = policy.entropy(out.params).mean() as tf.Scalar;
        const pg = policyGradientLoss(policy.logProb(out.params, actions), advantages);
        const vLoss = out.value === null ? tf.scalar(0) : valueLoss(out.value, returns, null, null);
        kept = tf.keep(tf.stack([pg, vLoss, entropy]) as tf.Tensor1D);
        return pg.sub(entropy.mul(cfg.entCoef)).add(vLoss.mul(cfg.vfCoef)) as tf.Scalar;
      }, policy.variables);
      this.optimizer.apply(policy.variables, policy.variables.map((v) => grads[v.name]), cfg.maxGradNorm === null ? {} : { maxGradNorm: cfg.maxGradNorm });
      return kept as tf.Tensor1D;
    });
    const [policyLoss, vLoss, entropy] = stats.dataSync();
    stats.dispose();
    policy.refreshCache();
    this.updates++;
    b.clear();
    if (!Number.isFinite(policyLoss) || !Number.isFinite(vLoss)) throw new PolicyGradientDivergedError('REINFORCE', this.numTimesteps, 'the loss');
    const metrics: Record<string, number> = { 'losses/policy_loss': policyLoss, 'losses/entropy': entropy, 'charts/updates': this.updates, 'charts/batch_steps': n };
    if (cfg.baseline) metrics['losses/value_loss'] = vLoss;
    return metrics;
  }

  /** A discrete index, or the Box-clipped continuous action (a fresh array when it is handed to the caller). */
  private envActionOf(act: ActOutput, fresh: boolean): PGAction {
    if (this.policy.kind === 'discrete') return act.actions[0];
    const out = fresh ? new Float32Array(this.envAction.length) : this.envAction;
    this.policy.clipAction(act.actions, 0, out);
    return out;
  }

  async save(path: string): Promise<void> {
    writeCheckpoint(path, this.toCheckpoint());
  }

  /** Weights, optimizer state, RNG state and counters (an unfinished batch of episodes is not kept). */
  toCheckpoint(): CheckpointData {
    return pgCheckpoint({
      kind: 'reinforce',
      config: this.config,
      counters: { numTimesteps: this.numTimesteps, updates: this.updates, episodes: this.episodes },
      policy: this.policy,
      optimizer: this.optimizer,
      rng: this.rng,
      observationSpace: this.env.observationSpace,
      actionSpace: this.env.actionSpace,
      envId: this.env.spec?.id ?? null,
    });
  }

  /** Rebuilds an agent from a checkpoint for `env`; mismatches are `InvalidInputError`s naming them. */
  static async load(path: string, env: Env<unknown, unknown>): Promise<REINFORCE> {
    const ckpt = readPGCheckpoint(path, 'reinforce', env);
    const agent = new REINFORCE(env, ckpt.config as Partial<ReinforceConfig>);
    const c = ckpt.apply({ policy: agent.policy, optimizer: agent.optimizer, rng: agent.rng });
    agent.numTimesteps = c.numTimesteps;
    agent.updates = c.updates;
    agent.episodes = c.episodes;
    return agent;
  }

  dispose(): void {
    this.policy.dispose();
    this.optimizer.dispose();
  }
}
