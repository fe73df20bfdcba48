import { describe, expect, it } from 'vitest';
import {
  BaseEnv,
  Box,
  ClipReward,
  Dict,
  Discrete,
  FlattenObservation,
  FrameStack,
  OneHotObservation,
  RecordEpisodeStatistics,
  TimeLimit,
  TransformObservation,
  TransformReward,
  type ResetResult,
  type StepResult,
  unwrap,
} from '../core/index.ts';
import { Corridor } from './helpers/corridor.ts';

/** Observation = [t, t+0.5] where t counts steps since reset; reward = t. */
class Counter extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1000, shape: [2] });
  readonly actionSpace = new Discrete(1);
  private t = 0;
  reset(): ResetResult<Float32Array> {
    this.t = 0;
    return { observation: Float32Array.of(0, 0.5), info: {} };
  }
  step(): StepResult<Float32Array> {
    this.t++;
    return { observation: Float32Array.of(this.t, this.t + 0.5), reward: this.t, terminated: false, truncated: false, info: {} };
  }
}

class Tabular extends BaseEnv<number, number> {
  readonly observationSpace = new Discrete(4);
  readonly actionSpace = new Discrete(4);
  reset(): ResetResult<number> {
    return { observation: 1, info: {} };
  }
  step(a: number): StepResult<number> {
    return { observation: a, reward: 0, terminated: false, truncated: false, info: {} };
  }
}

describe('wrappers', () => {
  it('TimeLimit truncates after maxEpisodeSteps and restarts the count on reset', () => {
    const env = new TimeLimit(new Counter(), 2);
    env.reset();
    expect(env.step(0).truncated).toBe(false);
    expect(env.step(0).truncated).toBe(true);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(env.step(0).truncated).toBe(false);
  });

  it('RecordEpisodeStatistics reports return and length at the end of each episode', () => {
    const env = new RecordEpisodeStatistics(new TimeLimit(new Counter(), 3), 2);
    for (let ep = 0; ep < 3; ep++) {
      env.reset();
      expect(env.step(0).info.episode).toBeUndefined();
      env.step(0);
      const last = env.step(0);
      expect(last.info.episode?.r).toBe(6);
      expect(last.info.episode?.l).toBe(3);
      expect(last.info.episode?.t).toBeGreaterThanOrEqual(0);
    }
    expect(env.returnQueue).toEqual([6, 6]);
    expect(env.episodeCount).toBe(3);
  });

  it('FrameStack stacks the last k frames oldest first, padded with the reset frame', () => {
    const env = new FrameStack(new Counter(), 3);
    expect(env.observationSpace.shape).toEqual([3, 2]);
    expect(Array.from(env.reset().observation)).toEqual([0, 0.5, 0, 0.5, 0, 0.5]);
    const first = env.step(0).observation;
    expect(Array.from(first)).toEqual([0, 0.5, 0, 0.5, 1, 1.5]);
    env.step(0);
    expect(Array.from(env.step(0).observation)).toEqual([1, 1.5, 2, 2.5, 3, 3.5]);
    expect(Array.from(first)).toEqual([0, 0.5, 0, 0.5, 1, 1.5]);
    expect(env.observationSpace.contains(first)).toBe(true);
  });

  it('FrameStack on the last axis interleaves channels, and zero-pads on request', () => {
    const env = new FrameStack(new Counter(), 2, { axis: 'last', padding: 'zero' });
    expect(env.observationSpace.shape).toEqual([4]);
    expect(Array.from(env.reset().observation)).toEqual([0, 0, 0, 0.5]);
    // shape [2] = one position with two channels: stacked as [c0 f0, c1 f0, c0 f1, c1 f1]
    expect(Array.from(env.step(0).observation)).toEqual([0, 0.5, 1, 1.5]);
  });

  it('TransformObservation, TransformReward and ClipReward change only their part', () => {
    const scaled = new TransformObservation(new Counter(), (o) => o.map((v) => v / 10), new Box({ low: 0, high: 100, shape: [2] }));
    scaled.reset();
    expect(Array.from(scaled.step(0).observation)).toEqual([0.1, 0.15].map(Math.fround));
    const doubled = new TransformReward(new Counter(), (r) => 2 * r);
    doubled.reset();
    expect(doubled.step(0).reward).toBe(2);
    const clipped = new ClipReward(new Counter(), -1, 1);
    clipped.reset();
    clipped.step(0);
    expect(clipped.step(0).reward).toBe(1);
    expect(() => new ClipReward(new Counter(), 1, -1)).toThrow(/min \(1\) must be <= max \(-1\)/);
  });

  it('OneHotObservation and FlattenObservation produce flat Float32Arrays inside their space', () => {
    const onehot = new OneHotObservation(new Tabular());
    expect(Array.from(onehot.reset().observation)).toEqual([0, 1, 0, 0]);
    expect(Array.from(onehot.step(3).observation)).toEqual([0, 0, 0, 1]);
    expect(onehot.observationSpace.contains(onehot.step(0).observation)).toBe(true);

    const flat = new FlattenObservation(new Corridor());
    expect(flat.observationSpace.shape).toEqual([2]);
    const dictEnv = new TransformObservation(new Tabular(), (o) => ({ cell: o, pos: Float32Array.of(o / 4) }), new Dict({ cell: new Discrete(4), pos: new Box({ low: 0, high: 1, shape: [1] }) }));
    const flatDict = new FlattenObservation(dictEnv);
    expect(flatDict.observationSpace.shape).toEqual([5]);
    expect(Array.from(flatDict.step(2).observation)).toEqual([0, 0, 1, 0, 0.5]);
    expect(() => new OneHotObservation(new Corridor() as never)).toThrow(/must have a Discrete observation space/);
  });

  it('unwrap reaches the innermost env', () => {
    const inner = new Counter();
    expect(unwrap(new ClipReward(new TimeLimit(inner, 5)))).toBe(inner);
  });
});
