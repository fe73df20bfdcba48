import type { Env, StepResult } from '../env.ts';
import { EnvContractError } from '../errors.ts';
import { Rng } from '../rng.ts';
import { describeValue } from '../spaces/space.ts';
import { canRender, envName } from '../wrappers/wrapper.ts';

export interface CheckEnvOptions {
  /** Steps of the seeded random rollouts used for the checks. Default 200. */
  steps?: number;
  /** Seed of those rollouts. Default 0. */
  seed?: number;
  /** Throw an `EnvContractError` listing every problem (default), or only return the report. */
  throwOnError?: boolean;
}

export interface CheckEnvReport {
  errors: string[];
  warnings: string[];
}

/**
 * Checks that an env keeps the contract (Gymnasium `check_env`), with messages that name the problem:
 * spaces, reset and step return shapes, observations inside the space (offending index and value), finite rewards,
 * boolean flags, determinism under a seed, observations not mutated after being handed out, and `render()` output.
 */
export function checkEnv(env: Env<unknown, unknown>, opts: CheckEnvOptions = {}): CheckEnvReport {
  const report: CheckEnvReport = { errors: [], warnings: [] };
  const steps = opts.steps ?? 200;
  const seed = opts.seed ?? 0;
  const name = envName(env);
  const fail = (msg: string): void => void report.errors.push(`${name}: ${msg}`);

  const finish = (): CheckEnvReport => {
    if (opts.throwOnError !== false && report.errors.length > 0) {
      throw new EnvContractError(`checkEnv found ${report.errors.length} problem(s):\n- ${report.errors.join('\n- ')}`);
    }
    return report;
  };

  for (const which of ['observationSpace', 'actionSpace'] as const) {
    const s = env[which] as unknown as Record<string, unknown> | undefined;
    if (typeof s !== 'object' || s === null || typeof s.contains !== 'function' || typeof s.sample !== 'function' || typeof s.explain !== 'function') {
      fail(`${which} must be a Space (Discrete, Box, ...), received ${describeValue(s)}`);
    }
  }
  if (typeof env.metadata !== 'object' || env.metadata === null || !Array.isArray(env.metadata.renderModes)) {
    fail('metadata must be an object with a renderModes array');
  }
  if (report.errors.length > 0) return finish();

  let first: Trace;
  try {
    first = rollout(env, seed, steps, fail);
  } catch (e) {
    fail(`threw during a seeded rollout: ${(e as Error).message}`);
    return finish();
  }
  try {
    const second = rollout(env, seed, steps, () => undefined);
    const diff = firstDifference(first, second);
    if (diff !== null) fail(`not deterministic under a seed: two rollouts with reset({ seed: ${seed} }) and the same actions differ at ${diff}`);
  } catch (e) {
    fail(`threw during the second seeded rollout: ${(e as Error).message}`);
  }

  if (canRender(env)) checkRender(env, fail);
  else report.warnings.push(`${name}: has no render(); the viewer will show its observations only`);
  return finish();
}

interface Trace {
  observations: unknown[];
  results: Array<Pick<StepResult<unknown>, 'reward' | 'terminated' | 'truncated'>>;
}

