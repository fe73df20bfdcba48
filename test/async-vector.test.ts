import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AsyncVectorEnv, InvalidInputError, Rng, SyncVectorEnv, VectorEnvWorkerError, makeVec, register, unregister, type VectorEnv } from '../core/index.ts';
import '../envs/index.ts';
import { Corridor } from './helpers/corridor.ts';
import { DICT_COUNTER, FAULTY } from './helpers/worker-envs.ts';

const open: Array<{ close(): void }> = [];
/** Every vector env a test makes is closed after it, so that no worker outlives its test. */
function track<V extends { close(): void }>(vec: V): V {
  open.push(vec);
  return vec;
}
afterEach(() => {
  for (const vec of open.splice(0)) vec.close();
});

type Mode = 'next-step' | 'same-step';

/** Element-wise equality of two batches, fast on the 14k-byte pixel batches (`toEqual` walks them slowly). */
function sameValues(a: unknown, b: unknown): boolean {
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    return a.constructor === b.constructor && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }
  expect(a).toEqual(b);
  return true;
}

/** Steps a SyncVectorEnv and an AsyncVectorEnv side by side with the same seed and actions; returns episodes ended. */
function expectSameRun(sync: VectorEnv<unknown, number>, other: VectorEnv<unknown, number>, steps: number): number {
  const a = sync.reset({ seed: 42 });
  const b = other.reset({ seed: 42 });
  expect(b.observations).toEqual(a.observations);
  expect(b.infos).toEqual(a.infos);
  const rng = new Rng(7);
  const actions = new Array<number>(sync.numEnvs);
  let ended = 0;
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < actions.length; i++) actions[i] = sync.singleActionSpace.sample(rng);
    const x = sync.step(actions);
    const y = other.step(actions);
    expect(sameValues(y.observations, x.observations), `observations at step ${t}`).toBe(true);
    expect(y.rewards, `step ${t}`).toEqual(x.rewards);
    expect(y.terminations, `step ${t}`).toEqual(x.terminations);
    expect(y.truncations, `step ${t}`).toEqual(x.truncations);
    expect(y.autoreset, `step ${t}`).toEqual(x.autoreset);
    expect(y.infos, `step ${t}`).toEqual(x.infos);
    for (let i = 0; i < actions.length; i++) ended += x.terminations[i] | x.truncations[i];
  }
  return ended;
}

function parity(id: string, kwargs: Record<string, unknown>, mode: Mode, numEnvs: number, numWorkers: number, steps: number, maxEpisodeSteps?: number): number {
  const sync = track(makeVec(id, numEnvs, { kwargs, autoresetMode: mode, maxEpisodeSteps })) as unknown as VectorEnv<unknown, number>;
  const other = track(makeVec(id, numEnvs, { async: true, kwargs, autoresetMode: mode, maxEpisodeSteps, numWorkers })) as unknown as VectorEnv<unknown, number>;
  expect(other).toBeInstanceOf(AsyncVectorEnv);
  expect(other.singleObservationSpace.toJSON()).toEqual(sync.singleObservationSpace.toJSON());
  return expectSameRun(sync, other, steps);
}

