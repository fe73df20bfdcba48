import {
  Box,
  Discrete,
  EnvContractError,
  InvalidInputError,
  type MlpEngine,
  Rng,
  prefersMlpEngine,
  spaceFromJSON,
  type Env,
  type JsonValue,
  type Network,
  type NetworkConfig,
  type OptimizerState,
  type RngState,
} from '../../core/index.ts';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from '../../core/index.ts';
import { NStepAccumulator, PrioritizedReplayBuffer, ReplayBuffer, parseReplayMeta, type ReplayBufferMeta } from '../../replay/index.ts';
import { ObservationEncoder } from '../common/observation-encoder.ts';
import { resolveDQNConfig, type DQNConfig } from './config.ts';
import { MlpQEngine } from './mlp-q-engine.ts';
import type { QEngine, TdBatch } from './q-engine.ts';
import { TfjsQEngine } from './tfjs-q-engine.ts';

/** Reported at the end of every training episode. */
export interface EpisodeReport {
  /** Env steps taken so far (this episode's last step included). */
  step: number;
  episodeReturn: number;
  length: number;
  terminated: boolean;
}

/** Reported after every training phase (`gradientSteps` updates). */
export interface TrainReport {
  step: number;
  updates: number;
  /** Mean TD loss of the phase. */
  loss: number;
  /** Mean Q-value of the actions taken in the last batch. */
  qMean: number;
  learningRate: number;
  /** The same figures, namespaced for the metrics file. */
  metrics: Record<string, number>;
}

/** Hooks into `learn`; any may return a promise, which `learn` awaits. Return `false` from `onStep` to stop early. */
export interface DQNCallbacks {
  onStep?(step: number, agent: DQN): boolean | void | Promise<boolean | void>;
  onEpisode?(report: EpisodeReport, agent: DQN): void | Promise<void>;
  onTrain?(report: TrainReport, agent: DQN): void | Promise<void>;
}

export interface LearnOptions {
  /** Train until `numTimesteps` reaches this (a resumed agent continues from where it stopped). */
  totalTimesteps: number;
  callbacks?: DQNCallbacks;
}

export interface SaveOptions {
  /** Also store the replay buffer, so a resumed run trains on the same experience. Default true. */
  includeReplay?: boolean;
}

/** Settings `DQN.load` may change from the checkpoint's config. */
export interface LoadOverrides {
  /** Run the loaded agent on this engine instead of the saved one (weights and optimizer state carry over). */
  engine?: DQNConfig['engine'];
}

/** Training produced a non-finite loss. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly step: number,
    readonly loss: number,
  ) {
    super(`DQN: the TD loss became ${loss} at env step ${step}; training stopped (lower the learning rate, or check rewards for huge values)`);
    this.name = 'TrainingDivergedError';
  }
}

type Replay = ReplayBuffer<'float32' | 'uint8', 'discrete'> | PrioritizedReplayBuffer<'float32' | 'uint8', 'discrete'>;

const CHECKPOINT_KIND = 'dqn';
const CHECKPOINT_VERSION = 1;

/**
 * Deep Q-Network (Mnih et al. 2015) with the Rainbow-lite switches: Double DQN, dueling head, n-step returns and
 * prioritized replay. API after Stable-Baselines3: `new DQN(env, config)`, `learn`, `predict`, `save`, `DQN.load`.
 * Bootstrapping follows the env contract: no bootstrap through `terminated`, bootstrap through `truncated`.
 */
