import { Box, Discrete, EnvContractError, Network, Rng, applyActivation, tf, type NetworkConfig, type Space } from '../../core/index.ts';
import { ObservationEncoder } from '../common/observation-encoder.ts';
import type { PolicyConfig } from './config.ts';
import { categoricalEntropy, categoricalLogProb, categoricalLogProbOf, gaussianEntropy, gaussianLogProb, sampleCategorical, sampleGaussian } from './distributions.ts';

/** Discrete(n) actions (a categorical over n logits) or a Box of float actions (a diagonal Gaussian). */
export type ActionKind = 'discrete' | 'continuous';

/** What one batched forward pass gives, as tensors (inside `tf.tidy`). */
export interface PolicyOutput {
  /** Logits [batch, n] (discrete) or means [batch, dims] (continuous). */
  params: tf.Tensor2D;
  /** V(s) [batch], or null for a policy without a critic. */
  value: tf.Tensor1D | null;
}

/** Where `act` writes its results, one entry per row (continuous actions: `dims` entries per row). */
export interface ActOutput {
  actions: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
}

/**
 * The actor (and critic) of the policy-gradient agents, built from a typed config: separate actor and critic
 * networks, or one shared body with a policy head and a value head; MLP, or conv layers first for images.
 * Orthogonal init gains follow CleanRL/SB3: sqrt(2) for hidden layers, 0.01 for the policy head, 1 for the value head.
 */
export class ActorCriticPolicy {
  readonly kind: ActionKind;
  /** Discrete: number of actions; continuous: action dimensions. */
  readonly actionSize: number;
  readonly encoder: ObservationEncoder;
  readonly variables: tf.Variable[] = [];
  /** Checkpoint names of `variables`, in the same order. */
  readonly names: string[] = [];
  readonly hasCritic: boolean;
  /** Continuous actions: bounds the env gets its actions clipped to. */
  readonly low: Float32Array;
  readonly high: Float32Array;
  private readonly nets: Array<{ prefix: string; net: Network }> = [];
  private readonly actor: Network;
  private readonly critic: Network | null;
  private readonly body: Network | null;
  private readonly logStd: tf.Variable | null;
  private readonly activation: NonNullable<NetworkConfig['activation']>;
  private readonly logStdCache: Float32Array;
  private paramsScratch = new Float32Array(0);
  private valueScratch = new Float32Array(0);

  constructor(observationSpace: Space<unknown>, actionSpace: Space<unknown>, config: PolicyConfig & { critic: boolean }, rng: Rng) {
    if (actionSpace instanceof Discrete) {
      if (actionSpace.start !== 0) throw new EnvContractError(`policy gradients need Discrete actions starting at 0, the env's start at ${actionSpace.start}`);
      this.kind = 'discrete';
      this.actionSize = actionSpace.n;
    } else if (actionSpace instanceof Box && actionSpace.dtype === 'float32') {
      this.kind = 'continuous';
      this.actionSize = actionSpace.size;
    } else {
      throw new EnvContractError(`policy gradients need a Discrete or float32 Box action space, the env has ${actionSpace.toString()}`);
    }
    const useConv = (config.network.conv ?? []).length > 0;
    this.encoder = new ObservationEncoder(observationSpace, useConv);
    this.hasCritic = config.critic;
    this.activation = config.network.activation ?? 'relu';
    const net = config.network;
    const ortho = net.init === 'orthogonal';
    const input = this.encoder.inputShape;
    if (config.sharedNetwork) {
      // The body's last dense layer is its output layer here, so it gets the hidden gain and the activation by hand.
      const hidden = net.hidden;
      const features = hidden[hidden.length - 1];
      this.body = this.addNet('body', new Network(input, features, { ...net, hidden: hidden.slice(0, -1), outputGain: Math.SQRT2 }, rng, 'body'));
      this.actor = this.addNet('actor', new Network([features], this.actionSize, { ...net, conv: [], hidden: [], outputGain: 0.01 }, rng, 'actor'));
      this.critic = config.critic ? this.addNet('critic', new Network([features], 1, { ...net, conv: [], hidden: [], outputGain: 1 }, rng, 'critic')) : null;
    } else {
      this.body = null;
      this.actor = this.addNet('actor', new Network(input, this.actionSize, { ...net, outputGain: ortho ? 0.01 : 1 }, rng, 'actor'));
      this.critic = config.critic ? this.addNet('critic', new Network(input, 1, { ...net, outputGain: 1 }, rng, 'critic')) : null;
    }
    if (this.kind === 'continuous') {
      const init = tf.fill([this.actionSize], config.logStdInit);
      this.logStd = tf.variable(init, true, `logStd/${uid()}`);
      init.dispose();
      this.variables.push(this.logStd);
      this.names.push('logStd');
      const box = actionSpace as Box<'float32'>;
      this.low = Float32Array.from(box.low);
      this.high = Float32Array.from(box.high);
    } else {
      this.logStd = null;
      this.low = new Float32Array(0);
      this.high = new Float32Array(0);
    }
    this.logStdCache = Float32Array.from({ length: this.kind === 'continuous' ? this.actionSize : 0 }, () => config.logStdInit);
  }

  /** Action parameters and values of a batch `[batch, ...inputShape]`; call inside `tf.tidy`. */
  forward(x: tf.Tensor): PolicyOutput {
    let features = x;
    if (this.body !== null) features = applyActivation(this.body.apply(x), this.activation);
    const params = this.actor.apply(features);
    const value = this.critic === null ? null : (this.critic.apply(features).reshape([-1]) as tf.Tensor1D);
    return { params, value };
  }

