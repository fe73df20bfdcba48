import { describe, expect, it } from 'vitest';
import {
  bootstrapTruncated,
  bootstrapTruncatedRewards,
  discountedReturns,
  discountedReturnsVec,
  episodeEnds,
  gae,
  gaeVec,
  tdTargets,
  explainedVariance,
  standardizeInPlace,
} from '../replay/index.ts';

const close = (actual: ArrayLike<number>, expected: number[], digits = 5) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
};

describe('discountedReturns', () => {
  it('bootstraps from lastValue past the segment end', () => {
    // gamma = 0.9, lastValue = 10, no episode end:
    // G2 = 3 + 0.9 * 10   = 12
    // G1 = 2 + 0.9 * 12   = 12.8
    // G0 = 1 + 0.9 * 12.8 = 12.52
    close(discountedReturns([1, 2, 3], [0, 0, 0], 0.9, 10), [12.52, 12.8, 12]);
  });

  it('stops at an episode end', () => {
    // dones[1] = 1: step 1 is the last of its episode.
    // G2 = 3 + 0.9 * 10 = 12   (new episode, bootstrapped)
    // G1 = 2                   (done: nothing after it counts)
    // G0 = 1 + 0.9 * 2  = 2.8
    close(discountedReturns([1, 2, 3], [false, true, false], 0.9, 10), [2.8, 2, 12]);
    // lastValue defaults to 0: G2 = 3, G1 = 2, G0 = 1 + 0.9 * 2 = 2.8
    close(discountedReturns([1, 2, 3], [0, 1, 0], 0.9), [2.8, 2, 3]);
  });

  it('vectorised [T, N] layout matches per-env columns', () => {
    // env 0: rewards [1, 2, 3], dones [0, 1, 0], last 10 -> [2.8, 2, 12] (above)
    // env 1: rewards [0, 0, 1], dones [0, 0, 0], last 0, gamma 0.9 -> G2 = 1, G1 = 0.9, G0 = 0.81
    const rewards = [1, 0, 2, 0, 3, 1];
    const dones = [0, 0, 1, 0, 0, 0];
    close(discountedReturnsVec(rewards, dones, 2, 0.9, [10, 0]), [2.8, 0.81, 2, 0.9, 12, 1]);
  });

  it('rejects mismatched lengths and bad gamma', () => {
    expect(() => discountedReturns([1, 2], [0], 0.9)).toThrow(RangeError);
    expect(() => discountedReturns([1], [0], 1.5)).toThrow(RangeError);
    expect(() => discountedReturnsVec([1, 2, 3], [0, 0, 0], 2, 0.9)).toThrow(/multiple of numEnvs/);
  });
});

