import type { Env, Info } from '../env.ts';
import type { Space } from '../spaces/space.ts';
import { batcherFor, type Batch, type Batcher } from './batch.ts';
import type { VectorEnv } from './vector-env.ts';

/**
 * When a sub-env whose episode ended is reset.
 * - `next-step` (Gymnasium 1.x default): the step that ends an episode returns its final observation as usual
 *   (also in `info.finalObservation`); the *next* `step()` resets that sub-env, ignores its action, and returns the
 *   reset observation with reward 0 and `autoreset[i] = 1`. Skip such transitions when storing experience.
 * - `same-step` (Stable-Baselines3 style): the step that ends an episode resets at once and returns the reset
 *   observation; the final observation is in `info.finalObservation`, the ending step's info in `info.finalInfo`.
 */
export type AutoresetMode = 'next-step' | 'same-step';

export interface VectorResetOptions {
  /** Sub-env `i` is reset with `seed + i`, or with `seed[i]` when an array is given. */
  seed?: number | readonly number[];
  options?: Record<string, unknown>;
}

export interface VectorResetResult<O> {
  observations: Batch<O>;
  infos: Info[];
}

export interface VectorStepResult<O> {
  /** One observation per sub-env, batched (see `Batch`); a fresh array the caller owns. */
  observations: Batch<O>;
  rewards: Float64Array;
  /** 1 where the sub-env's episode terminated on this step. */
  terminations: Uint8Array;
  /** 1 where the sub-env's episode was truncated on this step. */
  truncations: Uint8Array;
  /** `next-step` mode: 1 where this call reset the sub-env and ignored its action. */
  autoreset: Uint8Array;
  infos: Info[];
}

/** Several copies of an env stepped in turn in this thread (Gymnasium `SyncVectorEnv`). */
export class SyncVectorEnv<O, A> implements VectorEnv<O, A> {
  readonly envs: Env<O, A>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly autoresetMode: AutoresetMode;
  private readonly batcher: Batcher<O>;
  private readonly needsReset: Uint8Array;

  constructor(envFns: ReadonlyArray<() => Env<O, A>>, opts: { autoresetMode?: AutoresetMode } = {}) {
    if (envFns.length === 0) throw new RangeError('SyncVectorEnv: needs at least one env');
    this.envs = envFns.map((f) => f());
    this.numEnvs = this.envs.length;
    this.singleObservationSpace = this.envs[0].observationSpace;
    this.singleActionSpace = this.envs[0].actionSpace;
    this.autoresetMode = opts.autoresetMode ?? 'next-step';
    this.batcher = batcherFor(this.singleObservationSpace, this.numEnvs);
    this.needsReset = new Uint8Array(this.numEnvs);
  }

  reset(opts: VectorResetOptions = {}): VectorResetResult<O> {
    const observations = this.batcher.create();
    const infos = new Array<Info>(this.numEnvs);
    const seeds = opts.seed;
    if (Array.isArray(seeds) && seeds.length !== this.numEnvs) {
      throw new RangeError(`SyncVectorEnv.reset: ${seeds.length} seeds given for ${this.numEnvs} envs`);
    }
    for (let i = 0; i < this.numEnvs; i++) {
      const seed = seeds === undefined ? undefined : typeof seeds === 'number' ? seeds + i : (seeds as readonly number[])[i];
      const r = this.envs[i].reset({ seed, options: opts.options });
      this.batcher.write(observations, i, r.observation);
      infos[i] = r.info;
    }
    this.needsReset.fill(0);
    return { observations, infos };
  }

  step(actions: ArrayLike<A>): VectorStepResult<O> {
    if (actions.length !== this.numEnvs) throw new RangeError(`SyncVectorEnv.step: ${actions.length} actions given for ${this.numEnvs} envs`);
    const n = this.numEnvs;
    const observations = this.batcher.create();
    const rewards = new Float64Array(n);
    const terminations = new Uint8Array(n);
    const truncations = new Uint8Array(n);
    const autoreset = new Uint8Array(n);
    const infos = new Array<Info>(n);
    const sameStep = this.autoresetMode === 'same-step';
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      if (this.needsReset[i] === 1) {
        const r = env.reset();
        this.batcher.write(observations, i, r.observation);
        infos[i] = r.info;
        autoreset[i] = 1;
        this.needsReset[i] = 0;
        continue;
      }
      const r = env.step(actions[i]);
      rewards[i] = r.reward;
      terminations[i] = r.terminated ? 1 : 0;
      truncations[i] = r.truncated ? 1 : 0;
      if (r.terminated || r.truncated) {
        if (sameStep) {
          const reset = env.reset();
          this.batcher.write(observations, i, reset.observation);
          infos[i] = { ...reset.info, finalObservation: r.observation, finalInfo: r.info };
        } else {
          this.batcher.write(observations, i, r.observation);
          infos[i] = { ...r.info, finalObservation: r.observation };
          this.needsReset[i] = 1;
        }
      } else {
        this.batcher.write(observations, i, r.observation);
        infos[i] = r.info;
      }
    }
    return { observations, rewards, terminations, truncations, autoreset, infos };
  }

  close(): void {
    for (const env of this.envs) env.close?.();
  }
}
