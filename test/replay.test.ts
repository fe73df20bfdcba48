import { describe, expect, it } from 'vitest';
import { BaseEnv, Box, Discrete, FrameStack, Rng, type Frame, type ResetResult, type StepResult } from '../core/index.ts';
import {
  MinTree,
  NStepAccumulator,
  PrioritizedReplayBuffer,
  ReplayBuffer,
  SumTree,
  tdTargets,
  type NStepTransition,
  type ReplayBatch,
} from '../replay/index.ts';

// ---------------------------------------------------------------------------------------------------------------
// helpers

/** A pixel env whose frame content encodes (episode, t), with a schedule of episode lengths and end kinds. */
class Ticker extends BaseEnv<Uint8Array, number> {
  readonly observationSpace: Box<'uint8'>;
  readonly actionSpace = new Discrete(3);
  episode = -1;
  t = 0;

  constructor(
    readonly shape: number[],
    readonly lengths: number[],
    readonly ends: Array<'term' | 'trunc'>,
    readonly salt = 0,
  ) {
    super();
    this.observationSpace = new Box({ low: 0, high: 255, shape, dtype: 'uint8' });
  }

  reset(): ResetResult<Uint8Array> {
    this.episode++;
    this.t = 0;
    return { observation: this.frame(), info: {} };
  }

  step(): StepResult<Uint8Array> {
    this.t++;
    const i = this.episode % this.lengths.length;
    const end = this.t >= this.lengths[i];
    const kind = this.ends[i % this.ends.length];
    return { observation: this.frame(), reward: this.episode * 100 + this.t, terminated: end && kind === 'term', truncated: end && kind === 'trunc', info: {} };
  }

  render(): Frame {
    return { kind: 'ticker' };
  }

  private frame(): Uint8Array {
    const f = this.observationSpace.zeros();
    for (let e = 0; e < f.length; e++) f[e] = (this.salt * 97 + this.episode * 41 + this.t * 13 + e * 3 + 1) % 256;
    return f;
  }
}

interface Expected {
  obs: number[];
  action: number;
  reward: number;
  next: number[];
  terminated: number;
  truncated: number;
  discount?: number;
}

function checkBatch(batch: ReplayBatch, expected: Map<number, Expected>, obsSize: number): void {
  for (let i = 0; i < batch.size; i++) {
    const e = expected.get(batch.indices[i]);
    expect(e, `slot ${batch.indices[i]}`).toBeDefined();
    if (!e) return;
    expect(Array.from(batch.observations.subarray(i * obsSize, (i + 1) * obsSize))).toEqual(e.obs);
    expect(Array.from(batch.nextObservations.subarray(i * obsSize, (i + 1) * obsSize))).toEqual(e.next);
    expect(batch.actions[i]).toBe(e.action);
    expect(batch.rewards[i]).toBe(Math.fround(e.reward));
    expect(batch.terminated[i]).toBe(e.terminated);
    expect(batch.truncated[i]).toBe(e.truncated);
    if (e.discount !== undefined) expect(batch.discounts?.[i]).toBeCloseTo(e.discount, 6);
  }
}

/** Steps `envs` round-robin for `steps` rounds with action = step count % 3, adding to `buffer` (stream = env index). */
/** What the tests need of a (frame-stacked) pixel env. */
interface PixelEnv {
  reset(): { observation: Uint8Array };
  step(action: number): StepResult<Uint8Array>;
}

function driveFrames(buffer: ReplayBuffer<'uint8'>, envs: PixelEnv[], steps: number, expected: Map<number, Expected>): number {
  let resets = envs.length;
  const obs = envs.map((e) => e.reset().observation);
  for (let s = 0; s < steps; s++) {
    envs.forEach((env, i) => {
      const action = s % 3;
      const r = env.step(action);
      const slot = buffer.add(obs[i], action, r.reward, r.observation, r.terminated, r.truncated, undefined, i);
      expected.set(slot, { obs: Array.from(obs[i]), action, reward: r.reward, next: Array.from(r.observation), terminated: r.terminated ? 1 : 0, truncated: r.truncated ? 1 : 0 });
      if (r.terminated || r.truncated) resets++;
      obs[i] = r.terminated || r.truncated ? env.reset().observation : r.observation;
    });
  }
  return resets;
}

