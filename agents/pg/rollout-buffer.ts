import { Rng } from '../../core/index.ts';
import { explainedVariance, gaeVec, type GaeResult } from '../../replay/index.ts';

/** A minibatch gathered from a rollout; arrays are sized for the largest minibatch and hold `size` rows. */
export interface Minibatch {
  size: number;
  observations: Float32Array;
  actions: Float32Array;
  logProbs: Float32Array;
  values: Float32Array;
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * On-policy rollout storage on typed arrays, laid out `[numSteps, numEnvs]` row-major (index `t * numEnvs + i`),
 * as `gaeVec` expects. `valid[k] = 0` marks a step whose action a next-step autoreset ignored: it is left out of
 * training, and since the step before it has `dones = 1`, no return flows across it.
 */
export class RolloutBuffer {
  readonly size: number;
  readonly observations: Float32Array;
  /** Discrete: the action index; continuous: `actionSize` floats per step (the unclipped sample). */
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  /** Rewards, with gamma * V(final observation) added on truncated steps. */
  readonly rewards: Float32Array;
  /** 1 where the episode ended (terminated or truncated) at this step. */
  readonly dones: Uint8Array;
  readonly valid: Uint8Array;
  readonly gae: GaeResult;
  private readonly order: Int32Array;
  private readonly scratchA: Float32Array;
  private readonly scratchB: Float32Array;

  constructor(
    readonly numSteps: number,
    readonly numEnvs: number,
    readonly observationSize: number,
    readonly actionSize: number,
  ) {
    const n = numSteps * numEnvs;
    this.size = n;
    this.observations = new Float32Array(n * observationSize);
    this.actions = new Float32Array(n * actionSize);
    this.logProbs = new Float32Array(n);
    this.values = new Float32Array(n);
    this.rewards = new Float32Array(n);
    this.dones = new Uint8Array(n);
    this.valid = new Uint8Array(n);
    this.gae = { advantages: new Float32Array(n), returns: new Float32Array(n) };
    this.order = new Int32Array(n);
    this.scratchA = new Float32Array(n);
    this.scratchB = new Float32Array(n);
  }

  /** GAE advantages and value targets over the whole rollout; `lastValues[i]` = V(observation after the last step) of env `i`. */
  computeAdvantages(lastValues: ArrayLike<number>, gamma: number, lambda: number): GaeResult {
    return gaeVec(this.rewards, this.values, this.dones, lastValues, this.numEnvs, gamma, lambda, this.gae);
  }

  /** Indices of the valid steps, shuffled with `rng` (Fisher-Yates); the count is `order.length` of the returned view. */
  shuffledValidIndices(rng: Rng | null): Int32Array {
    let n = 0;
    for (let k = 0; k < this.size; k++) if (this.valid[k] === 1) this.order[n++] = k;
    const order = this.order.subarray(0, n);
    if (rng !== null) {
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /** Explained variance of the rollout's values as predictors of the GAE returns, over the steps in `indices`. */
  explainedVariance(indices: Int32Array): number {
    for (let i = 0; i < indices.length; i++) {
      this.scratchA[i] = this.values[indices[i]];
      this.scratchB[i] = this.gae.returns[indices[i]];
    }
    return explainedVariance(this.scratchA, this.scratchB, indices.length);
  }

  /** A minibatch holder for up to `capacity` rows. */
  makeMinibatch(capacity: number): Minibatch {
    return {
      size: 0,
      observations: new Float32Array(capacity * this.observationSize),
      actions: new Float32Array(capacity * this.actionSize),
      logProbs: new Float32Array(capacity),
      values: new Float32Array(capacity),
      advantages: new Float32Array(capacity),
      returns: new Float32Array(capacity),
    };
  }

  /** Copies the rows `indices[start..end)` into `mb`. */
  gather(indices: Int32Array, start: number, end: number, mb: Minibatch): void {
    const o = this.observationSize;
    const a = this.actionSize;
    for (let r = 0; r < end - start; r++) {
      const k = indices[start + r];
      mb.observations.set(this.observations.subarray(k * o, (k + 1) * o), r * o);
      for (let j = 0; j < a; j++) mb.actions[r * a + j] = this.actions[k * a + j];
      mb.logProbs[r] = this.logProbs[k];
      mb.values[r] = this.values[k];
      mb.advantages[r] = this.gae.advantages[k];
      mb.returns[r] = this.gae.returns[k];
    }
    mb.size = end - start;
  }
}