describe('gae', () => {
  // Shared case: rewards [1, 0, 2], values [0.5, 1.0, 1.5], gamma 0.9, lambda 0.8, so gamma * lambda = 0.72.
  const rewards = [1, 0, 2];
  const values = [0.5, 1.0, 1.5];

  it('episode ending at the last step (lastValue ignored)', () => {
    // t=2 (done): delta2 = 2 - 1.5 = 0.5                       A2 = 0.5
    // t=1:        delta1 = 0 + 0.9 * 1.5 - 1.0 = 0.35          A1 = 0.35 + 0.72 * 0.5  = 0.71
    // t=0:        delta0 = 1 + 0.9 * 1.0 - 0.5 = 1.4           A0 = 1.4  + 0.72 * 0.71 = 1.9112
    // returns = A + V = [2.4112, 1.71, 2.0]
    const r = gae(rewards, values, [0, 0, 1], 3, 0.9, 0.8);
    close(r.advantages, [1.9112, 0.71, 0.5]);
    close(r.returns, [2.4112, 1.71, 2.0]);
  });

  it('segment cut by the rollout length bootstraps from lastValue', () => {
    // t=2: delta2 = 2 + 0.9 * 3 - 1.5 = 3.2                    A2 = 3.2
    // t=1: delta1 = 0.35                                       A1 = 0.35 + 0.72 * 3.2   = 2.654
    // t=0: delta0 = 1.4                                        A0 = 1.4  + 0.72 * 2.654 = 3.31088
    const r = gae(rewards, values, [0, 0, 0], 3, 0.9, 0.8);
    close(r.advantages, [3.31088, 2.654, 3.2]);
    close(r.returns, [3.81088, 3.654, 4.7]);
  });

  it('an episode end mid-segment cuts the trace', () => {
    // dones[0] = 1: t=2 and t=1 as in the previous case (A2 = 3.2, A1 = 2.654);
    // t=0: delta0 = 1 - 0.5 = 0.5 (no bootstrap), A0 = 0.5 (no trace from A1)
    close(gae(rewards, values, [1, 0, 0], 3, 0.9, 0.8).advantages, [0.5, 2.654, 3.2]);
  });

  it('lambda = 1 is the discounted return minus V; lambda = 0 is the TD error', () => {
    const dones = [0, 1, 0, 0];
    const rw = [1, -1, 0.5, 2];
    const v = [0.3, 0.1, -0.2, 0.7];
    const g = discountedReturns(rw, dones, 0.95, 1.5);
    close(gae(rw, v, dones, 1.5, 0.95, 1).advantages, Array.from(g, (x, i) => x - v[i]));
    // TD errors: delta3 = 2 + 0.95 * 1.5 - 0.7 = 2.725; delta2 = 0.5 + 0.95 * 0.7 + 0.2 = 1.365;
    // delta1 = -1 - 0.1 = -1.1 (done); delta0 = 1 + 0.95 * 0.1 - 0.3 = 0.795
    close(gae(rw, v, dones, 1.5, 0.95, 0).advantages, [0.795, -1.1, 1.365, 2.725]);
  });

  it('truncation: fold gamma * V(final obs) into the reward and mark the step done', () => {
    // Steps 0-2 are one episode, truncated at step 2 with V(final obs) = 4; step 3 starts a new episode; the
    // segment ends with V(o_4) = 0.7.
    const rw = new Float32Array([1, 0, 2, 1]);
    const v = [0.5, 1.0, 1.5, 0.2];
    const terminated = [0, 0, 0, 0];
    const truncated = [0, 0, 1, 0];
    bootstrapTruncatedRewards(rw, terminated, truncated, [0, 0, 4, 0], 0.9);
    // r2' = 2 + 0.9 * 4 = 5.6
    close(rw, [1, 0, 5.6, 1]);
    const dones = episodeEnds(terminated, truncated);
    expect(Array.from(dones)).toEqual([0, 0, 1, 0]);
    // t=3: delta = 1 + 0.9 * 0.7 - 0.2 = 1.43                 A3 = 1.43
    // t=2: delta = 5.6 - 1.5 = 4.1 (done)                      A2 = 4.1
    // t=1: delta = 0 + 0.9 * 1.5 - 1.0 = 0.35                  A1 = 0.35 + 0.72 * 4.1   = 3.302
    // t=0: delta = 1 + 0.9 * 1.0 - 0.5 = 1.4                   A0 = 1.4  + 0.72 * 3.302 = 3.77744
    const r = gae(rw, v, dones, 0.7, 0.9, 0.8);
    close(r.advantages, [3.77744, 3.302, 4.1, 1.43]);
    // Same as if the truncated episode had been a segment of its own bootstrapped from V(final obs) = 4:
    close(gae([1, 0, 2], [0.5, 1.0, 1.5], [0, 0, 0], 4, 0.9, 0.8).advantages, [3.77744, 3.302, 4.1]);
    // scalar helper
    expect(bootstrapTruncated(2, 0.9, 4)).toBeCloseTo(5.6);
  });

  it('a step both terminated and truncated is not bootstrapped', () => {
    const rw = new Float64Array([1, 2]);
    bootstrapTruncatedRewards(rw, [0, 1], [1, 1], [10, 10], 0.5);
    // step 0 truncated only: 1 + 0.5 * 10 = 6; step 1 terminated too: stays 2
    expect(Array.from(rw)).toEqual([6, 2]);
  });

  it('gaeVec on [T, N] equals gae per env column, and reuses out arrays', () => {
    // env 0 = the "episode ending at the last step" case, env 1 = the "cut by the rollout length" case.
    const rw = [1, 1, 0, 0, 2, 2];
    const v = [0.5, 0.5, 1.0, 1.0, 1.5, 1.5];
    const d = [0, 0, 0, 0, 1, 0];
    const out = { advantages: new Float32Array(6), returns: new Float32Array(6) };
    const r = gaeVec(rw, v, d, [3, 3], 2, 0.9, 0.8, out);
    expect(r.advantages).toBe(out.advantages);
    close(r.advantages, [1.9112, 3.31088, 0.71, 2.654, 0.5, 3.2]);
    close(r.returns, [2.4112, 3.81088, 1.71, 3.654, 2.0, 4.7]);
  });

  it('rejects bad arguments', () => {
    expect(() => gae([1], [1, 2], [0], 0, 0.9, 0.9)).toThrow(/values/);
    expect(() => gae([1], [1], [0], 0, 0.9, 1.1)).toThrow(/lambda/);
    expect(() => gaeVec([1, 2], [1, 2], [0, 0], [0], 2, 0.9, 0.9)).toThrow(/lastValues/);
  });
});

