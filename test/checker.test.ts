import { describe, expect, it } from 'vitest';
import { checkEnv, EnvContractError, type Frame, type ResetResult, type StepResult } from '../core/index.ts';
import { Corridor } from './helpers/corridor.ts';

class OutOfBounds extends Corridor {
  override step(a: number): StepResult<Float32Array> {
    const r = super.step(a);
    r.observation = Float32Array.of(0.5, 3);
    return r;
  }
}
class NanReward extends Corridor {
  override step(a: number): StepResult<Float32Array> {
    return { ...super.step(a), reward: NaN };
  }
}
let globalCounter = 0;
class NotDeterministic extends Corridor {
  override reset(): ResetResult<Float32Array> {
    this.position = 0;
    return { observation: Float32Array.of(0, (globalCounter++ % 10) / 10), info: {} };
  }
}
class ReusesBuffer extends Corridor {
  private buf = new Float32Array(2);
  override reset(o?: { seed?: number }): ResetResult<Float32Array> {
    super.reset(o);
    return { observation: this.fill(), info: {} };
  }
  override step(a: number): StepResult<Float32Array> {
    return { ...super.step(a), observation: this.fill() };
  }
  private fill(): Float32Array {
    this.buf[0] = this.position / (this.length - 1);
    return this.buf;
  }
}
class TypedArrayFrame extends Corridor {
  override render(): Frame {
    return { kind: 'corridor', cells: new Float32Array(2) as unknown as number[] };
  }
}
class BadFlags extends Corridor {
  override step(a: number): StepResult<Float32Array> {
    return { ...super.step(a), terminated: 0 as unknown as boolean };
  }
}

function problems(env: Corridor): string[] {
  return checkEnv(env, { throwOnError: false, steps: 50 }).errors;
}

describe('checkEnv', () => {
  it('passes a correct env with no errors', () => {
    expect(checkEnv(new Corridor()).errors).toEqual([]);
  });

  it('names the offending index and value of an observation outside its space', () => {
    expect(problems(new OutOfBounds())[0]).toBe('OutOfBounds: step 1: step() returned an observation outside Box(0, 1, [2], float32): index 1 has value 3, outside [0, 1]');
  });

  it('catches non-finite rewards and non-boolean flags', () => {
    expect(problems(new NanReward())[0]).toBe('NanReward: step 1: reward must be a finite number, received NaN');
    expect(problems(new BadFlags())[0]).toBe('BadFlags: step 1: terminated must be a boolean, received 0');
  });

  it('catches an env that is not deterministic under a seed', () => {
    expect(problems(new NotDeterministic())).toContain('NotDeterministic: not deterministic under a seed: two rollouts with reset({ seed: 0 }) and the same actions differ at observation 0');
  });

  it('catches an env that mutates observations it handed out', () => {
    expect(problems(new ReusesBuffer())[0]).toMatch(/step\(\) changed an observation returned earlier/);
  });

  it('catches render output that is not plain JSON', () => {
    expect(problems(new TypedArrayFrame())).toEqual(['TypedArrayFrame: render() output is not plain JSON: frame.cells is a Float32Array, not a plain object or array']);
  });

  it('throws an EnvContractError listing every problem by default', () => {
    expect(() => checkEnv(new NanReward())).toThrow(EnvContractError);
    expect(() => checkEnv(new NanReward())).toThrow(/checkEnv found \d+ problem\(s\)/);
  });
});

describe('BaseEnv RNG state', () => {
  it('saving and restoring the env RNG reproduces the rest of the episode', () => {
    const env = new Corridor(50);
    env.reset({ seed: 9 });
    env.step(1);
    const state = env.getRngState();
    const rest = [env.step(1).observation[1], env.step(0).observation[1]];
    env.setRngState(state);
    expect([env.step(1).observation[1], env.step(0).observation[1]]).toEqual(rest);
  });
});