function fillVector(buffer: ReplayBuffer, count: number): void {
  for (let i = 0; i < count; i++) buffer.add([i, i + 0.5], i % 4, i * 10, [i + 1, i + 1.5], i % 5 === 4, i % 7 === 6);
}

// ---------------------------------------------------------------------------------------------------------------

describe('ReplayBuffer', () => {
  it('stores transitions in a ring and samples only live ones', () => {
    const buf = new ReplayBuffer({ capacity: 5, observationShape: [2], seed: 1 });
    expect(buf.size).toBe(0);
    fillVector(buf, 7); // transitions 0..6; 0 and 1 overwritten
    expect(buf.size).toBe(5);
    expect(buf.capacity).toBe(5);
    const seen = new Set<number>();
    for (let k = 0; k < 50; k++) {
      const b = buf.sample(8);
      for (let i = 0; i < b.size; i++) {
        const t = b.observations[2 * i];
        seen.add(t);
        expect(b.observations[2 * i + 1]).toBe(t + 0.5);
        expect(Array.from(b.nextObservations.subarray(2 * i, 2 * i + 2))).toEqual([t + 1, t + 1.5]);
        expect(b.actions[i]).toBe(t % 4);
        expect(b.rewards[i]).toBe(t * 10);
        expect(b.terminated[i]).toBe(t % 5 === 4 ? 1 : 0);
        expect(b.truncated[i]).toBe(t % 7 === 6 ? 1 : 0);
        expect(b.weights[i]).toBe(1);
        expect(b.indices[i]).toBe(t % 5);
      }
    }
    expect([...seen].sort()).toEqual([2, 3, 4, 5, 6]);
  });

  it('is deterministic under a seed and reuses the batch object per batch size', () => {
    const a = new ReplayBuffer({ capacity: 100, observationShape: [2], seed: 42 });
    const b = new ReplayBuffer({ capacity: 100, observationShape: [2], seed: new Rng(42) });
    const c = new ReplayBuffer({ capacity: 100, observationShape: [2], seed: 43 });
    for (const buf of [a, b, c]) fillVector(buf, 60);
    const ia = Array.from(a.sample(32).indices);
    expect(Array.from(b.sample(32).indices)).toEqual(ia);
    expect(Array.from(c.sample(32).indices)).not.toEqual(ia);
    const first = a.sample(32);
    const again = a.sample(32);
    expect(again).toBe(first);
    expect(again.observations).toBe(first.observations);
    expect(a.sample(64)).not.toBe(first);
    // rng state save / restore replays the same draws
    const state = a.getRngState();
    const x = Array.from(a.sample(16).indices);
    a.setRngState(state);
    expect(Array.from(a.sample(16).indices)).toEqual(x);
  });

  it('continuous actions, uint8 observations and the discounts column', () => {
    const buf = new ReplayBuffer({ capacity: 4, observationShape: [3], dtype: 'uint8', actionType: 'continuous', actionDim: 2, storeDiscounts: true, seed: 3 });
    buf.add([1, 2, 3], [0.5, -0.5], 1, [4, 5, 300], false, true, 0.81);
    const b = buf.sample(2);
    expect(b.observations).toBeInstanceOf(Uint8Array);
    expect(b.actions).toBeInstanceOf(Float32Array);
    expect(Array.from(b.actions)).toEqual([0.5, -0.5, 0.5, -0.5]);
    expect(Array.from(b.nextObservations.subarray(0, 3))).toEqual([4, 5, 300 & 255]);
    expect(b.discounts?.[0]).toBeCloseTo(0.81);
    expect(b.truncated[0]).toBe(1);
    expect(b.terminated[0]).toBe(0);
  });

  it('rejects malformed input without storing anything', () => {
    const buf = new ReplayBuffer({ capacity: 2, observationShape: [2], seed: 0 });
    expect(() => buf.sample(4)).toThrow(/empty/);
    expect(() => buf.add([1], 0, 0, [1, 2], false, false)).toThrow(RangeError);
    // @ts-expect-error a discrete buffer takes a number action
    expect(() => buf.add([1, 2], [0, 1], 0, [1, 2], false, false)).toThrow(/discrete/);
    fillVector(buf, 2);
    const withDiscount = new ReplayBuffer({ capacity: 2, observationShape: [2], storeDiscounts: true, seed: 0 });
    expect(() => withDiscount.add([1, 2], 0, 0, [1, 2], false, false)).toThrow(/discount/);
    expect(withDiscount.size).toBe(0);
    expect(() => buf.sample(0)).toThrow(RangeError);
    expect(() => new ReplayBuffer({ capacity: 0, observationShape: [2] })).toThrow(RangeError);
    expect(() => buf.storeObservation([1, 2])).toThrow(/frameStack/);
  });

  it('clear() empties the buffer', () => {
    const buf = new ReplayBuffer({ capacity: 3, observationSize: 2, seed: 0 });
    fillVector(buf, 5);
    buf.clear();
    expect(buf.size).toBe(0);
    fillVector(buf, 1);
    expect(buf.sample(3).observations[0]).toBe(0);
  });

  it('serialize / deserialize round-trips a wrapped ring and its Rng', () => {
    const buf = new ReplayBuffer({ capacity: 6, observationShape: [2], storeDiscounts: true, seed: 9 });
    for (let i = 0; i < 9; i++) buf.add([i, -i], i, i / 2, [i + 1, -i - 1], i === 4, false, 0.9 ** (i % 3));
    const { meta, arrays } = buf.serialize();
    expect(meta.size).toBe(6);
    expect(Array.from(arrays.rewards as Float32Array)).toEqual([1.5, 2, 2.5, 3, 3.5, 4]); // oldest first
    // meta survives JSON, arrays survive a byte copy
    const copy = Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, (v as Float32Array).slice()]));
    const restored = ReplayBuffer.deserialize({ meta: JSON.parse(JSON.stringify(meta)), arrays: copy });
    expect(restored.size).toBe(6);
    for (let k = 0; k < 5; k++) {
      const x = buf.sample(8);
      const obs = Array.from(x.observations);
      const rewards = Array.from(x.rewards);
      const y = restored.sample(8);
      expect(Array.from(y.observations)).toEqual(obs);
      expect(Array.from(y.rewards)).toEqual(rewards);
    }
    expect(() => ReplayBuffer.deserialize({ meta: { ...meta, version: 2 } as unknown as typeof meta, arrays })).toThrow(/version/);
    expect(() => ReplayBuffer.deserialize({ meta, arrays: { ...arrays, rewards: new Float64Array(6) } })).toThrow(/rewards/);
  });
});