export class DQN {
  readonly config: DQNConfig;
  readonly env: Env<unknown, number>;
  /** The network maths (`config.engine`): the online and target networks, the optimizer and the TD update. */
  readonly engine: QEngine;
  replay: Replay;
  readonly numActions: number;
  /** Env steps taken in `learn`, over all calls. */
  numTimesteps = 0;
  /** Gradient updates applied. */
  updates = 0;
  /** Episodes finished in `learn`. */
  episodes = 0;
  /** Exploration and env-reset randomness. */
  private readonly rng: Rng;
  private readonly encoder: ObservationEncoder;
  private readonly nStep: NStepAccumulator | null;
  private readonly obsRow: Float32Array;
  private readonly nextRow: Float32Array;
  private readonly annotateRow: Float32Array;
  /** Observations are uint8 pixels, kept raw in the replay buffer. */
  private readonly rawPixels: boolean;
  private readonly batchObs: Float32Array;
  private readonly batchNext: Float32Array;
  private readonly notDone: Float32Array;
  private readonly actionsInt: Int32Array;
  private readonly tdBatch: TdBatch;
  private trainingTotal = 0;

  constructor(env: Env<unknown, number>, config: Partial<DQNConfig> = {}) {
    this.config = resolveDQNConfig(config);
    this.env = env;
    const actionSpace = env.actionSpace;
    if (!(actionSpace instanceof Discrete)) throw new EnvContractError(`DQN needs a Discrete action space, the env has ${actionSpace.toString()}`);
    if (actionSpace.start !== 0) throw new EnvContractError(`DQN needs actions starting at 0, the env's start at ${actionSpace.start}`);
    this.numActions = actionSpace.n;
    const cfg = this.config;
    const master = new Rng(cfg.seed);
    this.rng = new Rng(master.nextSeed());
    const useConv = (cfg.network.conv ?? []).length > 0;
    this.encoder = new ObservationEncoder(env.observationSpace, useConv);
    const net: NetworkConfig = { ...cfg.network, dueling: cfg.dueling };
    const initSeed = master.nextSeed();
    const useMlp = cfg.engine === 'mlp' || (cfg.engine === 'auto' && prefersMlpEngine(this.encoder.inputShape, this.numActions, net));
    this.engine = useMlp ? new MlpQEngine(cfg, this.encoder.inputShape, this.numActions, net, initSeed) : new TfjsQEngine(cfg, this.encoder.inputShape, this.numActions, net, initSeed);
    // uint8 pixels are stored as they come (4x less memory) and scaled to [0, 1] per batch
    this.rawPixels = env.observationSpace instanceof Box && env.observationSpace.dtype === 'uint8';
    const dtype: 'float32' | 'uint8' = this.rawPixels ? 'uint8' : 'float32';
    const replayOptions = { capacity: cfg.bufferSize, observationSize: this.encoder.size, dtype, storeDiscounts: cfg.nStep > 1, seed: master.nextSeed() };
    this.replay = cfg.prioritized
      ? new PrioritizedReplayBuffer<'float32' | 'uint8', 'discrete'>({ ...replayOptions, alpha: cfg.priorityAlpha, beta: cfg.priorityBeta0 })
      : new ReplayBuffer<'float32' | 'uint8', 'discrete'>(replayOptions);
    this.batchObs = this.rawPixels ? new Float32Array(cfg.batchSize * this.encoder.size) : new Float32Array(0);
    this.batchNext = this.rawPixels ? new Float32Array(cfg.batchSize * this.encoder.size) : new Float32Array(0);
    this.nStep = cfg.nStep > 1 ? new NStepAccumulator(cfg.nStep, cfg.gamma, 1, this.replay) : null;
    this.obsRow = new Float32Array(this.encoder.size);
    this.nextRow = new Float32Array(this.encoder.size);
    this.annotateRow = new Float32Array(this.encoder.size);
    this.notDone = new Float32Array(cfg.batchSize);
    this.actionsInt = new Int32Array(cfg.batchSize);
    const empty = new Float32Array(0);
    this.tdBatch = { size: cfg.batchSize, observations: empty, nextObservations: empty, actions: this.actionsInt, rewards: empty, discounts: null, notDone: this.notDone, weights: null, needTdErrors: cfg.prioritized };
  }

  /** The online Q-network (weights by name in the same format on both engines). */
  get online(): Network | MlpEngine {
    return this.engine.online;
  }

  /** The target Q-network. */
  get target(): Network | MlpEngine {
    return this.engine.target;
  }