function rollout(env: Env<unknown, unknown>, seed: number, steps: number, fail: (msg: string) => void): Trace {
  const trace: Trace = { observations: [], results: [] };
  const actionRng = new Rng(seed);
  const reset = env.reset({ seed });
  if (typeof reset !== 'object' || reset === null || !('observation' in reset) || !('info' in reset)) {
    fail(`reset({ seed }) must return { observation, info }, received ${describeValue(reset)}`);
    return trace;
  }
  checkObservation(env, reset.observation, 'reset()', fail);
  if (typeof reset.info !== 'object' || reset.info === null) fail(`reset() info must be an object, received ${describeValue(reset.info)}`);
  trace.observations.push(snapshot(reset.observation));

  let previous: unknown = reset.observation;
  for (let t = 0; t < steps; t++) {
    const handedOut = trace.observations[trace.observations.length - 1];
    const action = env.actionSpace.sample(actionRng);
    const r = env.step(action);
    const where = `step ${t + 1}`;
    if (typeof r !== 'object' || r === null) {
      fail(`${where}: step() must return an object, received ${describeValue(r)}`);
      return trace;
    }
    checkObservation(env, r.observation, `${where}: step()`, fail);
    if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) fail(`${where}: reward must be a finite number, received ${describeValue(r.reward)}`);
    if (typeof r.terminated !== 'boolean') fail(`${where}: terminated must be a boolean, received ${describeValue(r.terminated)}`);
    if (typeof r.truncated !== 'boolean') fail(`${where}: truncated must be a boolean, received ${describeValue(r.truncated)}`);
    if (typeof r.info !== 'object' || r.info === null) fail(`${where}: info must be an object, received ${describeValue(r.info)}`);
    if (!sameValue(snapshot(previous), handedOut)) {
      fail(`${where}: step() changed an observation returned earlier; return a fresh array each time`);
    }
    previous = r.observation;
    trace.observations.push(snapshot(r.observation));
    trace.results.push({ reward: r.reward, terminated: r.terminated, truncated: r.truncated });
    if (r.terminated || r.truncated) {
      const again = env.reset();
      previous = again.observation;
      trace.observations.push(snapshot(again.observation));
      checkObservation(env, again.observation, `${where}: reset() after the episode ended`, fail);
    }
  }
  return trace;
}

function checkObservation(env: Env<unknown, unknown>, obs: unknown, where: string, fail: (msg: string) => void): void {
  const why = env.observationSpace.explain(obs);
  if (why !== null) fail(`${where} returned an observation outside ${env.observationSpace.toString()}: ${why}`);
}

function checkRender(env: Env<unknown, unknown>, fail: (msg: string) => void): void {
  env.reset({ seed: 0 });
  let frame: unknown;
  try {
    frame = env.render?.();
  } catch (e) {
    fail(`render() threw: ${(e as Error).message}`);
    return;
  }
  if (typeof frame !== 'object' || frame === null || typeof (frame as { kind?: unknown }).kind !== 'string') {
    fail(`render() must return an object with a string "kind", received ${describeValue(frame)}`);
    return;
  }
  const bad = notJson(frame, 'frame');
  if (bad !== null) fail(`render() output is not plain JSON: ${bad}`);
}

/** The path of the first value that would not survive JSON.stringify/parse unchanged, or null. */
function notJson(x: unknown, path: string): string | null {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return null;
  if (typeof x === 'number') return Number.isFinite(x) ? null : `${path} is ${x}`;
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const bad = notJson(x[i], `${path}[${i}]`);
      if (bad !== null) return bad;
    }
    return null;
  }
  if (typeof x === 'object') {
    if (Object.getPrototypeOf(x) !== Object.prototype) return `${path} is a ${(x as object).constructor.name}, not a plain object or array`;
    for (const [k, v] of Object.entries(x)) {
      const bad = notJson(v, `${path}.${k}`);
      if (bad !== null) return bad;
    }
    return null;
  }
  return `${path} is a ${typeof x}`;
}

function snapshot(x: unknown): unknown {
  if (ArrayBuffer.isView(x)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map(snapshot);
  if (typeof x === 'object' && x !== null) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, snapshot(v)]));
  return x;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a, numbersExact) === JSON.stringify(b, numbersExact);
}

function numbersExact(_key: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

function firstDifference(a: Trace, b: Trace): string | null {
  const n = Math.max(a.observations.length, b.observations.length);
  for (let i = 0; i < n; i++) if (!sameValue(a.observations[i], b.observations[i])) return `observation ${i}`;
  for (let i = 0; i < Math.max(a.results.length, b.results.length); i++) {
    if (!sameValue(a.results[i], b.results[i])) return `step ${i + 1} (reward/terminated/truncated)`;
  }
  return null;
}
