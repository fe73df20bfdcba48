import { ArcadeError } from '../core/index.ts';
import { makeStorage, rowViews } from './copy.ts';
import { ReplayBuffer } from './replay-buffer.ts';
import type { ActionKind, Flag, ObsDtype, ObsStorage } from './types.ts';

/**
 * One n-step transition as handed to a callback. The object and its arrays are reused: read or copy them
 * inside the callback.
 */
export interface NStepTransition {
  env: number;
  /** o_t. */
  observation: ObsStorage;
  /** a_t: a number (discrete) or a Float32Array (continuous). */
  action: number | Float32Array;
  /** R_t^(m) = sum_{k<m} gamma^k r_{t+k}. */
  reward: number;
  /** o_{t+m}: the `nextObservation` of the step that closed the window (the final observation at an episode end). */
  nextObservation: ArrayLike<number>;
  /** The episode terminated within the window: do not bootstrap. */
  terminated: boolean;
  /** The episode was truncated within the window (and did not terminate): bootstrap from `nextObservation`. */
  truncated: boolean;
  /** gamma^m, the discount of the bootstrap value. */
  discount: number;
  /** m: steps summed (n, or fewer when the episode ended inside the window). */
  steps: number;
}

export type NStepCallback = (transition: Readonly<NStepTransition>) => void;

/** Where an accumulator sends its n-step transitions. */
export type NStepTarget = ReplayBuffer<ObsDtype, ActionKind> | NStepCallback;

/**
 * Turns one-step transitions into n-step ones (Sutton 1988; used by Rainbow, Hessel et al. 2018), per env of a
 * vector env:
 *
 *   (o_t, a_t, R_t^(m) = sum_{k<m} gamma^k r_{t+k}, o_{t+m}, terminated, truncated, discount = gamma^m)
 *
 * with m = n while the episode goes on. When an episode ends at step T every pending transition is emitted at
 * once, with m = T - t + 1 <= n: if it terminated, `terminated` is set (no bootstrap); if it was truncated,
 * `truncated` is set and `terminated` is not (bootstrap from the final observation with gamma^m). The target is
 * a Q-learning target y = R + discount * max_a Q(o_{t+m}, a) * (1 - terminated) — see `tdTargets`.
 *
 * Feed each env's steps in order with `push`, giving the real final observation as `nextObservation` at an
 * episode end (not the reset observation a vector env returns); `observation` must be the previous
 * `nextObservation` of that env unless the previous step ended the episode. With `next-step` autoreset, skip the
 * reset step. Emitted transitions go to a callback or straight into a ReplayBuffer (which must then store
 * discounts when n > 1, since m varies); a frame-stacked buffer receives each frame once.
 */
export class NStepAccumulator {
  readonly n: number;
  readonly gamma: number;
  readonly numEnvs: number;
  /** Where transitions go; set it before the first `push` when not given to the constructor. */
  target: NStepTarget | null;

  private readonly powers: Float64Array;
  private readonly head: Int32Array;
  private readonly len: Int32Array;
  private readonly rewards: Float64Array;
  private readonly returns: Float64Array;
  /** Frame mode: handle of each pending observation, and of each env's current observation (-1: none). */
  private readonly handles: Float64Array;
  private readonly current: Float64Array;

  private obsSize = -1;
  private actionKind: ActionKind = 'discrete';
  private actionDim = 1;
  private frameMode = false;
  private obs: ObsStorage | null = null;
  private obsViews: ObsStorage[] | null = null;
  private discreteActions: Int32Array | null = null;
  private continuousActions: Float32Array | null = null;
  private actionViews: Float32Array[] = [];
  private readonly out: NStepTransition;

