import { Rng, writeCheckpoint, type CheckpointData, type Env, type Optimizer } from '../../core/index.ts';
import { bootstrapTruncated } from '../../replay/index.ts';
import type { LearnerCallbacks } from '../common/learner.ts';
import { pgCheckpoint, type PGCounters } from './checkpoint.ts';
import type { PolicyConfig } from './config.ts';
import { ActorCriticPolicy, type ActOutput } from './policy.ts';
import { RolloutBuffer } from './rollout-buffer.ts';
import { asVectorEnv, encodeBatch, type VectorEnvLike } from './vector-env.ts';
import { PolicyGradientDivergedError } from './errors.ts';

/** The config fields every on-policy actor-critic (PPO, A2C) has. */
export interface OnPolicyConfig extends PolicyConfig {
  learningRate: number;
  annealLr: boolean;
  numSteps: number;
  gamma: number;
  gaeLambda: number;
  seed: number;
}

export interface OnPolicyLearnOptions {
  /** Train until `numTimesteps` reaches this (a resumed agent continues from where it stopped). */
  totalTimesteps: number;
  callbacks?: LearnerCallbacks;
}

/** A discrete action (index) or a continuous one (a float row, clipped to the Box bounds). */
export type PGAction = number | Float32Array;

/**
 * What PPO and A2C share: collecting `numSteps` steps from each sub-env into a rollout buffer, with truncation
 * bootstrapped from `info.finalObservation` and next-step-autoreset steps masked out; then the subclass's update.
 * `numTimesteps` counts real transitions (steps whose action the env took).
 */
export abstract class OnPolicyAgent<C extends OnPolicyConfig> {
  readonly config: C;
  readonly venv: VectorEnvLike;
  readonly policy: ActorCriticPolicy;
  readonly optimizer: Optimizer;
  readonly buffer: RolloutBuffer;
  numTimesteps = 0;
  /** Rollouts trained on. */
  updates = 0;
  episodes = 0;
  protected readonly rng: Rng;
  protected abstract readonly checkpointKind: string;
  private readonly numEnvs: number;
  private readonly obsRows: Float32Array;
  private readonly act: ActOutput;
  private readonly envActions: Int32Array | Float32Array[];
  private readonly finalRows: Float32Array;
  private readonly finalIndex: Int32Array;
  private readonly finalValues: Float32Array;
  private readonly lastValues: Float32Array;
  private readonly episodeReturn: Float64Array;
  private readonly episodeLength: Int32Array;
  private readonly predictRow: Float32Array;
  private readonly predictOut: ActOutput;

  constructor(env: Env<unknown, unknown> | VectorEnvLike, config: C, makeOptimizer: (config: C) => Optimizer) {
    this.config = config;
    this.venv = asVectorEnv(env);
    const master = new Rng(config.seed);
    this.rng = new Rng(master.nextSeed());
    this.policy = new ActorCriticPolicy(this.venv.singleObservationSpace, this.venv.singleActionSpace, { ...config, critic: true }, new Rng(master.nextSeed()));
    this.optimizer = makeOptimizer(config);
    const n = (this.numEnvs = this.venv.numEnvs);
    const obsSize = this.policy.encoder.size;
    const actDim = this.policy.kind === 'discrete' ? 1 : this.policy.actionSize;
    this.buffer = new RolloutBuffer(config.numSteps, n, obsSize, actDim);
    this.obsRows = new Float32Array(n * obsSize);
    this.act = { actions: new Float32Array(n * actDim), logProbs: new Float32Array(n), values: new Float32Array(n) };
    this.envActions = this.policy.kind === 'discrete' ? new Int32Array(n) : Array.from({ length: n }, () => new Float32Array(actDim));
    this.finalRows = new Float32Array(n * obsSize);
    this.finalIndex = new Int32Array(n);
    this.finalValues = new Float32Array(n);
    this.lastValues = new Float32Array(n);
    this.episodeReturn = new Float64Array(n);
    this.episodeLength = new Int32Array(n);
    this.predictRow = new Float32Array(obsSize);
    this.predictOut = { actions: new Float32Array(actDim), logProbs: new Float32Array(1), values: new Float32Array(1) };
  }