  /** The optimizer: its learning rate and its state in `Optimizer.getState`'s format, on either engine. */
  get optimizer(): QEngine['optimizer'] {
    return this.engine.optimizer;
  }

  /** Epsilon of the epsilon-greedy policy at `progress` (0..1) of training: linear, then flat (SB3). */
  epsilon(progress: number): number {
    const { explorationInitialEps: a, explorationFinalEps: b, explorationFraction: f } = this.config;
    return progress >= f ? b : a + (b - a) * (progress / f);
  }

  /** Q-values of one observation (a new array). */
  qValues(observation: unknown): Float32Array {
    this.encoder.encode(observation, this.obsRow);
    return this.qValuesOfRow(this.obsRow).slice();
  }

  /** Q-values for recorded episodes, so the viewer can show what the agent was thinking. */
  annotate(observation: unknown): Record<string, number[]> {
    // its own row: `learn` may be holding the current observation in `obsRow` while the recorder calls this
    this.encoder.encode(observation, this.annotateRow);
    return { qValues: Array.from(this.qValuesOfRow(this.annotateRow)) };
  }

  /** The greedy action, or (not deterministic) epsilon-greedy with the final epsilon. */
  predict(observation: unknown, opts: { deterministic?: boolean } = {}): number {
    if (opts.deterministic === false && this.rng.random() < this.config.explorationFinalEps) return this.rng.int(this.numActions);
    this.encoder.encode(observation, this.obsRow);
    return argMax(this.qValuesOfRow(this.obsRow));
  }

  /** Trains until `numTimesteps` reaches `totalTimesteps` (Algorithm 1 of Mnih et al. 2015, SB3's schedule). */
  async learn(opts: LearnOptions): Promise<this> {
    const cfg = this.config;
    const total = opts.totalTimesteps;
    if (!Number.isInteger(total) || total <= 0) throw new RangeError(`DQN.learn: totalTimesteps must be a positive integer, received ${total}`);
    this.trainingTotal = total;
    const cb = opts.callbacks ?? {};
    const env = this.env;
    let observation = env.reset({ seed: this.rng.nextSeed() }).observation;
    this.nStep?.reset();
    let episodeReturn = 0;
    let episodeLength = 0;
    while (this.numTimesteps < total) {
      const progress = this.numTimesteps / total;
      this.encoder.encode(observation, this.obsRow);
      const action = this.rng.random() < this.epsilon(progress) ? this.rng.int(this.numActions) : argMax(this.qValuesOfRow(this.obsRow));
      const r = env.step(action);
      this.numTimesteps++;
      episodeReturn += r.reward;
      episodeLength++;
      const stored = this.rawPixels ? (observation as Uint8Array) : this.obsRow;
      const storedNext = this.rawPixels ? (r.observation as Uint8Array) : this.nextRow;
      if (!this.rawPixels) this.encoder.encode(r.observation, this.nextRow);
      if (this.nStep !== null) this.nStep.push(stored, action, r.reward, storedNext, r.terminated, r.truncated);
      else this.replay.add(stored, action, r.reward, storedNext, r.terminated, r.truncated);

      if (r.terminated || r.truncated) {
        this.episodes++;
        const report = { step: this.numTimesteps, episodeReturn, length: episodeLength, terminated: r.terminated };
        if (cb.onEpisode) await cb.onEpisode(report, this);
        episodeReturn = 0;
        episodeLength = 0;
        observation = env.reset().observation;
      } else {
        observation = r.observation;
      }

      if (this.numTimesteps > cfg.learningStarts && this.numTimesteps % cfg.trainFreq === 0 && this.replay.size >= cfg.batchSize) {
        this.optimizer.learningRate = cfg.learningRate * (1 - (1 - cfg.learningRateFinalFraction) * progress);
        const { loss, qMean } = this.train(cfg.gradientSteps, progress);
        if (cb.onTrain) {
          const learningRate = this.optimizer.learningRate;
          const metrics = { 'losses/td_loss': loss, 'losses/q_values': qMean, 'charts/learning_rate': learningRate, 'charts/epsilon': this.epsilon(progress), 'charts/updates': this.updates };
          await cb.onTrain({ step: this.numTimesteps, updates: this.updates, loss, qMean, learningRate, metrics }, this);
        }
      }
      if (this.numTimesteps % cfg.targetUpdateInterval === 0) this.engine.updateTarget(cfg.tau);
      if (cb.onStep) {
        const go = await cb.onStep(this.numTimesteps, this);
        if (go === false) break;
      }
    }
    return this;
  }

