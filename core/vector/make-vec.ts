import type { Env } from '../env.ts';
import { InvalidInputError } from '../errors.ts';
import { make, type EnvId, type EnvTypes, type MakeOptions } from '../registry.ts';
import { AsyncVectorEnv, type AsyncVectorEnvOptions } from './async-vector-env.ts';
import { SyncVectorEnv, type AutoresetMode } from './sync-vector-env.ts';
import type { VectorEnv } from './vector-env.ts';

export interface MakeVecOptions extends MakeOptions {
  /** Keyword arguments for every copy. */
  kwargs?: Record<string, unknown>;
  autoresetMode?: AutoresetMode;
  /** Wraps each copy after `make` (e.g. `RecordEpisodeStatistics`). */
  wrap?: (env: Env<unknown, unknown>) => Env<unknown, unknown>;
  /** `true` steps the copies in worker threads (`AsyncVectorEnv`, see `AsyncMakeVecOptions`). Default: false, one `SyncVectorEnv`. */
  async?: false;
}

/** `makeVec(id, n, { async: true, ... })`: an `AsyncVectorEnv`. No `wrap`: functions cannot cross threads. */
export interface AsyncMakeVecOptions extends AsyncVectorEnvOptions {
  async: true;
}

type ObsOf<E> = E extends Env<infer O, unknown> ? O : unknown;
type ActOf<E> = E extends Env<unknown, infer A> ? A : unknown;

/** `n` copies of a registered env in a `SyncVectorEnv`, or with `async: true` an `AsyncVectorEnv` (Gymnasium `make_vec`). */
export function makeVec<K extends keyof EnvTypes>(id: K, n: number, opts: AsyncMakeVecOptions): AsyncVectorEnv<ObsOf<EnvTypes[K]>, ActOf<EnvTypes[K]>>;
export function makeVec<K extends keyof EnvTypes>(id: K, n: number, opts?: MakeVecOptions): SyncVectorEnv<ObsOf<EnvTypes[K]>, ActOf<EnvTypes[K]>>;
export function makeVec<K extends keyof EnvTypes>(id: K, n: number, opts: MakeVecOptions | AsyncMakeVecOptions): VectorEnv<ObsOf<EnvTypes[K]>, ActOf<EnvTypes[K]>>;
export function makeVec<O, A>(id: EnvId<O, A>, n: number, opts: AsyncMakeVecOptions): AsyncVectorEnv<O, A>;
export function makeVec<O, A>(id: EnvId<O, A>, n: number, opts?: MakeVecOptions): SyncVectorEnv<O, A>;
export function makeVec<O, A>(id: EnvId<O, A>, n: number, opts: MakeVecOptions | AsyncMakeVecOptions): VectorEnv<O, A>;
export function makeVec(id: string, n: number, opts: MakeVecOptions | AsyncMakeVecOptions = {}): VectorEnv<unknown, unknown> {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`makeVec: n must be a positive integer, received ${n}`);
  if (opts.async === true) {
    const { async: _, ...asyncOpts } = opts;
    if ('wrap' in asyncOpts) throw new InvalidInputError('makeVec: wrap cannot be used with async: true (functions cannot cross to worker threads); wrap inside the registered entry point instead');
    return new AsyncVectorEnv(id, n, asyncOpts);
  }
  const { kwargs, autoresetMode, wrap, async: _, ...makeOpts } = opts;
  const one = (): Env<unknown, unknown> => {
    const env = make(id, kwargs, makeOpts);
    return wrap === undefined ? env : wrap(env);
  };
  return new SyncVectorEnv(Array.from({ length: n }, () => one), { autoresetMode });
}
