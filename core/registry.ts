import type { Env, EnvSpec } from './env.ts';
import { RegistryError } from './errors.ts';
import { OrderEnforcing } from './wrappers/order-enforcing.ts';
import { PassiveEnvChecker } from './wrappers/passive-env-checker.ts';
import { TimeLimit } from './wrappers/time-limit.ts';

/** Builds an env from keyword arguments. */
export type EntryPoint<O = unknown, A = unknown> = (kwargs: Record<string, unknown>) => Env<O, A>;

/** An env id that remembers the env's types: `register` returns one, and `make` of it is typed. */
export type EnvId<O, A> = string & { readonly __envTypes?: [O, A] };

export interface Registration<O = unknown, A = unknown> {
  /** `[namespace/]Name-vN`, e.g. `GridWorld-FourRooms-v0`. */
  id: string;
  /** Makes the env; receives the registered kwargs overlaid with those given to `make`. */
  entryPoint: EntryPoint<O, A>;
  /** Episodes are truncated after this many steps (`TimeLimit`). */
  maxEpisodeSteps?: number;
  /** Default keyword arguments for the entry point. */
  kwargs?: Record<string, unknown>;
  /** One line for `listEnvs()` and the README table. */
  description?: string;
  /** Replace an existing registration with the same id instead of throwing. */
  replace?: boolean;
  /**
   * URL of the module whose import registers this id (pass `import.meta.url`). Entry points are functions and
   * cannot cross threads: `AsyncVectorEnv` workers import this module to register the id themselves.
   */
  module?: string;
}

/** A registered env, as `listEnvs()` and `envSpec()` report it. */
export interface RegisteredSpec extends EnvSpec {
  readonly description?: string;
  readonly entryPoint: EntryPoint;
  /** The module that registers this id, for worker threads (see `Registration.module`). */
  readonly module?: string;
}

export interface MakeOptions {
  /** Overrides the registered time limit; `null` removes it. */
  maxEpisodeSteps?: number | null;
  /** Skip the `PassiveEnvChecker` (action checks on every step, result checks on the first). */
  disableEnvChecker?: boolean;
}

/**
 * Ids mapped to the env type `make` returns. Extend it for your own envs:
 * `declare module 'arcade-rl' { interface EnvTypes { 'Maze-v0': Env<number, number> } }`
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface EnvTypes {}

const ID_PATTERN = /^(?:([A-Za-z0-9_.:-]+)\/)?([A-Za-z0-9_.:-]+?)(?:-v(\d+))?$/;
const registry = new Map<string, RegisteredSpec>();

interface ParsedId {
  namespace: string | undefined;
  name: string;
  version: number | undefined;
}

/** Splits `ns/Name-v3` into its parts; throws on a malformed id. */
export function parseEnvId(id: string): ParsedId {
  const m = typeof id === 'string' ? ID_PATTERN.exec(id) : null;
  if (m === null) {
    throw new RegistryError(`malformed env id ${JSON.stringify(id)}: expected "[namespace/]Name-vN", e.g. "GridWorld-FourRooms-v0"`);
  }
  return { namespace: m[1], name: m[2], version: m[3] === undefined ? undefined : Number(m[3]) };
}

/**
 * Registers an env so that `make(id)` can build it (Gymnasium `register`).
 * Returns the id typed with the env's observation and action types, for a typed `make`.
 */