  /** The subclass's learning step on the filled buffer (advantages computed); returns namespaced metrics. */
  protected abstract update(progress: number): Record<string, number>;

  /** The action for one observation: the mode of the policy, or (`deterministic: false`) a sample. */
  predict(observation: unknown, opts: { deterministic?: boolean } = {}): PGAction {
    this.policy.encoder.encode(observation, this.predictRow);
    this.policy.act(this.predictRow, 1, this.rng, opts.deterministic ?? true, this.predictOut);
    if (this.policy.kind === 'discrete') return this.predictOut.actions[0];
    const out = new Float32Array(this.policy.actionSize);
    this.policy.clipAction(this.predictOut.actions, 0, out);
    return out;
  }

  /** Action probabilities (discrete) or means (continuous) and V(s), for recorded episodes. */
  annotate(observation: unknown): Record<string, number[] | number> {
    const row = new Float32Array(this.policy.encoder.size);
    this.policy.encoder.encode(observation, row);
    const { params, value } = this.policy.evaluate(row, 1);
    const n = this.policy.actionSize;
    const head = Array.from(params.subarray(0, n));
    if (this.policy.kind === 'continuous') return { mean: head, value: value?.[0] ?? 0 };
    const max = Math.max(...head);
    const e = head.map((l) => Math.exp(l - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return { probs: e.map((x) => x / sum), value: value?.[0] ?? 0 };
  }

  /** Collects rollouts and updates until `numTimesteps` reaches `totalTimesteps`. */
  async learn(opts: OnPolicyLearnOptions): Promise<this> {
    const total = opts.totalTimesteps;
    if (!Number.isInteger(total) || total <= 0) throw new RangeError(`${this.checkpointKind}.learn: totalTimesteps must be a positive integer, received ${total}`);
    const cb = opts.callbacks ?? {};
    const cfg = this.config;
    const n = this.numEnvs;
    const reset = await this.venv.reset({ seed: this.rng.nextSeed() % 2 ** 31 });
    encodeBatch(this.policy.encoder, reset.observations, n, this.obsRows);
    this.episodeReturn.fill(0);
    this.episodeLength.fill(0);
    while (this.numTimesteps < total) {
      const progress = this.numTimesteps / total;
      const stop = await this.collectRollout(cb);
      if (stop) break;
      this.policy.values(this.obsRows, n, this.lastValues);
      this.buffer.computeAdvantages(this.lastValues, cfg.gamma, cfg.gaeLambda);
      if (cfg.annealLr) this.optimizer.learningRate = cfg.learningRate * (1 - progress);
      const metrics = this.update(progress);
      this.policy.refreshCache();
      this.updates++;
      for (const k of ['losses/policy_loss', 'losses/value_loss']) if (metrics[k] !== undefined && !Number.isFinite(metrics[k])) throw new PolicyGradientDivergedError(this.checkpointKind, this.numTimesteps, k);
      metrics['charts/learning_rate'] = this.optimizer.learningRate;
      metrics['charts/updates'] = this.updates;
      if (cb.onTrain) await cb.onTrain({ step: this.numTimesteps, metrics });
    }
    return this;
  }

  /** Fills the buffer with `numSteps` vector steps; true when a callback asked to stop. */
  private async collectRollout(cb: LearnerCallbacks): Promise<boolean> {
    const n = this.numEnvs;
    const buf = this.buffer;
    const policy = this.policy;
    const obsSize = policy.encoder.size;
    const actDim = buf.actionSize;
    const gamma = this.config.gamma;
    for (let t = 0; t < this.config.numSteps; t++) {
      policy.act(this.obsRows, n, this.rng, false, this.act);
      if (this.envActions instanceof Int32Array) for (let i = 0; i < n; i++) this.envActions[i] = this.act.actions[i];
      else for (let i = 0; i < n; i++) policy.clipAction(this.act.actions, i * actDim, this.envActions[i]);
      const row = t * n;
      buf.observations.set(this.obsRows, row * obsSize);
      buf.actions.set(this.act.actions, row * actDim);
      buf.logProbs.set(this.act.logProbs, row);
      buf.values.set(this.act.values, row);
      const r = await this.venv.step(this.envActions as ArrayLike<unknown>);
      let finals = 0;
      let real = 0;
      for (let i = 0; i < n; i++) {
        const k = row + i;
        if (r.autoreset[i] === 1) {
          // a next-step autoreset: the env ignored this action and only reset; nothing to learn from
          buf.valid[k] = 0;
          buf.rewards[k] = 0;
          buf.dones[k] = 0;
          continue;
        }
        real++;
        buf.valid[k] = 1;
        buf.rewards[k] = r.rewards[i];
        const ended = r.terminations[i] === 1 || r.truncations[i] === 1;
        buf.dones[k] = ended ? 1 : 0;
        this.episodeReturn[i] += r.rewards[i];
        this.episodeLength[i]++;
        if (r.truncations[i] === 1 && r.terminations[i] === 0) {
          const final = r.infos[i].finalObservation;
          if (final === undefined) throw new RangeError(`${this.checkpointKind}: sub-env ${i} was truncated without info.finalObservation to bootstrap from`);
          policy.encoder.encode(final, this.finalRows, finals);
          this.finalIndex[finals++] = k;
        }
      }
      if (finals > 0) {
        policy.values(this.finalRows, finals, this.finalValues);
        for (let f = 0; f < finals; f++) buf.rewards[this.finalIndex[f]] = bootstrapTruncated(buf.rewards[this.finalIndex[f]], gamma, this.finalValues[f]);
      }
      encodeBatch(policy.encoder, r.observations, n, this.obsRows);
      this.numTimesteps += real;
      for (let i = 0; i < n; i++) {
        if (buf.dones[row + i] === 1) {
          this.episodes++;
          const report = { step: this.numTimesteps, episodeReturn: this.episodeReturn[i], length: this.episodeLength[i], terminated: r.terminations[i] === 1 };
          this.episodeReturn[i] = 0;
          this.episodeLength[i] = 0;
          if (cb.onEpisode) await cb.onEpisode(report);
        }
      }
      if (cb.onStep && (await cb.onStep(this.numTimesteps)) === false) return true;
    }
    return false;
  }

  /** Writes a checkpoint atomically: weights, optimizer state, RNG state, counters. */
  async save(path: string): Promise<void> {
    writeCheckpoint(path, this.toCheckpoint());
  }

  /** What `save` writes (a rollout in progress is not kept: a resumed run starts a fresh rollout). */
  toCheckpoint(): CheckpointData {
    return pgCheckpoint({
      kind: this.checkpointKind,
      config: this.config,
      counters: { numTimesteps: this.numTimesteps, updates: this.updates, episodes: this.episodes },
      policy: this.policy,
      optimizer: this.optimizer,
      rng: this.rng,
      observationSpace: this.venv.singleObservationSpace,
      actionSpace: this.venv.singleActionSpace,
      envId: null,
    });
  }

  /** Restores what `toCheckpoint` saved (used by the subclasses' `load`). */
  protected restore(apply: (target: { policy: ActorCriticPolicy; optimizer: Optimizer; rng: Rng }) => PGCounters): void {
    const c = apply({ policy: this.policy, optimizer: this.optimizer, rng: this.rng });
    this.numTimesteps = c.numTimesteps;
    this.updates = c.updates;
    this.episodes = c.episodes;
  }

  /** Frees the networks and optimizer state (not the env). */
  dispose(): void {
    this.policy.dispose();
    this.optimizer.dispose();
  }
}

