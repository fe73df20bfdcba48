/**
 * Envs for the AsyncVectorEnv tests, registered with `module: import.meta.url` so that worker threads can register
 * them too. Imports core's files directly, not core/index.ts, so that a worker starts without loading TF.js.
 */
import { BaseEnv, type ResetOptions, type ResetResult, type StepResult } from '../../core/env.ts';
import { register } from '../../core/registry.ts';
import { Box } from '../../core/spaces/box.ts';
import { Dict } from '../../core/spaces/composite.ts';
import { Discrete } from '../../core/spaces/discrete.ts';

/** What `Faulty-v0` does at step `failAt`. */
export type Fault = 'none' | 'throw' | 'throw-value' | 'exit' | 'oom' | 'construct';

interface FaultyOptions {
  fault?: Fault;
  failAt?: number;
}

/** Counts steps; observation [count / 10, noise]; ends after 4 steps; misbehaves as `fault` says. */
class Faulty extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: [0, 0], high: [1, 1] });
  readonly actionSpace = new Discrete(2);
  private count = 0;
  private readonly hoard: number[][] = [];

  constructor(private readonly opts: FaultyOptions) {
    super();
    if (opts.fault === 'construct') throw new TypeError('Faulty: cannot be built');
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.seedOnReset(opts);
    this.count = 0;
    return { observation: Float32Array.of(0, this.rng.random()), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    this.count++;
    if (this.count === (this.opts.failAt ?? 2)) this.misbehave();
    return { observation: Float32Array.of(this.count / 10, this.rng.random()), reward: action, terminated: this.count === 4, truncated: false, info: { count: this.count } };
  }

  private misbehave(): void {
    switch (this.opts.fault ?? 'none') {
      case 'throw':
        throw new RangeError(`Faulty: failed on step ${this.count}`);
      case 'throw-value':
        throw 42; // eslint-disable-line @typescript-eslint/only-throw-error -- a non-Error throw on purpose
      case 'exit':
        process.exit(7);
        break;
      case 'oom':
        for (;;) this.hoard.push(new Array<number>(1 << 20).fill(1.5));
    }
  }
}

/** A Dict observation (not shared-memory friendly: it travels by structured clone). */
class DictCounter extends BaseEnv<{ count: number; noise: Float32Array }, number> {
  readonly observationSpace = new Dict({ count: new Discrete(6), noise: new Box({ low: 0, high: 1, shape: [1], dtype: 'float32' }) });
  readonly actionSpace = new Discrete(2);
  private count = 0;

  reset(opts?: ResetOptions): ResetResult<{ count: number; noise: Float32Array }> {
    this.seedOnReset(opts);
    this.count = 0;
    return { observation: { count: 0, noise: Float32Array.of(this.rng.random()) }, info: {} };
  }

  step(action: number): StepResult<{ count: number; noise: Float32Array }> {
    this.count += action;
    return { observation: { count: this.count, noise: Float32Array.of(this.rng.random()) }, reward: 1, terminated: this.count === 5, truncated: false, info: {} };
  }
}

export const FAULTY = register({ id: 'Faulty-v0', entryPoint: (kwargs) => new Faulty(kwargs as FaultyOptions), maxEpisodeSteps: 50, module: import.meta.url, replace: true });
export const DICT_COUNTER = register({ id: 'DictCounter-v0', entryPoint: () => new DictCounter(), maxEpisodeSteps: 7, module: import.meta.url, replace: true });