describe('AsyncVectorEnv gives what SyncVectorEnv gives, for the same seed and actions', () => {
  it('CartPole-v1, next-step autoreset, 3 envs on 2 workers', () => {
    expect(parity('CartPole-v1', {}, 'next-step', 3, 2, 300)).toBeGreaterThan(10);
  });

  it('CartPole-v1, same-step autoreset', () => {
    expect(parity('CartPole-v1', {}, 'same-step', 2, 1, 300)).toBeGreaterThan(10);
  });

  it('a grid world (FrozenLake, Discrete observations), both autoreset modes', () => {
    expect(parity('GridWorld-FrozenLake-v0', {}, 'next-step', 3, 1, 200)).toBeGreaterThan(10);
    expect(parity('GridWorld-FrozenLake-v0', {}, 'same-step', 2, 1, 200)).toBeGreaterThan(10);
  });

  it('Platformer-v0 symbolic (next-step) and pixels (same-step), 60-step time limit', () => {
    expect(parity('Platformer-v0', {}, 'next-step', 2, 1, 200, 60)).toBeGreaterThanOrEqual(4);
    expect(parity('Platformer-v0', { observation: 'pixels' }, 'same-step', 2, 1, 130, 60)).toBeGreaterThanOrEqual(4);
  });

  it('Dict observations travel by structured clone', () => {
    const sync = track(makeVec(DICT_COUNTER, 3, { autoresetMode: 'same-step' }));
    const other = track(makeVec(DICT_COUNTER, 3, { async: true, autoresetMode: 'same-step', numWorkers: 2 }));
    expect(Array.isArray(other.reset({ seed: 1 }).observations)).toBe(true);
    expect(expectSameRun(sync, other, 40)).toBeGreaterThan(5);
  });

  it('results are fresh arrays the caller owns', () => {
    const vec = track(makeVec(FAULTY, 2, { async: true, numWorkers: 1 }));
    const first = vec.reset({ seed: 3 }).observations;
    const kept = first.slice();
    const r = vec.step([1, 1]);
    expect(first).toEqual(kept);
    expect(r.observations).not.toBe(first);
    expect(Array.from(r.rewards)).toEqual([1, 1]);
    expect(r.infos).toEqual([{ count: 1 }, { count: 1 }]);
  });

  it('keeps in step over 20k calls on 2 workers (a late wake-up once made a worker run a command twice)', () => {
    const vec = track(makeVec(FAULTY, 2, { async: true, numWorkers: 2 }));
    vec.reset({ seed: 0 });
    let reward = 0;
    let resets = 0;
    for (let t = 0; t < 20_000; t++) {
      const r = vec.step([1, 1]);
      reward += r.rewards[0] + r.rewards[1];
      resets += r.autoreset[0] + r.autoreset[1];
    }
    // Episodes of 4 rewarded steps, then one autoreset step: 4 of every 5 calls pay 1 per env.
    expect(resets).toBe(2 * 4_000);
    expect(reward).toBe(2 * 16_000);
  });
});