describe('ReplayBuffer with frameStack', () => {
  const shape = [2, 3];
  const k = 3;

  it('stores one frame per step and rebuilds stacks exactly (FrameStack wrapper, axis first, reset padding)', () => {
    const env = new FrameStack(new Ticker(shape, [4, 2, 6, 1], ['term', 'trunc']), k);
    const buf = new ReplayBuffer({ capacity: 64, dtype: 'uint8', frameStack: { frames: k, frameShape: shape, checkFrames: true }, seed: 5 });
    expect(buf.observationShape).toEqual([3, 2, 3]);
    expect(buf.observationSize).toBe(18);
    const expected = new Map<number, Expected>();
    const resets = driveFrames(buf, [env], 40, expected);
    expect(buf.size).toBe(40);
    for (let s = 0; s < 20; s++) checkBatch(buf.sample(32), expected, 18);
    // one frame per step plus one per episode start (a reset stack is [f0, f0, f0]), not 2 * k per transition:
    // episodes of 4, 2, 6, 1 steps -> 40 steps start 13 episodes -> 53 frames
    expect(resets).toBe(13);
    expect(buf.framesWritten).toBe(40 + 13);
  });

  it('axis last (channels-last interleave), zero padding, interleaved streams', () => {
    const envs = [0, 1].map((salt) => new FrameStack(new Ticker(shape, [3, 5, 2], ['trunc', 'term'], salt), k, { axis: 'last', padding: 'zero' }));
    const buf = new ReplayBuffer({ capacity: 128, dtype: 'uint8', frameStack: { frames: k, frameShape: shape, axis: 'last', padding: 'zero', checkFrames: true }, seed: 6 });
    expect(buf.observationShape).toEqual([2, 9]);
    const expected = new Map<number, Expected>();
    driveFrames(buf, envs, 30, expected);
    for (let s = 0; s < 20; s++) checkBatch(buf.sample(32), expected, 18);
  });

  it('a padding mismatch with the wrapper still rebuilds exactly (stores the padding frames)', () => {
    const env = new FrameStack(new Ticker(shape, [3], ['term']), k, { padding: 'zero' });
    const buf = new ReplayBuffer({ capacity: 64, dtype: 'uint8', frameStack: { frames: k, frameShape: shape, padding: 'reset', checkFrames: true }, seed: 7 });
    const expected = new Map<number, Expected>();
    driveFrames(buf, [env], 12, expected);
    for (let s = 0; s < 10; s++) checkBatch(buf.sample(16), expected, 18);
  });

  it('drops the oldest transitions when the frame ring runs out (short episodes) and never serves stale frames', () => {
    const env = new FrameStack(new Ticker(shape, [1, 2], ['term']), k);
    const buf = new ReplayBuffer({ capacity: 10, dtype: 'uint8', frameStack: { frames: k, frameShape: shape, frameCapacity: 12 }, seed: 8 });
    const expected = new Map<number, Expected>();
    driveFrames(buf, [env], 50, expected);
    expect(buf.size).toBeGreaterThan(0);
    expect(buf.size).toBeLessThan(10);
    for (let s = 0; s < 20; s++) checkBatch(buf.sample(16), expected, 18);
  });

  it('the observation contract is checked with checkFrames', () => {
    const buf = new ReplayBuffer({ capacity: 8, dtype: 'uint8', frameStack: { frames: 2, frameSize: 2, checkFrames: true }, seed: 0 });
    buf.add([1, 1, 1, 1], 0, 0, [1, 1, 2, 2], false, false);
    expect(() => buf.add([9, 9, 9, 9], 0, 0, [9, 9, 3, 3], false, false)).toThrow(/previous nextObservation/);
  });

  it('clear() invalidates earlier observation handles and stream heads', () => {
    const buf = new ReplayBuffer({ capacity: 8, dtype: 'uint8', frameStack: { frames: 2, frameSize: 2, checkFrames: true }, seed: 0 });
    const h = buf.storeObservation([1, 1, 1, 1]);
    buf.add([1, 1, 1, 1], 0, 0, [1, 1, 2, 2], false, false);
    expect(buf.isObservationStored(h)).toBe(true);
    buf.clear();
    expect(buf.size).toBe(0);
    expect(buf.isObservationStored(h)).toBe(false);
    // the stream starts afresh: a different observation is fine after clear
    buf.add([7, 7, 7, 7], 1, 0, [7, 7, 8, 8], false, false);
    const b = buf.sample(2);
    expect(Array.from(b.observations.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(b.nextObservations.subarray(0, 4))).toEqual([7, 7, 8, 8]);
    expect(() => buf.addByHandles(h, 0, 0, h, false, false)).toThrow(/no longer stored/);
  });

  it('serialize / deserialize keeps frames, links and stream heads', () => {
    // two identical envs in lockstep: A feeds the buffer, B is where a restored run would pick up
    const makeEnv = () => new FrameStack(new Ticker(shape, [5, 3], ['term', 'trunc']), k);
    const envs = [makeEnv(), makeEnv()];
    let obs = envs.map((e) => e.reset().observation);
    const buf = new ReplayBuffer({ capacity: 16, dtype: 'uint8', frameStack: { frames: k, frameShape: shape, frameCapacity: 20, checkFrames: true }, seed: 10 });
    const step = (targets: Array<ReplayBuffer<'uint8'> | null>, s: number) => {
      obs = envs.map((env, i) => {
        const r = env.step(s % 3);
        targets[i]?.add(obs[i], s % 3, r.reward, r.observation, r.terminated, r.truncated);
        return r.terminated || r.truncated ? env.reset().observation : r.observation;
      });
    };
    for (let s = 0; s < 31; s++) step([buf, null], s); // wraps both rings, stops mid-episode
    const { meta, arrays } = buf.serialize();
    expect(meta.streamHeads?.[0]).toBeGreaterThanOrEqual(0);
    const restored = ReplayBuffer.deserialize({ meta: JSON.parse(JSON.stringify(meta)), arrays }) as ReplayBuffer<'uint8'>;
    expect(restored.size).toBe(buf.size);
    const same = () => {
      for (let s = 0; s < 5; s++) {
        const x = buf.sample(16);
        const o = Array.from(x.observations);
        const n = Array.from(x.nextObservations);
        const y = restored.sample(16);
        expect(Array.from(y.observations)).toEqual(o);
        expect(Array.from(y.nextObservations)).toEqual(n);
      }
    };
    same();
    // both go on from the saved stream head (checkFrames throws if the restored head were wrong)
    for (let s = 31; s < 40; s++) step([buf, restored], s);
    same();
  });
});

describe('SumTree / MinTree', () => {
  it('prefix search, totals and minima', () => {
    const s = new SumTree(5);
    const m = new MinTree(5);
    [1, 2, 0, 3, 4].forEach((p, i) => {
      s.set(i, p);
      m.set(i, p > 0 ? p : Infinity);
    });
    expect(s.total()).toBe(10);
    expect(m.min()).toBe(1);
    // prefix intervals: 0:[0,1) 1:[1,3) 2: empty 3:[3,6) 4:[6,10)
    expect([0, 0.99, 1, 2.99, 3, 5.99, 6, 9.99].map((u) => s.find(u))).toEqual([0, 0, 1, 1, 3, 3, 4, 4]);
    // never lands on an empty leaf, even at or past the total
    expect(s.find(10)).toBe(4);
    s.set(4, 0);
    expect(s.find(6.5)).toBe(3);
    m.set(0, Infinity);
    expect(m.min()).toBe(2);
  });
});

describe('PrioritizedReplayBuffer', () => {
  const make = (opts: { alpha?: number; beta?: number; epsilon?: number; capacity?: number; seed?: number } = {}) =>
    new PrioritizedReplayBuffer({ capacity: opts.capacity ?? 4, observationShape: [1], seed: opts.seed ?? 11, alpha: opts.alpha, beta: opts.beta, epsilon: opts.epsilon });

  it('importance weights by hand (alpha = 1, beta = 1)', () => {
    const buf = make({ alpha: 1, epsilon: 0 });
    for (let i = 0; i < 3; i++) buf.add([i], 0, 0, [i], false, false);
    buf.updatePriorities([0, 1, 2], [1, -2, 3]);
    // p = [1, 2, 3], total 6, P = [1/6, 2/6, 3/6], N = 3
    // (N P)^-1 = [2, 1, 2/3]; max = 2  =>  w = [1, 0.5, 1/3]
    const want = [1, 0.5, 1 / 3];
    for (let s = 0; s < 20; s++) {
      const b = buf.sample(3, 1);
      for (let i = 0; i < 3; i++) expect(b.weights[i]).toBeCloseTo(want[b.indices[i]], 6);
      // stratified: segments [0,2) [2,4) [4,6) over prefix intervals 0:[0,1) 1:[1,3) 2:[3,6)
      expect([0, 1]).toContain(b.indices[0]);
      expect([1, 2]).toContain(b.indices[1]);
      expect(b.indices[2]).toBe(2);
    }
  });

  it('importance weights by hand (alpha = 0.5, beta = 0.5)', () => {
    const buf = make({ alpha: 0.5, epsilon: 0 });
    for (let i = 0; i < 3; i++) buf.add([i], 0, 0, [i], false, false);
    buf.updatePriorities([0, 1, 2], [1, 2, 3]);
    // p^alpha = [1, sqrt 2, sqrt 3]; min = 1
    // w = (p^alpha / min)^-beta = [1, 2^-0.25, 3^-0.25] = [1, 0.840896, 0.759836]
    const want = [1, 0.840896, 0.759836];
    expect(buf.priority(1)).toBeCloseTo(Math.SQRT2, 10);
    const b = buf.sample(64, 0.5);
    for (let i = 0; i < 64; i++) expect(b.weights[i]).toBeCloseTo(want[b.indices[i]], 5);
  });

  it('sampling frequencies match p^alpha / sum p^alpha', () => {
    const errors = [0.1, 0.5, 1, 2, 3, 0.2, 4, 0.05];
    const alpha = 0.6;
    const buf = make({ capacity: 8, alpha, seed: 12 });
    errors.forEach((_, i) => buf.add([i], 0, 0, [i], false, false));
    buf.updatePriorities([0, 1, 2, 3, 4, 5, 6, 7], errors);
    const pa = errors.map((e) => (e + 1e-6) ** alpha);
    const total = pa.reduce((a, b) => a + b, 0);
    const counts = new Array<number>(8).fill(0);
    const draws = 6400 * 32;
    for (let s = 0; s < 6400; s++) {
      const b = buf.sample(32);
      for (let i = 0; i < 32; i++) counts[b.indices[i]]++;
    }
    counts.forEach((c, i) => expect(Math.abs(c / draws - pa[i] / total)).toBeLessThan(0.003));
  });

  it('new transitions get the largest priority seen; full buffer recycles slots', () => {
    const buf = make({ capacity: 3, alpha: 0.6 });
    buf.add([0], 0, 0, [0], false, false);
    expect(buf.priority(0)).toBeCloseTo(1); // max priority starts at 1
    buf.updatePriorities([0], [4]);
    buf.add([1], 0, 0, [1], false, false);
    expect(buf.priority(1)).toBeCloseTo((4 + 1e-6) ** 0.6, 10);
    buf.updatePriorities([0, 1], [0.5, 0.5]);
    buf.add([2], 0, 0, [2], false, false);
    buf.add([3], 0, 0, [3], false, false); // overwrites slot 0
    expect(buf.priority(0)).toBeCloseTo((4 + 1e-6) ** 0.6, 10);
    const b = buf.sample(30);
    expect(Array.from(b.observations).every((o) => o >= 1)).toBe(true);
  });

  it('is deterministic under a seed and round-trips through serialize', () => {
    const a = make({ capacity: 16, seed: 13 });
    const b = make({ capacity: 16, seed: 13 });
    for (const buf of [a, b]) {
      for (let i = 0; i < 20; i++) buf.add([i], i % 3, i, [i + 1], false, false);
      buf.updatePriorities([1, 2, 3, 4], [0.1, 5, 2, 0.3]);
    }
    expect(Array.from(a.sample(32, 0.7).indices)).toEqual(Array.from(b.sample(32, 0.7).indices));
    const data = a.serialize();
    expect(data.meta.kind).toBe('PrioritizedReplayBuffer');
    const restored = PrioritizedReplayBuffer.deserialize(data);
    expect(() => ReplayBuffer.deserialize(data)).toThrow(/PrioritizedReplayBuffer/);
    for (let s = 0; s < 5; s++) {
      const x = a.sample(32, 0.5);
      const obs = Array.from(x.observations);
      const w = Array.from(x.weights);
      const y = restored.sample(32, 0.5);
      expect(Array.from(y.observations)).toEqual(obs);
      expect(Array.from(y.weights)).toEqual(w);
    }
  });

  it('frame-stacked prioritized buffer drops priorities of transitions whose frames were overwritten', () => {
    const shape = [2, 2];
    const env = new FrameStack(new Ticker(shape, [1], ['term']), 2);
    const buf = new PrioritizedReplayBuffer({ capacity: 10, dtype: 'uint8', frameStack: { frames: 2, frameShape: shape, frameCapacity: 8 }, seed: 14 });
    const expected = new Map<number, Expected>();
    driveFrames(buf, [env], 25, expected);
    let live = 0;
    for (let s = 0; s < 10; s++) if (buf.priority(s) > 0) live++;
    expect(live).toBe(buf.size);
    for (let s = 0; s < 10; s++) checkBatch(buf.sample(8), expected, 8);
  });

  it('rejects bad updates', () => {
    const buf = make();
    buf.add([0], 0, 0, [0], false, false);
    expect(() => buf.updatePriorities([0], [NaN])).toThrow(/finite/);
    expect(() => buf.updatePriorities([7], [1])).toThrow(RangeError);
    expect(() => buf.updatePriorities([0, 1], [1])).toThrow(RangeError);
  });
});

describe('NStepAccumulator', () => {
  // n = 3, gamma = 0.5
  // Episode A (env 0): rewards 1, 2, 3, 4, 5, terminated at its 5th step; observations [10+t].
  //   step 2 closes t=0: R = 1 + 0.5*2 + 0.25*3 = 2.75,  m = 3, discount 0.125, next o3   (mid-episode)
  //   step 3 closes t=1: R = 2 + 0.5*3 + 0.25*4 = 4.5,   m = 3, discount 0.125, next o4
  //   step 4 terminates, flushing t=2,3,4 (next = final o5, terminated):
  //     t=2: R = 3 + 0.5*4 + 0.25*5 = 6.25, m = 3, discount 0.125
  //     t=3: R = 4 + 0.5*5          = 6.5,  m = 2, discount 0.25
  //     t=4: R = 5,                        m = 1, discount 0.5
  // Episode B (env 0): rewards 1, 1, truncated at its 2nd step (shorter than n); observations [20+t].
  //     t=0: R = 1 + 0.5*1 = 1.5, m = 2, discount 0.25, next o2, truncated (not terminated)
  //     t=1: R = 1,               m = 1, discount 0.5,  next o2, truncated
  const want = [
    { obs: 10, action: 0, reward: 2.75, next: 13, terminated: false, truncated: false, discount: 0.125, steps: 3 },
    { obs: 11, action: 1, reward: 4.5, next: 14, terminated: false, truncated: false, discount: 0.125, steps: 3 },
    { obs: 12, action: 2, reward: 6.25, next: 15, terminated: true, truncated: false, discount: 0.125, steps: 3 },
    { obs: 13, action: 3, reward: 6.5, next: 15, terminated: true, truncated: false, discount: 0.25, steps: 2 },
    { obs: 14, action: 4, reward: 5, next: 15, terminated: true, truncated: false, discount: 0.5, steps: 1 },
    { obs: 20, action: 0, reward: 1.5, next: 22, terminated: false, truncated: true, discount: 0.25, steps: 2 },
    { obs: 21, action: 1, reward: 1, next: 22, terminated: false, truncated: true, discount: 0.5, steps: 1 },
  ];
  const episodes = [
    { base: 10, rewards: [1, 2, 3, 4, 5], end: 'term' },
    { base: 20, rewards: [1, 1], end: 'trunc' },
  ];
  const emittedPerStep = [0, 0, 1, 1, 3, 0, 2];

  function feed(acc: NStepAccumulator, env = 0): number[] {
    const counts: number[] = [];
    for (const ep of episodes) {
      ep.rewards.forEach((r, t) => {
        const last = t === ep.rewards.length - 1;
        counts.push(acc.push([ep.base + t], t, r, [ep.base + t + 1], last && ep.end === 'term', last && ep.end === 'trunc', env));
      });
    }
    return counts;
  }

  it('emits hand-computed n-step transitions through a callback', () => {
    const got: Array<(typeof want)[number]> = [];
    const acc = new NStepAccumulator(3, 0.5, 1, (t: Readonly<NStepTransition>) => {
      got.push({ obs: t.observation[0], action: t.action as number, reward: t.reward, next: t.nextObservation[0], terminated: t.terminated, truncated: t.truncated, discount: t.discount, steps: t.steps });
    });
    expect(feed(acc)).toEqual(emittedPerStep);
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => {
      expect({ ...g, reward: 0 }).toEqual({ ...want[i], reward: 0 });
      expect(g.reward).toBeCloseTo(want[i].reward, 10);
    });
    expect(acc.pending()).toBe(0);
  });

  it('keeps envs apart and writes into a ReplayBuffer with discounts', () => {
    const buf = new ReplayBuffer({ capacity: 32, observationShape: [1], storeDiscounts: true, seed: 15 });
    const acc = new NStepAccumulator(3, 0.5, 2, buf);
    // interleave: env 1 gets the same episodes shifted by +100 in observations
    const counts0: number[] = [];
    for (const ep of episodes) {
      ep.rewards.forEach((r, t) => {
        const last = t === ep.rewards.length - 1;
        const term = last && ep.end === 'term';
        const trunc = last && ep.end === 'trunc';
        counts0.push(acc.push([ep.base + t], t, r, [ep.base + t + 1], term, trunc, 0));
        acc.push([ep.base + 100 + t], t, r, [ep.base + 100 + t + 1], term, trunc, 1);
      });
    }
    expect(counts0).toEqual(emittedPerStep);
    expect(buf.size).toBe(14);
    const expected = new Map<number, Expected>();
    // emission order: both envs emit at the same steps, env 0 first
    let slot = 0;
    let w = 0;
    emittedPerStep.forEach((c) => {
      for (const shift of [0, 100]) {
        for (let j = 0; j < c; j++) {
          const e = want[w + j];
          expected.set(slot++, { obs: [e.obs + shift], action: e.action, reward: e.reward, next: [e.next + shift], terminated: e.terminated ? 1 : 0, truncated: e.truncated ? 1 : 0, discount: e.discount });
        }
      }
      w += c;
    });
    const b = buf.sample(64);
    checkBatch(b, expected, 1);
    // and the discounts feed tdTargets directly: y = R + discount * maxQ' * (1 - terminated)
    const y = tdTargets(b.rewards, new Float32Array(64).fill(8), b.terminated, b.discounts ?? 0);
    for (let i = 0; i < 64; i++) {
      const e = expected.get(b.indices[i]);
      if (e) expect(y[i]).toBeCloseTo(e.reward + (e.terminated ? 0 : (e.discount ?? 0) * 8), 5);
    }
  });

  it('n = 1 emits every step as is; n > 1 needs a buffer that stores discounts', () => {
    const got: number[] = [];
    const acc = new NStepAccumulator(1, 0.9, 1, (t) => got.push(t.reward, t.discount));
    acc.push([0], 0, 2, [1], false, false);
    acc.push([1], 0, 3, [2], true, false);
    expect(got).toEqual([2, 0.9, 3, 0.9]);
    const plain = new ReplayBuffer({ capacity: 4, observationShape: [1], seed: 0 });
    expect(() => new NStepAccumulator(3, 0.9, 1, plain).push([0], 0, 1, [1], false, false)).toThrow(/storeDiscounts/);
    expect(() => new NStepAccumulator(3, 0.9).push([0], 0, 1, [1], false, false)).toThrow(/target/);
  });

  it('reset drops pending transitions', () => {
    const got: number[] = [];
    const acc = new NStepAccumulator(3, 0.5, 1, (t) => got.push(t.reward));
    acc.push([0], 0, 1, [1], false, false);
    acc.push([1], 0, 1, [2], false, false);
    expect(acc.pending()).toBe(2);
    acc.reset();
    expect(acc.pending()).toBe(0);
    acc.push([5], 0, 4, [6], true, false);
    expect(got).toEqual([4]);
  });

  it('feeds a frame-stacked buffer, each frame once, with exact stacks', () => {
    const shape = [2, 2];
    const k = 4;
    const n = 3;
    const gamma = 0.9;
    const env = new FrameStack(new Ticker(shape, [6, 2, 4], ['term', 'trunc', 'trunc']), k);
    const buf = new ReplayBuffer({ capacity: 256, dtype: 'uint8', storeDiscounts: true, frameStack: { frames: k, frameShape: shape, checkFrames: true }, seed: 16 });
    const acc = new NStepAccumulator(n, gamma, 1, buf);
    const reference: Expected[] = [];
    const ref = new NStepAccumulator(n, gamma, 1, (t) =>
      reference.push({ obs: Array.from(t.observation), action: t.action as number, reward: t.reward, next: Array.from(t.nextObservation), terminated: t.terminated ? 1 : 0, truncated: t.truncated ? 1 : 0, discount: t.discount }),
    );
    let obs = env.reset().observation;
    let steps = 0;
    for (let s = 0; s < 60; s++) {
      const r = env.step(s % 3);
      acc.push(obs, s % 3, r.reward, r.observation, r.terminated, r.truncated);
      ref.push(obs, s % 3, r.reward, r.observation, r.terminated, r.truncated);
      steps++;
      obs = r.terminated || r.truncated ? env.reset().observation : r.observation;
    }
    expect(buf.size).toBe(reference.length);
    const expected = new Map<number, Expected>(reference.map((e, i) => [i, e]));
    for (let s = 0; s < 10; s++) checkBatch(buf.sample(32), expected, k * 4);
    // one frame per step plus one per episode start: episodes of 6, 2, 4 steps -> 60 steps start 15 episodes
    expect(steps).toBe(60);
    expect(buf.framesWritten).toBe(60 + 15);
  });
});