export function register<O, A>(reg: Registration<O, A>): EnvId<O, A> {
  const parsed = parseEnvId(reg.id);
  if (parsed.version === undefined) throw new RegistryError(`env id ${JSON.stringify(reg.id)} needs a version suffix, e.g. "${reg.id}-v0"`);
  if (typeof reg.entryPoint !== 'function') throw new RegistryError(`register(${reg.id}): entryPoint must be a function (kwargs) => Env`);
  if (reg.maxEpisodeSteps !== undefined && (!Number.isInteger(reg.maxEpisodeSteps) || reg.maxEpisodeSteps <= 0)) {
    throw new RegistryError(`register(${reg.id}): maxEpisodeSteps must be a positive integer, received ${reg.maxEpisodeSteps}`);
  }
  if (reg.module !== undefined && (typeof reg.module !== 'string' || !URL.canParse(reg.module))) {
    throw new RegistryError(`register(${reg.id}): module must be a URL string such as import.meta.url, received ${JSON.stringify(reg.module)}`);
  }
  if (registry.has(reg.id) && reg.replace !== true) {
    throw new RegistryError(`env id ${reg.id} is already registered; pass replace: true to override it`);
  }
  registry.set(reg.id, {
    id: reg.id,
    entryPoint: reg.entryPoint as EntryPoint,
    maxEpisodeSteps: reg.maxEpisodeSteps,
    kwargs: Object.freeze({ ...(reg.kwargs ?? {}) }),
    description: reg.description,
    module: reg.module,
  });
  return reg.id;
}

/** Removes a registration (mostly for tests); returns whether it existed. */
export function unregister(id: string): boolean {
  return registry.delete(id);
}

/** Every registered env, sorted by id. */
export function listEnvs(): RegisteredSpec[] {
  return [...registry.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The registration of `id`; throws a `RegistryError` with suggestions when there is none. */
export function envSpec(id: string): RegisteredSpec {
  const found = registry.get(id);
  if (found !== undefined) return found;
  const parsed = parseEnvId(id);
  const base = `${parsed.namespace === undefined ? '' : `${parsed.namespace}/`}${parsed.name}`;
  const versions = [...registry.keys()].filter((k) => k.replace(/-v\d+$/, '') === base).sort();
  if (versions.length > 0) {
    const what = parsed.version === undefined ? `${id} needs a version` : `${id} is not registered`;
    throw new RegistryError(`${what}; registered versions: ${versions.join(', ')}`);
  }
  const close = [...registry.keys()]
    .map((k) => ({ k, d: editDistance(k.toLowerCase(), id.toLowerCase()) }))
    .filter(({ d }) => d <= Math.max(3, Math.floor(id.length / 4)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map(({ k }) => k);
  const hint = close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : registry.size === 0 ? " No envs are registered: import 'arcade-rl/envs' to register the built-in ones." : ' See listEnvs().';
  throw new RegistryError(`no env registered with id ${id}.${hint}`);
}

/**
 * Builds a registered env (Gymnasium `make`), wrapped, from the inside out, in `PassiveEnvChecker`,
 * `OrderEnforcing` and `TimeLimit` (when the registration or `opts` sets a step limit).
 */
export function make<K extends keyof EnvTypes>(id: K, kwargs?: Record<string, unknown>, opts?: MakeOptions): EnvTypes[K];
export function make<O, A>(id: EnvId<O, A>, kwargs?: Record<string, unknown>, opts?: MakeOptions): Env<O, A>;
export function make(id: string, kwargs?: Record<string, unknown>, opts?: MakeOptions): Env<unknown, unknown>;
export function make(id: string, kwargs: Record<string, unknown> = {}, opts: MakeOptions = {}): Env<unknown, unknown> {
  const reg = envSpec(id);
  const merged = { ...reg.kwargs, ...kwargs };
  let env: Env<unknown, unknown> = reg.entryPoint(merged);
  if (typeof env !== 'object' || env === null || typeof env.reset !== 'function' || typeof env.step !== 'function') {
    throw new RegistryError(`entryPoint of ${id} must return an Env with reset() and step(), returned ${env === null ? 'null' : typeof env}`);
  }
  const maxEpisodeSteps = opts.maxEpisodeSteps === null ? undefined : (opts.maxEpisodeSteps ?? reg.maxEpisodeSteps);
  env.spec = { id, maxEpisodeSteps, kwargs: Object.freeze(merged) };
  if (opts.disableEnvChecker !== true) env = new PassiveEnvChecker(env);
  env = new OrderEnforcing(env);
  if (maxEpisodeSteps !== undefined) env = new TimeLimit(env, maxEpisodeSteps);
  return env;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
