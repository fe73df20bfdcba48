import { describe, expect, it, expectTypeOf } from 'vitest';
import { checkEnv, listEnvs, make, makeVec } from 'arcade-rl';
import { BUILTIN_ENVS } from 'arcade-rl/envs';

/** A seeded random rollout: the sequence of observations and rewards as plain numbers. */
function rollout(id: string, kwargs: Record<string, unknown>, seed: number, steps: number): number[] {
  const env = make(id, kwargs);
  env.actionSpace.seed(seed);
  const out: number[] = [];
  const push = (o: unknown): void => {
    if (typeof o === 'number') out.push(o);
    else out.push(...(o as Float32Array));
  };
  push(env.reset({ seed }).observation);
  for (let t = 0; t < steps; t++) {
    const r = env.step(env.actionSpace.sample());
    push(r.observation);
    out.push(r.reward, r.terminated ? 1 : 0, r.truncated ? 1 : 0);
    if (r.terminated || r.truncated) push(env.reset().observation);
  }
  return out;
}

describe('built-in envs', () => {
  it('importing arcade-rl/envs registers every built-in env', () => {
    const ids = listEnvs().map((s) => s.id);
    for (const { id } of BUILTIN_ENVS) expect(ids).toContain(id);
    expect(ids).toContain('GridWorld-FourRooms-v0');
    expect(ids).toContain('CartPole-v1');
  });

  const variants: Array<[string, Record<string, unknown>]> = [];
  for (const { id } of BUILTIN_ENVS) {
    variants.push([id, {}]);
    if (id.startsWith('GridWorld-')) variants.push([id, { observation: 'grid' }], [id, { observation: 'view', viewSize: 3 }]);
  }

  it.each(variants)('%s %j passes checkEnv', (id, kwargs) => {
    const report = checkEnv(make(id, kwargs), { steps: 300 });
    expect(report.errors).toEqual([]);
  });

  it.each(variants)('%s %j: a seeded random rollout is reproducible', (id, kwargs) => {
    const a = rollout(id, kwargs, 3, 400);
    expect(rollout(id, kwargs, 3, 400)).toEqual(a);
    expect(rollout(id, kwargs, 4, 400)).not.toEqual(a);
  });

  it('make of a built-in id is typed', () => {
    const env = make('CartPole-v1');
    expectTypeOf(env.reset().observation).toEqualTypeOf<Float32Array>();
    const vec = makeVec('CartPole-v1', 2);
    expectTypeOf(vec.reset().observations).toEqualTypeOf<Float32Array>();
  });
});
