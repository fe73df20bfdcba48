import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { EnvContractError, OrderEnforcing, PassiveEnvChecker, RegistryError, TimeLimit, envSpec, listEnvs, make, parseEnvId, register, unregister } from '../core/index.ts';
import { Corridor } from './helpers/corridor.ts';

const ids: string[] = [];
function reg(id: string, extra: Partial<Parameters<typeof register>[0]> = {}): void {
  register({ id, entryPoint: (kw) => new Corridor(kw.length as number | undefined), ...extra });
  ids.push(id);
}
afterEach(() => {
  for (const id of ids.splice(0)) unregister(id);
});

describe('registry', () => {
  it('parses ids', () => {
    expect(parseEnvId('ns/My-Env-v3')).toEqual({ namespace: 'ns', name: 'My-Env', version: 3 });
    expect(parseEnvId('Plain')).toEqual({ namespace: undefined, name: 'Plain', version: undefined });
    expect(() => parseEnvId('bad id!')).toThrow(/malformed env id "bad id!"/);
  });

  it('makes a registered env wrapped in checker, order enforcing and time limit, with kwargs merged', () => {
    reg('TestCorridor-v0', { maxEpisodeSteps: 3, kwargs: { length: 10 }, description: 'test' });
    const env = make('TestCorridor-v0');
    expect(env).toBeInstanceOf(TimeLimit);
    expect((env as TimeLimit<unknown, unknown>).env).toBeInstanceOf(OrderEnforcing);
    expect(((env as TimeLimit<unknown, unknown>).env as OrderEnforcing<unknown, unknown>).env).toBeInstanceOf(PassiveEnvChecker);
    expect(env.spec).toEqual({ id: 'TestCorridor-v0', maxEpisodeSteps: 3, kwargs: { length: 10 } });
    expect(make('TestCorridor-v0', { length: 4 }).spec?.kwargs).toEqual({ length: 4 });
    expect(listEnvs().some((s) => s.id === 'TestCorridor-v0' && s.description === 'test')).toBe(true);
    env.reset({ seed: 0 });
    const r = [env.step(0), env.step(0), env.step(0)];
    expect(r.map((x) => x.truncated)).toEqual([false, false, true]);
  });

  it('register returns a typed id, so make of it is typed', () => {
    const id = register({ id: 'TypedCorridor-v0', entryPoint: () => new Corridor() });
    ids.push(id);
    const env = make(id);
    expectTypeOf(env.reset().observation).toEqualTypeOf<Float32Array>();
    expectTypeOf(env.step).parameter(0).toEqualTypeOf<number>();
    expect(env.reset({ seed: 1 }).observation).toBeInstanceOf(Float32Array);
  });

  it('make options override the time limit and skip the checker', () => {
    reg('TestCorridor-v1', { maxEpisodeSteps: 3 });
    expect(make('TestCorridor-v1', {}, { maxEpisodeSteps: null })).toBeInstanceOf(OrderEnforcing);
    const noCheck = make('TestCorridor-v1', {}, { disableEnvChecker: true, maxEpisodeSteps: null }) as OrderEnforcing<unknown, unknown>;
    expect(noCheck.env).toBeInstanceOf(Corridor);
  });

  it('explains unknown ids, missing versions and duplicates', () => {
    reg('TestCorridor-v0');
    reg('TestCorridor-v2');
    expect(() => make('TestCoridor-v0')).toThrow(/no env registered with id TestCoridor-v0\. Did you mean TestCorridor-v0/);
    expect(() => make('TestCorridor-v5')).toThrow('TestCorridor-v5 is not registered; registered versions: TestCorridor-v0, TestCorridor-v2');
    expect(() => make('TestCorridor')).toThrow(/TestCorridor needs a version/);
    expect(() => reg('TestCorridor-v0')).toThrow(/already registered/);
    expect(() => register({ id: 'NoVersion', entryPoint: () => new Corridor() })).toThrow(/needs a version suffix/);
    expect(() => envSpec('Zzzzzzzzzzzzzzzzzz-v0')).toThrow(RegistryError);
  });

  it('errors clearly on step before reset and on an action outside the space', () => {
    reg('TestCorridor-v0');
    const env = make('TestCorridor-v0');
    expect(() => env.step(1)).toThrow('TestCorridor-v0: step() called before reset(); call reset() first');
    env.reset();
    expect(() => env.step(7)).toThrow(EnvContractError);
    expect(() => env.step(7)).toThrow('TestCorridor-v0: action 7 is not in the action space Discrete(2): value 7 is outside [0, 1]');
  });

  it('catches a bad observation on the first reset', () => {
    register({ id: 'BrokenObs-v0', entryPoint: () => Object.assign(new Corridor(), { observationSpace: new Corridor().observationSpace, reset: () => ({ observation: Float32Array.of(0, 7), info: {} }) }) });
    ids.push('BrokenObs-v0');
    expect(() => make('BrokenObs-v0').reset()).toThrow('BrokenObs-v0: reset() returned an observation outside Box(0, 1, [2], float32): index 1 has value 7, outside [0, 1]');
  });
});
