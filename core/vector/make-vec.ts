import type { Env } from '../env.ts';
import { make, type EnvId, type EnvTypes, type MakeOptions } from '../registry.ts';
import { SyncVectorEnv, type AutoresetMode } from './sync-vector-env.ts';

export interface MakeVecOptions extends MakeOptions {
  /** Keyword arguments for every copy. */
  kwargs?: Record<string, unknown>;
  autoresetMode?: AutoresetMode;
  /** Wraps each copy after `make` (e.g. `RecordEpisodeStatistics`). */
  wrap?: (env: Env<unknown, unknown>) => Env<unknown, unknown>;
}

type ObsOf<E> = E extends Env<infer O, unknown> ? O : unknown;
type ActOf<E> = E extends Env<unknown, infer A> ? A : unknown;

/** `n` copies of a registered env in a `SyncVectorEnv` (Gymnasium `make_vec`). */
export function makeVec<K extends keyof EnvTypes>(id: K, n: number, opts?: MakeVecOptions): SyncVectorEnv<ObsOf<EnvTypes[K]>, ActOf<EnvTypes[K]>>;
export function makeVec<O, A>(id: EnvId<O, A>, n: number, opts?: MakeVecOptions): SyncVectorEnv<O, A>;
export function makeVec(id: string, n: number, opts?: MakeVecOptions): SyncVectorEnv<unknown, unknown>;
export function makeVec(id: string, n: number, opts: MakeVecOptions = {}): SyncVectorEnv<unknown, unknown> {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`makeVec: n must be a positive integer, received ${n}`);
  const { kwargs, autoresetMode, wrap, ...makeOpts } = opts;
  const one = (): Env<unknown, unknown> => {
    const env = make(id, kwargs, makeOpts);
    return wrap === undefined ? env : wrap(env);
  };
  return new SyncVectorEnv(Array.from({ length: n }, () => one), { autoresetMode });
}