describe('AsyncVectorEnv errors', () => {
  it('an env that throws names its index and keeps the original stack; the vector env stays usable', () => {
    const vec = track(new AsyncVectorEnv(FAULTY, 3, { numWorkers: 2, kwargs: { fault: 'throw', failAt: 2 } }));
    vec.reset({ seed: 0 });
    vec.step([0, 0, 0]);
    let error: unknown;
    try {
      vec.step([0, 0, 0]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VectorEnvWorkerError);
    const e = error as VectorEnvWorkerError;
    expect(e.message).toBe('AsyncVectorEnv.step: env 0 threw in step(): RangeError: Faulty: failed on step 2');
    expect(e.envIndex).toBe(0);
    expect(e.stack).toMatch(/Caused in the worker by: RangeError: Faulty: failed on step 2\n\s+at Faulty\.misbehave .*worker-envs\.ts/);
    expect((e.cause as Error).name).toBe('RangeError');
    expect(vec.reset({ seed: 0 }).observations.length).toBe(6);
  });

  it('a bad action fails in the worker checker with the env index, as SyncVectorEnv does', () => {
    const vec = track(makeVec(FAULTY, 2, { async: true, numWorkers: 1 }));
    vec.reset();
    expect(() => vec.step([0, 2])).toThrow(/^AsyncVectorEnv\.step: env 1 threw in step\(\): EnvContractError: .*action 2 is not in the action space Discrete\(2\)/);
    expect(() => vec.step(['left' as unknown as number, 0])).toThrow('AsyncVectorEnv.step: action 0 must be a number for Discrete(2), received "left"');
    expect(() => vec.step([0])).toThrow('AsyncVectorEnv.step: 1 actions given for 2 envs');
    expect(() => vec.reset({ seed: [1] })).toThrow('AsyncVectorEnv.reset: 1 seeds given for 2 envs');
  });

  it('an env that cannot be built fails the constructor with its index; a non-Error throw is reported too', () => {
    expect(() => new AsyncVectorEnv(FAULTY, 2, { numWorkers: 1, kwargs: { fault: 'construct' } })).toThrow(
      'AsyncVectorEnv: env 0 threw in make(): TypeError: Faulty: cannot be built',
    );
    const vec = track(new AsyncVectorEnv(FAULTY, 1, { kwargs: { fault: 'throw-value', failAt: 1 } }));
    vec.reset();
    expect(() => vec.step([0])).toThrow('AsyncVectorEnv.step: env 0 threw in step(): thrown value: 42');
  });

  it('process.exit in an env fails the pending call and closes the vector env', () => {
    const vec = track(new AsyncVectorEnv(FAULTY, 2, { numWorkers: 2, kwargs: { fault: 'exit', failAt: 1 } }));
    vec.reset();
    expect(() => vec.step([0, 0])).toThrow(/^AsyncVectorEnv\.step: worker [01] \(envs [01]\.\.[01]\) exited with code 7; the vector env is closed$/);
    expect(() => vec.reset()).toThrow(/AsyncVectorEnv\.reset: the vector env is closed \(worker [01] exited with code 7\)/);
  });

  it('a worker out of memory fails the pending call with a clear error', () => {
    const vec = track(new AsyncVectorEnv(FAULTY, 1, { kwargs: { fault: 'oom', failAt: 1 }, resourceLimits: { maxOldGenerationSizeMb: 24, maxYoungGenerationSizeMb: 4 } }));
    vec.reset();
    expect(() => vec.step([0])).toThrow(/^AsyncVectorEnv\.step: worker 0 \(envs 0\.\.0\) died: Error: Worker terminated due to reaching memory limit: JS heap out of memory/);
  });

  it('bad options are rejected before any worker starts', () => {
    expect(() => new AsyncVectorEnv(FAULTY, 0)).toThrow(InvalidInputError);
    expect(() => new AsyncVectorEnv(FAULTY, 2, { numWorkers: 3 })).toThrow('AsyncVectorEnv: numWorkers must be an integer in [1, 2], received 3');
    expect(() => new AsyncVectorEnv('Nope-v0', 2)).toThrow(/no env registered with id Nope-v0/);
    expect(() => makeVec(FAULTY, 2, { async: true, kwargs: { f: () => 1 } })).toThrow(/kwargs and options must be structured-cloneable/);
    expect(() => makeVec(FAULTY, 2, { async: true, wrap: (e: unknown) => e } as never)).toThrow(/wrap cannot be used with async: true/);
    register({ id: 'NoModule-v0', entryPoint: () => new Corridor(3) });
    try {
      expect(() => new AsyncVectorEnv('NoModule-v0', 1)).toThrow(/was registered without `module`.*pass `module: import\.meta\.url` to register\(\), or `imports/);
    } finally {
      unregister('NoModule-v0');
    }
  });
});

describe('AsyncVectorEnv lifetime', () => {
  it('close() ends the workers: the process exits, also when a vector env was never closed', () => {
    const helpers = new URL('./helpers/worker-envs.ts', import.meta.url).href;
    const core = new URL('../core/vector/index.ts', import.meta.url).href; // not core/index.ts: no TF.js to load
    const script = `
      const { AsyncVectorEnv } = await import(${JSON.stringify(core)});
      await import(${JSON.stringify(helpers)});
      const closed = new AsyncVectorEnv('Faulty-v0', 2);
      closed.reset({ seed: 1 });
      closed.step([1, 0]);
      closed.close();
      closed.close();
      const forgotten = new AsyncVectorEnv('Faulty-v0', 1);
      forgotten.reset();
      console.log('done');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 50_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('done');
    expect(r.signal).toBe(null); // not killed by the timeout
    expect(r.status).toBe(0);
  });

  it('SyncVectorEnv and AsyncVectorEnv share the VectorEnv interface', () => {
    const vecs: Array<VectorEnv<Float32Array, number>> = [new SyncVectorEnv([() => new Corridor(3)]), track(new AsyncVectorEnv(FAULTY, 1))];
    for (const vec of vecs) {
      expect(vec.numEnvs).toBe(1);
      expect(vec.autoresetMode).toBe('next-step');
      expect(vec.reset({ seed: 0 }).observations).toBeInstanceOf(Float32Array);
    }
  });
});
