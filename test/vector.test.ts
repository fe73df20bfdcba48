import { describe, expect, it } from 'vitest';
import { SyncVectorEnv, TimeLimit, makeVec, register, unregister } from '../core/index.ts';
import { Corridor } from './helpers/corridor.ts';

const make3 = (mode?: 'next-step' | 'same-step') =>
  new SyncVectorEnv([() => new Corridor(3), () => new Corridor(4), () => new TimeLimit(new Corridor(10), 2)], { autoresetMode: mode });

describe('SyncVectorEnv', () => {
  it('batches observations and seeds sub-env i with seed + i', () => {
    const vec = make3();
    const { observations } = vec.reset({ seed: 5 });
    expect(observations).toBeInstanceOf(Float32Array);
    expect(observations.length).toBe(6);
    const single = new Corridor(3).reset({ seed: 6 }).observation;
    expect(observations[3]).toBe(single[1]);
  });

  it('next-step autoreset: final observation returned, then a reset with the action ignored', () => {
    const vec = make3('next-step');
    vec.reset({ seed: 0 });
    let r = vec.step([1, 1, 1]);
    expect(Array.from(r.terminations)).toEqual([0, 0, 0]);
    r = vec.step([1, 1, 1]);
    // env 0 (length 3) reached its end; env 2 hit its 2-step limit
    expect(Array.from(r.terminations)).toEqual([1, 0, 0]);
    expect(Array.from(r.truncations)).toEqual([0, 0, 1]);
    expect(r.observations[0]).toBe(1);
    expect(Array.from(r.infos[0].finalObservation as Float32Array)).toEqual(Array.from(r.observations.slice(0, 2)));
    expect((r.infos[2].finalObservation as Float32Array)[0]).toBeCloseTo(2 / 9);
    r = vec.step([1, 1, 1]);
    expect(Array.from(r.autoreset)).toEqual([1, 0, 1]);
    expect(r.observations[0]).toBe(0);
    expect(r.rewards[0]).toBe(0);
    expect(r.observations[4]).toBe(0);
    expect(Array.from(r.terminations)).toEqual([0, 1, 0]);
  });

  it('same-step autoreset: reset observation returned, final observation and info kept in info', () => {
    const vec = make3('same-step');
    vec.reset({ seed: 0 });
    vec.step([1, 1, 1]);
    const r = vec.step([1, 1, 1]);
    expect(Array.from(r.terminations)).toEqual([1, 0, 0]);
    expect(r.observations[0]).toBe(0);
    expect((r.infos[0].finalObservation as Float32Array)[0]).toBe(1);
    expect(r.infos[0].finalInfo).toEqual({ position: 2 });
    expect(r.observations[4]).toBe(0);
    expect((r.infos[2].finalObservation as Float32Array)[0]).toBeCloseTo(2 / 9);
    expect(Array.from(r.autoreset)).toEqual([0, 0, 0]);
  });

  it('is reproducible under a seed', () => {
    const run = () => {
      const vec = make3();
      const out: number[] = Array.from(vec.reset({ seed: 11 }).observations);
      for (let t = 0; t < 10; t++) out.push(...vec.step([t % 2, 1, 0]).observations);
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('rejects the wrong number of actions or seeds', () => {
    const vec = make3();
    expect(() => vec.reset({ seed: [1, 2] })).toThrow('SyncVectorEnv.reset: 2 seeds given for 3 envs');
    vec.reset();
    expect(() => vec.step([1])).toThrow('SyncVectorEnv.step: 1 actions given for 3 envs');
  });

  it('makeVec builds n checked copies of a registered env', () => {
    register({ id: 'VecCorridor-v0', entryPoint: () => new Corridor(3), maxEpisodeSteps: 10 });
    try {
      const vec = makeVec('VecCorridor-v0', 4);
      expect(vec.numEnvs).toBe(4);
      const { observations } = vec.reset({ seed: 1 });
      expect(observations.length).toBe(8);
      expect(() => vec.step([0, 1, 2, 0])).toThrow(/action 2 is not in the action space/);
    } finally {
      unregister('VecCorridor-v0');
    }
  });
});