  constructor(n: number, gamma: number, numEnvs = 1, target?: NStepTarget) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`NStepAccumulator: n must be a positive integer, received ${n}`);
    if (!(gamma >= 0 && gamma <= 1)) throw new RangeError(`NStepAccumulator: gamma must be in [0, 1], received ${gamma}`);
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RangeError(`NStepAccumulator: numEnvs must be a positive integer, received ${numEnvs}`);
    this.n = n;
    this.gamma = gamma;
    this.numEnvs = numEnvs;
    this.target = target ?? null;
    this.powers = new Float64Array(n + 1);
    for (let m = 0; m <= n; m++) this.powers[m] = Math.pow(gamma, m);
    this.head = new Int32Array(numEnvs);
    this.len = new Int32Array(numEnvs);
    this.rewards = new Float64Array(numEnvs * n);
    this.returns = new Float64Array(n);
    this.handles = new Float64Array(numEnvs * n);
    this.current = new Float64Array(numEnvs).fill(-1);
    this.out = {
      env: 0,
      observation: new Float32Array(0),
      action: 0,
      reward: 0,
      nextObservation: new Float32Array(0),
      terminated: false,
      truncated: false,
      discount: 1,
      steps: 0,
    };
  }

  /** Transitions waiting for more steps in `env`'s window. */
  pending(env = 0): number {
    return this.len[env];
  }

  /** Drops what is pending (for one env, or all), e.g. when an env is reset from outside. Nothing is emitted. */
  reset(env?: number): void {
    if (env === undefined) {
      this.len.fill(0);
      this.current.fill(-1);
    } else {
      this.len[env] = 0;
      this.current[env] = -1;
    }
  }

  /**
   * Takes one env step (o_t, a_t, r_t, o_{t+1}, terminated, truncated) of env `env` and emits the n-step
   * transitions it completes: one when the window is full, all pending ones when the episode ended here.
   * Returns how many were emitted.
   */
  push(
    observation: ArrayLike<number>,
    action: number | ArrayLike<number>,
    reward: number,
    nextObservation: ArrayLike<number>,
    terminated: Flag,
    truncated: Flag,
    env = 0,
  ): number {
    const target = this.target;
    if (target === null) throw new ArcadeError('NStepAccumulator.push: no target; pass a ReplayBuffer or a callback to the constructor or set `target`');
    if (!Number.isInteger(env) || env < 0 || env >= this.numEnvs) throw new RangeError(`NStepAccumulator.push: env must be an integer in [0, ${this.numEnvs}), received ${env}`);
    if (this.obsSize < 0) this.allocate(target, observation, action);
    if (observation.length !== this.obsSize || nextObservation.length !== this.obsSize) {
      throw new RangeError(`NStepAccumulator.push: observations must have ${this.obsSize} elements, received ${observation.length} and ${nextObservation.length}`);
    }
    const n = this.n;
    const pos = env * n + ((this.head[env] + this.len[env]) % n);
    const ended = Boolean(terminated) || Boolean(truncated);
    let nextHandle = -1;
    if (this.frameMode) {
      const buffer = target as ReplayBuffer<ObsDtype, ActionKind>;
      let h = this.current[env];
      if (!(h >= 0 && buffer.isObservationStored(h))) h = buffer.storeObservation(observation);
      this.handles[pos] = h;
      nextHandle = buffer.storeObservation(nextObservation, h);
      this.current[env] = ended ? -1 : nextHandle;
    } else {
      (this.obs as ObsStorage).set(observation, pos * this.obsSize);
    }
    if (this.actionKind === 'discrete') {
      if (typeof action !== 'number') throw new RangeError('NStepAccumulator.push: expected a discrete (number) action');
      (this.discreteActions as Int32Array)[pos] = action;
    } else {
      const actions = this.continuousActions as Float32Array;
      if (typeof action === 'number') {
        if (this.actionDim !== 1) throw new RangeError(`NStepAccumulator.push: expected an action of ${this.actionDim} elements`);
        actions[pos] = action;
      } else {
        if (action.length !== this.actionDim) throw new RangeError(`NStepAccumulator.push: action has ${action.length} elements, expected ${this.actionDim}`);
        actions.set(action, pos * this.actionDim);
      }
    }
    this.rewards[pos] = reward;
    this.len[env]++;
    if (ended) {
      const term = Boolean(terminated);
      return this.emit(env, this.len[env], nextObservation, nextHandle, term, !term);
    }
    if (this.len[env] === n) return this.emit(env, 1, nextObservation, nextHandle, false, false);
    return 0;
  }

  /** Emits the `count` oldest pending transitions of `env`, all closed by the step just pushed. */
  private emit(env: number, count: number, nextObservation: ArrayLike<number>, nextHandle: number, terminated: boolean, truncated: boolean): number {
    const n = this.n;
    const len = this.len[env];
    const head = this.head[env];
    const { returns, rewards, gamma } = this;
    let g = 0;
    for (let p = len - 1; p >= 0; p--) {
      g = rewards[env * n + ((head + p) % n)] + gamma * g;
      returns[p] = g;
    }
    for (let p = 0; p < count; p++) {
      const pos = env * n + ((head + p) % n);
      const m = len - p;
      this.emitOne(env, pos, returns[p], m, nextObservation, nextHandle, terminated, truncated);
    }
    this.head[env] = (head + count) % n;
    this.len[env] = len - count;
    return count;
  }

  private emitOne(env: number, pos: number, reward: number, m: number, nextObservation: ArrayLike<number>, nextHandle: number, terminated: boolean, truncated: boolean): void {
    const action: number | Float32Array = this.actionKind === 'discrete' ? (this.discreteActions as Int32Array)[pos] : this.actionDim === 1 ? (this.continuousActions as Float32Array)[pos] : this.actionViews[pos];
    const discount = this.powers[m];
    const target = this.target as NStepTarget;
    if (typeof target === 'function') {
      const out = this.out;
      out.env = env;
      out.observation = (this.obsViews as ObsStorage[])[pos];
      out.action = action;
      out.reward = reward;
      out.nextObservation = nextObservation;
      out.terminated = terminated;
      out.truncated = truncated;
      out.discount = discount;
      out.steps = m;
      target(out);
    } else if (this.frameMode) {
      target.addByHandles(this.handles[pos], action, reward, nextHandle, terminated, truncated, discount);
    } else {
      target.add((this.obsViews as ObsStorage[])[pos], action, reward, nextObservation, terminated, truncated, discount);
    }
  }

  /** Sizes the windows from the target buffer, or (for a callback) from the first step. */
  private allocate(target: NStepTarget, observation: ArrayLike<number>, action: number | ArrayLike<number>): void {
    const slots = this.numEnvs * this.n;
    let dtype: ObsDtype;
    if (target instanceof ReplayBuffer) {
      if (this.n > 1 && !target.storesDiscounts) {
        throw new ArcadeError('NStepAccumulator: the target ReplayBuffer must be made with storeDiscounts: true when n > 1 (episode ends shorten the window, so gamma^m varies)');
      }
      this.obsSize = target.observationSize;
      dtype = target.dtype;
      this.actionKind = target.actionType;
      this.actionDim = target.actionDim;
      this.frameMode = target.frameStacked;
    } else {
      this.obsSize = observation.length;
      dtype = observation instanceof Uint8Array ? 'uint8' : 'float32';
      this.actionKind = typeof action === 'number' ? 'discrete' : 'continuous';
      this.actionDim = typeof action === 'number' ? 1 : action.length;
    }
    if (!this.frameMode) {
      this.obs = makeStorage(dtype, slots * this.obsSize);
      this.obsViews = rowViews(this.obs, slots, this.obsSize) ?? Array.from({ length: slots }, (_, s) => (this.obs as ObsStorage).subarray(s * this.obsSize, (s + 1) * this.obsSize));
    }
    if (this.actionKind === 'discrete') {
      this.discreteActions = new Int32Array(slots);
    } else {
      const actions = new Float32Array(slots * this.actionDim);
      this.continuousActions = actions;
      this.actionViews = Array.from({ length: slots }, (_, s) => actions.subarray(s * this.actionDim, (s + 1) * this.actionDim));
    }
  }
}