  /** log pi(a|s) [batch] of `actions` (int32 [batch] for discrete, float32 [batch, dims] for continuous). */
  logProb(params: tf.Tensor2D, actions: tf.Tensor): tf.Tensor1D {
    if (this.kind === 'discrete') return categoricalLogProb(params, actions as tf.Tensor1D);
    return gaussianLogProb(params, this.logStd as tf.Variable as tf.Tensor1D, actions as tf.Tensor2D);
  }

  /** Entropy [batch] of the action distribution. */
  entropy(params: tf.Tensor2D): tf.Tensor1D {
    if (this.kind === 'discrete') return categoricalEntropy(params);
    return gaussianEntropy(this.logStd as tf.Variable as tf.Tensor1D, params.shape[0]);
  }

  /** A tensor of actions for the loss, from the rollout's float storage. */
  actionTensor(actions: Float32Array, batch: number): tf.Tensor {
    if (this.kind === 'discrete') return tf.tensor1d(Int32Array.from(actions), 'int32');
    return tf.tensor2d(actions, [batch, this.actionSize]);
  }

  /**
   * Acts on `batch` encoded rows of `inputs`: samples (or, `deterministic`, takes the mode), and writes the
   * actions (unclipped for continuous), their log-probabilities and V(s) (0 without a critic) into `out`.
   */
  act(inputs: Float32Array, batch: number, rng: Rng, deterministic: boolean, out: ActOutput): void {
    const { params, value } = this.evaluate(inputs, batch);
    const n = this.actionSize;
    for (let i = 0; i < batch; i++) {
      if (this.kind === 'discrete') {
        const a = sampleCategorical(params, i * n, n, rng, deterministic);
        out.actions[i] = a;
        out.logProbs[i] = categoricalLogProbOf(params, i * n, n, a);
      } else {
        out.logProbs[i] = sampleGaussian(params, i * n, this.logStdCache, rng, deterministic, out.actions, i * n);
      }
      out.values[i] = value === null ? 0 : value[i];
    }
  }

  /** V(s) of `batch` encoded rows, into `out`. */
  values(inputs: Float32Array, batch: number, out: Float32Array): void {
    const { value } = this.evaluate(inputs, batch);
    if (value === null) throw new RangeError('ActorCriticPolicy.values: this policy has no critic');
    out.set(value.subarray(0, batch));
  }

  /**
   * Logits (or means) and values of rows: one forward pass, one read back. The arrays are scratch space reused by
   * the next call (valid up to `batch` rows), so acting allocates nothing of its own per step.
   */
  evaluate(inputs: Float32Array, batch: number): { params: Float32Array; value: Float32Array | null } {
    const rows = inputs.length === batch * this.encoder.size ? inputs : inputs.subarray(0, batch * this.encoder.size);
    const joined = tf.tidy(() => {
      const out = this.forward(tf.tensor(rows, [batch, ...this.encoder.inputShape]));
      return out.value === null ? out.params : tf.concat([out.params, out.value.reshape([batch, 1])], 1);
    });
    const data = joined.dataSync() as Float32Array;
    joined.dispose();
    if (this.critic === null) return { params: data, value: null };
    const n = this.actionSize;
    if (this.valueScratch.length < batch) {
      this.paramsScratch = new Float32Array(batch * n);
      this.valueScratch = new Float32Array(batch);
    }
    const params = this.paramsScratch;
    const value = this.valueScratch;
    for (let i = 0; i < batch; i++) {
      for (let j = 0; j < n; j++) params[i * n + j] = data[i * (n + 1) + j];
      value[i] = data[i * (n + 1) + n];
    }
    return { params, value };
  }

  /** Clips a continuous action row to the Box bounds, for the env (the rollout keeps the unclipped sample). */
  clipAction(actions: Float32Array, offset: number, out: Float32Array): void {
    for (let j = 0; j < this.actionSize; j++) {
      const a = actions[offset + j];
      out[j] = a < this.low[j] ? this.low[j] : a > this.high[j] ? this.high[j] : a;
    }
  }

  /** Call after every optimizer step: acting reads the log-std from a cache to avoid a read back per step. */
  refreshCache(): void {
    if (this.logStd !== null) this.logStdCache.set(this.logStd.dataSync());
  }

  /** Current log standard deviations (continuous actions). */
  get logStdValues(): Float32Array {
    return Float32Array.from(this.logStdCache);
  }

  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const { prefix, net } of this.nets) for (const [k, v] of Object.entries(net.getWeights())) out[`${prefix}/${k}`] = v;
    if (this.logStd !== null) out.logStd = this.logStd.dataSync() as Float32Array;
    return out;
  }

  /** Loads weights by name (from `getWeights`); a missing or wrongly sized one is a RangeError naming it. */
  setWeights(weights: Record<string, Float32Array>): void {
    for (const { prefix, net } of this.nets) {
      const mine: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(weights)) if (k.startsWith(`${prefix}/`)) mine[k.slice(prefix.length + 1)] = v;
      net.setWeights(mine);
    }
    if (this.logStd !== null) {
      const data = weights.logStd;
      if (data === undefined || data.length !== this.actionSize) throw new RangeError(`ActorCriticPolicy.setWeights: logStd missing or not of length ${this.actionSize}`);
      tf.tidy(() => (this.logStd as tf.Variable).assign(tf.tensor1d(data)));
      this.refreshCache();
    }
  }

  dispose(): void {
    for (const { net } of this.nets) net.dispose();
    this.logStd?.dispose();
  }

  private addNet(prefix: string, net: Network): Network {
    this.nets.push({ prefix, net });
    this.variables.push(...net.variables);
    this.names.push(...net.names.map((n) => `${prefix}/${n}`));
    return net;
  }
}

let counter = 0;
/** Variable names must be unique in TF.js's engine. */
function uid(): number {
  return counter++;
}