describe('tdTargets', () => {
  it('y = r + gammaN * maxQ * (1 - terminated), scalar gamma^n', () => {
    // y0 = 1 + 0.9 * 2 = 2.8; y1 = 0.5 (terminated); y2 = -1 + 0.9 * 3 = 1.7
    close(tdTargets([1, 0.5, -1], [2, 4, 3], [0, 1, 0], 0.9), [2.8, 0.5, 1.7]);
  });

  it('per-transition discounts (n-step with shortened windows)', () => {
    // y0 = 1 + 0.729 * 2 = 2.458; y1 = 0.5 (terminated); y2 = -1 + 0.81 * 3 = 1.43
    const out = new Float32Array(3);
    const y = tdTargets(new Float32Array([1, 0.5, -1]), new Float32Array([2, 4, 3]), new Uint8Array([0, 1, 0]), new Float32Array([0.729, 0.9, 0.81]), out);
    expect(y).toBe(out);
    close(y, [2.458, 0.5, 1.43]);
  });

  it('rejects mismatched lengths', () => {
    expect(() => tdTargets([1, 2], [1], [0, 0], 0.9)).toThrow(RangeError);
    expect(() => tdTargets([1, 2], [1, 2], [0, 0], [0.9])).toThrow(RangeError);
  });
});

describe('explainedVariance', () => {
  it('is 1 for a perfect fit, 0 for the mean, 1 - Var(residual)/Var(y) otherwise, NaN for constant targets', () => {
    expect(explainedVariance([1, 2, 3], [1, 2, 3])).toBeCloseTo(1, 6);
    expect(explainedVariance([2, 2, 2], [1, 2, 3])).toBeCloseTo(0, 6);
    // residual [0, 0, -1]: population variance 2/9; Var(y) = 2/3 -> 1 - 1/3
    expect(explainedVariance([1, 2, 4], [1, 2, 3])).toBeCloseTo(2 / 3, 6);
    expect(explainedVariance([1, 2], [5, 5])).toBeNaN();
    expect(explainedVariance(Float32Array.of(1, 9), Float32Array.of(1, 2, 3), 1)).toBeNaN();
    expect(() => explainedVariance([1], [1, 2])).toThrow(/yPred has 1/);
  });
});

describe('standardizeInPlace', () => {
  it('centres and scales to unit population std, only the first n entries', () => {
    // mean 2, std sqrt(2/3) = 0.8164966
    const x = Float32Array.of(1, 2, 3, 42);
    standardizeInPlace(x, 3);
    close(x, [-1.2247449, 0, 1.2247449, 42]);
    close(standardizeInPlace(Float64Array.of(5, 5)), [0, 0]);
    expect(() => standardizeInPlace(new Float32Array(2), 3)).toThrow(/past the array/);
  });
});