  /**
   * `gradientSteps` updates on replay batches (SB3 `train`); returns the mean loss and the last batch's mean Q.
   * `progress` (0..1) anneals the prioritized-replay beta. Throws `TrainingDivergedError` on a non-finite loss.
   */
  train(gradientSteps = 1, progress = this.trainingTotal > 0 ? this.numTimesteps / this.trainingTotal : 0): { loss: number; qMean: number } {
    if (this.replay.size === 0) throw new RangeError('DQN.train: the replay buffer is empty');
    let lossSum = 0;
    let qMean = 0;
    for (let g = 0; g < gradientSteps; g++) {
      const out = this.trainStep(progress);
      lossSum += out.loss;
      qMean = out.qMean;
    }
    const loss = lossSum / gradientSteps;
    if (!Number.isFinite(loss)) throw new TrainingDivergedError(this.numTimesteps, loss);
    return { loss, qMean };
  }

  /** One gradient step on a replay batch; returns its loss and mean Q of the taken actions. */
  private trainStep(progress: number): { loss: number; qMean: number } {
    const cfg = this.config;
    const B = cfg.batchSize;
    const prioritized = this.replay instanceof PrioritizedReplayBuffer;
    const batch = prioritized
      ? (this.replay as PrioritizedReplayBuffer).sample(B, cfg.priorityBeta0 + (1 - cfg.priorityBeta0) * progress)
      : this.replay.sample(B);
    for (let i = 0; i < B; i++) {
      this.notDone[i] = batch.terminated[i] === 1 ? 0 : 1;
      this.actionsInt[i] = batch.actions[i] as number;
    }
    let obsData = batch.observations as Float32Array;
    let nextData = batch.nextObservations as Float32Array;
    if (this.rawPixels) {
      this.encoder.scaleInto(batch.observations, this.batchObs);
      this.encoder.scaleInto(batch.nextObservations, this.batchNext);
      obsData = this.batchObs;
      nextData = this.batchNext;
    }
    const td = this.tdBatch;
    td.observations = obsData;
    td.nextObservations = nextData;
    td.rewards = batch.rewards;
    td.discounts = batch.discounts;
    td.weights = prioritized ? batch.weights : null;
    const result = this.engine.trainStep(td);
    if (prioritized) (this.replay as PrioritizedReplayBuffer).updatePriorities(batch.indices, result.tdErrors);
    this.updates++;
    return { loss: result.loss, qMean: result.qMean };
  }

  private qValuesOfRow(row: Float32Array): Float32Array {
    return this.engine.qValues(row);
  }

  /** Writes a checkpoint atomically: weights, optimizer state, RNG states, counters and (by default) the replay buffer. */
  async save(path: string, opts: SaveOptions = {}): Promise<void> {
    writeCheckpoint(path, this.toCheckpoint(opts));
  }

  /** The checkpoint's content (what `save` writes). */
  toCheckpoint(opts: SaveOptions = {}): CheckpointData {
    const arrays: Record<string, Float32Array | Float64Array | Int32Array | Uint8Array> = {};
    for (const [k, v] of Object.entries(this.online.getWeights())) arrays[`online/${k}`] = v;
    for (const [k, v] of Object.entries(this.target.getWeights())) arrays[`target/${k}`] = v;
    const optState = this.optimizer.getState();
    for (const [k, v] of Object.entries(optState.slots)) arrays[`optimizer/${k}`] = v;
    let replayMeta: JsonValue = null;
    if (opts.includeReplay !== false) {
      const serialized = this.replay.serialize();
      replayMeta = serialized.meta as unknown as JsonValue;
      for (const [k, v] of Object.entries(serialized.arrays)) arrays[`replay/${k}`] = v as Float32Array;
    }
    const meta: { [key: string]: JsonValue } = {
      version: CHECKPOINT_VERSION,
      config: this.config as unknown as JsonValue,
      counters: { numTimesteps: this.numTimesteps, updates: this.updates, episodes: this.episodes, trainingTotal: this.trainingTotal },
      rng: this.rng.getState() as unknown as JsonValue,
      optimizer: { name: optState.name, step: optState.step, learningRate: optState.learningRate },
      observationSpace: this.env.observationSpace.toJSON() as unknown as JsonValue,
      actionSpace: this.env.actionSpace.toJSON() as unknown as JsonValue,
      envId: this.env.spec?.id ?? null,
      replay: replayMeta,
    };
    return { kind: CHECKPOINT_KIND, meta, arrays };
  }

  /**
   * Rebuilds an agent from a checkpoint for `env`. A checkpoint of another agent kind, another format version, or
   * spaces that do not match the env gives an `InvalidInputError` naming the mismatch. Both engines write the
   * same checkpoint, so `overrides.engine` may differ from the engine that saved it.
   */
  static async load(path: string, env: Env<unknown, number>, overrides: LoadOverrides = {}): Promise<DQN> {
    const ckpt = readCheckpoint(path, { expectKind: CHECKPOINT_KIND });
    const meta = ckpt.meta as Record<string, unknown>;
    if (meta.version !== CHECKPOINT_VERSION) throw new InvalidInputError(`${path}: DQN checkpoint version ${String(meta.version)}, this arcade-rl reads ${CHECKPOINT_VERSION}`);
    for (const which of ['observationSpace', 'actionSpace'] as const) {
      const saved = spaceFromJSON(meta[which]).toString();
      const now = env[which].toString();
      if (saved !== now) throw new InvalidInputError(`${path}: the checkpoint's ${which} is ${saved}, the env's is ${now}`);
    }
    const agent = new DQN(env, { ...(meta.config as Partial<DQNConfig>), ...overrides });
    const pick = (prefix: string): Record<string, Float32Array> => {
      const out: Record<string, Float32Array> = {};
      for (const [k, v] of Object.entries(ckpt.arrays)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v as Float32Array;
      return out;
    };
    agent.online.setWeights(pick('online/'));
    agent.target.setWeights(pick('target/'));
    const opt = meta.optimizer as { name: OptimizerState['name']; step: number; learningRate: number };
    agent.engine.setOptimizerState({ ...opt, slots: pick('optimizer/') });
    agent.rng.setState(meta.rng as RngState);
    const counters = meta.counters as { numTimesteps: number; updates: number; episodes: number; trainingTotal: number };
    agent.numTimesteps = counters.numTimesteps;
    agent.updates = counters.updates;
    agent.episodes = counters.episodes;
    agent.trainingTotal = counters.trainingTotal;
    if (meta.replay !== null && meta.replay !== undefined) {
      const replayMeta: ReplayBufferMeta = parseReplayMeta(meta.replay);
      const arrays: Record<string, ArrayBufferView> = {};
      for (const [k, v] of Object.entries(ckpt.arrays)) if (k.startsWith('replay/')) arrays[k.slice(7)] = v;
      const restored = agent.replay instanceof PrioritizedReplayBuffer ? PrioritizedReplayBuffer.deserialize({ meta: replayMeta, arrays }) : ReplayBuffer.deserialize({ meta: replayMeta, arrays });
      agent.replay = restored as Replay;
      if (agent.nStep !== null) agent.nStep.target = restored;
    }
    return agent;
  }

  /** Frees the networks and optimizer state. */
  dispose(): void {
    this.engine.dispose();
  }
}

function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
