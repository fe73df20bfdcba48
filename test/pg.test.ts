import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BaseEnv, Box, InvalidInputError, Rng, SyncVectorEnv, make, makeVec, tf, useBackend, type Env, type ResetResult, type StepResult } from '../core/index.ts';
import '../envs/index.ts';
import {
  A2C,
  PPO,
  REINFORCE,
  resolveA2CConfig,
  resolveReinforceConfig,
  categoricalEntropy,
  categoricalLogProb,
  categoricalLogProbOf,
  gaussianEntropy,
  gaussianLogProb,
  normalizeAdvantages,
  ppoClippedLoss,
  resolvePPOConfig,
  sampleCategorical,
  valueLoss,
  type PPOConfig,
} from '../agents/index.ts';
import { PointToTarget } from './helpers/continuous-env.ts';

beforeAll(async () => {
  await useBackend('wasm');
});

const close = (actual: ArrayLike<number>, expected: number[], digits = 5): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
};
const run = (f: () => tf.Tensor): Float32Array => tf.tidy(() => f()).dataSync() as Float32Array;

describe('distributions', () => {
  it('categorical log-prob and entropy match hand-computed values', () => {
    // logits [0, ln 3] -> probs [0.25, 0.75]; logits [0, 0] -> [0.5, 0.5]
    const logits = (): tf.Tensor2D => tf.tensor2d([0, Math.log(3), 0, 0], [2, 2]);
    close(run(() => categoricalLogProb(logits(), tf.tensor1d([1, 0], 'int32'))), [Math.log(0.75), Math.log(0.5)]);
    // -(0.25 ln 0.25 + 0.75 ln 0.75) = 0.5623351; ln 2 = 0.6931472
    close(run(() => categoricalEntropy(logits())), [0.5623351, 0.6931472]);
    expect(categoricalLogProbOf([0, Math.log(3)], 0, 2, 1)).toBeCloseTo(Math.log(0.75), 6);
  });

  it('diagonal Gaussian log-prob and entropy match hand-computed values', () => {
    // mean [0, 1], std [1, 2], action [1, 1]: (-0.5 - 0 - 0.9189385) + (0 - ln 2 - 0.9189385) = -3.0310242
    const logStd = (): tf.Tensor1D => tf.tensor1d([0, Math.log(2)]);
    close(run(() => gaussianLogProb(tf.tensor2d([[0, 1]]), logStd(), tf.tensor2d([[1, 1]]))), [-3.0310242]);
    // sum of logStd + 0.5 * ln(2 pi e) = 0 + ln 2 + 2 * 1.4189385 = 3.5310242, once per row
    close(run(() => gaussianEntropy(logStd(), 3)), [3.5310242, 3.5310242, 3.5310242]);
  });

  it('samples a categorical in proportion to its probabilities, and the mode when deterministic', () => {
    const rng = new Rng(3);
    let ones = 0;
    for (let i = 0; i < 20_000; i++) ones += sampleCategorical([0, Math.log(3)], 0, 2, rng, false);
    expect(ones / 20_000).toBeGreaterThan(0.74);
    expect(ones / 20_000).toBeLessThan(0.76);
    expect(sampleCategorical([2, 1, 3], 0, 3, rng, true)).toBe(2);
  });
});

describe('losses', () => {
  it('PPO clipped loss, approx_kl and clipfrac match hand-computed values', () => {
    // ratios [1.5, 0.5, 1.1], advantages [1, 1, -2], clip 0.2:
    // per-sample max(-A r, -A clip(r)) = [-1.2, -0.5, 2.2] -> mean 0.1666667
    // approx_kl = mean((r - 1) - ln r) = mean(0.0945349, 0.1931472, 0.0046898) = 0.0974573
    // old_approx_kl = mean(-ln r) = 0.0641240; clipfrac = 2/3
    const out = run(() => {
      const l = ppoClippedLoss(tf.tensor1d([Math.log(1.5), Math.log(0.5), Math.log(1.1)]), tf.zeros([3]) as tf.Tensor1D, tf.tensor1d([1, 1, -2]), 0.2);
      return tf.stack([l.loss, l.approxKl, l.oldApproxKl, l.clipfrac]);
    });
    close(out, [0.1666667, 0.0974573, 0.064124, 2 / 3]);
  });

  it('value loss, plain and clipped around the old values', () => {
    // values [1, 2], returns [0, 0]: plain 0.5 * mean(1, 4) = 1.25
    // old [0.5, 2.5], clip 0.2: clipped values [0.7, 2.3] -> squares [0.49, 5.29]; max with [1, 4] -> 0.5 * mean(1, 5.29) = 1.5725
    close(run(() => valueLoss(tf.tensor1d([1, 2]), tf.tensor1d([0, 0]), null, null)), [1.25]);
    close(run(() => valueLoss(tf.tensor1d([1, 2]), tf.tensor1d([0, 0]), tf.tensor1d([0.5, 2.5]), 0.2)), [1.5725]);
  });

  it('normalises advantages with the unbiased std', () => {
    close(run(() => normalizeAdvantages(tf.tensor1d([1, 2, 3]))), [-1, 0, 1]);
  });
});

/** Reward 1 a step; truncated after 3 steps; the observation counts the steps, so the final one differs from the reset one. */
class Countdown extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 3, shape: [1] });
  readonly actionSpace = make('CartPole-v1').actionSpace;
  private t = 0;
  reset(): ResetResult<Float32Array> {
    this.t = 0;
    return { observation: Float32Array.of(0), info: {} };
  }
  step(): StepResult<Float32Array> {
    this.t++;
    return { observation: Float32Array.of(this.t), reward: 1, terminated: false, truncated: this.t >= 3, info: {} };
  }
}

/** Rewards far beyond float32 range: the value targets overflow and the loss stops being finite. */
class Exploding extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [2] });
  readonly actionSpace = make('CartPole-v1').actionSpace;
  reset(): ResetResult<Float32Array> {
    return { observation: Float32Array.of(0, 1), info: {} };
  }
  step(): StepResult<Float32Array> {
    return { observation: Float32Array.of(1, 0), reward: 1e300, terminated: false, truncated: false, info: {} };
  }
}

const SMALL: Partial<PPOConfig> = { numSteps: 16, numMinibatches: 2, updateEpochs: 2, network: { hidden: [16] }, seed: 4 };

describe('PPO', () => {
  it('config errors name the field', () => {
    expect(() => resolvePPOConfig({ clipCoef: -1 })).toThrow(InvalidInputError);
    expect(() => resolvePPOConfig({ gaeLambda: 2 })).toThrow(/gaeLambda/);
    expect(() => resolvePPOConfig({ nope: 1 } as Partial<PPOConfig>)).toThrow(/nope/);
    expect(() => new PPO(make('GridWorld-FourRooms-v0', { observation: 'grid' }), { network: { hidden: [] } })).toThrow(/network.hidden/);
  });

  for (const mode of ['next-step', 'same-step'] as const) {
    it(`bootstraps truncated steps from info.finalObservation (${mode} autoreset) and masks ignored steps`, async () => {
      const venv = new SyncVectorEnv([() => new Countdown() as Env<unknown, unknown>], { autoresetMode: mode });
      const agent = new PPO(venv, { ...SMALL, numSteps: 4, gamma: 0.9 });
      const v3 = new Float32Array(1);
      agent.policy.values(Float32Array.of(3), 1, v3); // V(final observation), before any update
      let checked = false;
      await agent.learn({
        totalTimesteps: 4,
        callbacks: {
          onStep: () => {
            if (checked || agent.buffer.dones[2] !== 1) return;
            checked = true;
            expect(agent.buffer.rewards[2]).toBeCloseTo(1 + 0.9 * v3[0], 5);
            expect(Array.from(agent.buffer.rewards.subarray(0, 2))).toEqual([1, 1]);
          },
        },
      });
      expect(checked).toBe(true);
      // next-step: step 3 only reset the env (valid 0); same-step: every step is real
      expect(Array.from(agent.buffer.valid)).toEqual(mode === 'next-step' ? [1, 1, 1, 0] : [1, 1, 1, 1]);
      expect(Array.from(agent.buffer.dones)).toEqual([0, 0, 1, 0]);
      agent.dispose();
    });
  }

  it('stops with the step named when the loss is not finite', async () => {
    const agent = new PPO(new Exploding() as Env<unknown, unknown>, { ...SMALL, numSteps: 8 });
    await expect(agent.learn({ totalTimesteps: 64 })).rejects.toThrow(/ppo: losses\/(policy|value)_loss became non-finite at env step 8/);
    agent.dispose();
  });

  it('reports the metrics the runner logs, after every rollout', async () => {
    const agent = new PPO(makeVec('CartPole-v1', 2), SMALL);
    const reports: Array<Record<string, number>> = [];
    let episodes = 0;
    await agent.learn({ totalTimesteps: 200, callbacks: { onTrain: (r) => void reports.push(r.metrics), onEpisode: () => void episodes++ } });
    expect(reports.length).toBe(Math.ceil(200 / 32));
    for (const k of ['losses/policy_loss', 'losses/value_loss', 'losses/entropy', 'losses/approx_kl', 'losses/clipfrac', 'charts/learning_rate']) expect(Number.isFinite(reports[0][k])).toBe(true);
    expect(reports[0]['losses/entropy']).toBeCloseTo(Math.log(2), 1);
    expect(episodes).toBeGreaterThan(0);
    agent.dispose();
  });

  it('is reproducible: the same seed gives the same network', async () => {
    const weights = async (): Promise<number[]> => {
      const agent = new PPO(makeVec('CartPole-v1', 2), SMALL);
      await agent.learn({ totalTimesteps: 256 });
      const w = Array.from(agent.policy.getWeights()['actor/out/w']);
      agent.dispose();
      return w;
    };
    expect(await weights()).toEqual(await weights());
  });

  it('learns the same on an AsyncVectorEnv (worker threads) as on a SyncVectorEnv', async () => {
    const weights = async (async: boolean): Promise<number[]> => {
      const venv = makeVec('CartPole-v1', 2, { async });
      const agent = new PPO(venv, SMALL);
      await agent.learn({ totalTimesteps: 256 });
      const w = Array.from(agent.policy.getWeights()['actor/out/w']);
      agent.dispose();
      venv.close();
      return w;
    };
    expect(await weights(true)).toEqual(await weights(false));
  }, 120_000);

  it('keeps the tensor count flat while learning', async () => {
    const agent = new PPO(makeVec('CartPole-v1', 2), SMALL);
    await agent.learn({ totalTimesteps: 100 });
    const before = tf.memory().numTensors;
    await agent.learn({ totalTimesteps: 600 });
    agent.predict(Float32Array.of(0, 0, 0, 0));
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('save and load restore weights, optimizer, RNG and counters; a mismatched env is an error', async () => {
    const agent = new PPO(makeVec('CartPole-v1', 2), { ...SMALL, sharedNetwork: true });
    await agent.learn({ totalTimesteps: 100 });
    const path = join(mkdtempSync(join(tmpdir(), 'pg-')), 'ppo.ckpt');
    await agent.save(path);
    const loaded = await PPO.load(path, makeVec('CartPole-v1', 2));
    expect(loaded.policy.getWeights()).toEqual(agent.policy.getWeights());
    expect([loaded.numTimesteps, loaded.updates, loaded.episodes]).toEqual([agent.numTimesteps, agent.updates, agent.episodes]);
    expect(loaded.optimizer.getState()).toEqual(agent.optimizer.getState());
    const obs = Float32Array.of(0.01, 0.2, -0.03, 0.1);
    const samples = (a: PPO): unknown[] => Array.from({ length: 20 }, () => a.predict(obs, { deterministic: false }));
    expect(samples(loaded)).toEqual(samples(agent));
    await expect(PPO.load(path, make('GridWorld-FourRooms-v0'))).rejects.toThrow(/observationSpace is Box.*the env's is Discrete\(169\)/);
    loaded.dispose();
    agent.dispose();
  });

  it('acts in continuous action spaces: clipped actions for the env, state-independent log-std learned', async () => {
    const venv = new SyncVectorEnv(Array.from({ length: 2 }, () => () => new PointToTarget() as Env<unknown, unknown>));
    const agent = new PPO(venv, { ...SMALL, logStdInit: 1 });
    await agent.learn({ totalTimesteps: 128 });
    const a = agent.predict(Float32Array.of(0, 0.5), { deterministic: false }) as Float32Array;
    expect(a).toBeInstanceOf(Float32Array);
    expect(a[0]).toBeGreaterThanOrEqual(-1);
    expect(a[0]).toBeLessThanOrEqual(1);
    expect(agent.policy.logStdValues[0]).not.toBe(1); // trained
    expect(agent.buffer.actions.some((x) => Math.abs(x) > 1)).toBe(true); // the buffer keeps the unclipped samples (std e^1)
    agent.dispose();
  });

  it('trains a conv net on image observations', async () => {
    const env = make('GridWorld-Empty-v0', { observation: 'grid' }) as Env<unknown, unknown>;
    const agent = new PPO(env, { ...SMALL, numSteps: 8, network: { conv: [{ filters: 4, kernel: 3, stride: 1 }], hidden: [16], activation: 'relu' } });
    await agent.learn({ totalTimesteps: 16 });
    expect(agent.updates).toBe(2);
    expect(typeof agent.predict(env.reset().observation)).toBe('number');
    agent.dispose();
  });
});

describe('REINFORCE', () => {
  it('config errors name the field', () => {
    expect(() => resolveReinforceConfig({ episodesPerUpdate: 0 })).toThrow(/episodesPerUpdate/);
    expect(() => resolveReinforceConfig({ gamma: -1 })).toThrow(InvalidInputError);
  });

  it('credits each step with the discounted return that followed it, updating once per batch of episodes', async () => {
    // Countdown: reward 1 a step, truncated after 3 steps; no baseline, so nothing is bootstrapped
    const agent = new REINFORCE(new Countdown() as Env<unknown, unknown>, { episodesPerUpdate: 2, gamma: 0.5, normalizeReturns: false, network: { hidden: [8] } });
    const reports: Array<Record<string, number>> = [];
    await agent.learn({ totalTimesteps: 12, callbacks: { onTrain: (r) => void reports.push(r.metrics) } });
    expect(agent.updates).toBe(2);
    expect(reports.map((m) => m['charts/batch_steps'])).toEqual([6, 6]);
    expect(agent.episodes).toBe(4);
    agent.dispose();
  });

  it('keeps the tensor count flat, and save/load restores weights, optimizer, RNG and counters', async () => {
    const agent = new REINFORCE(make('CartPole-v1'), { baseline: true, episodesPerUpdate: 2, network: { hidden: [16] } });
    await agent.learn({ totalTimesteps: 100 });
    const before = tf.memory().numTensors;
    await agent.learn({ totalTimesteps: 400 });
    expect(tf.memory().numTensors).toBe(before);
    const path = join(mkdtempSync(join(tmpdir(), 'pg-')), 'reinforce.ckpt');
    await agent.save(path);
    const loaded = await REINFORCE.load(path, make('CartPole-v1'));
    expect(loaded.policy.getWeights()).toEqual(agent.policy.getWeights());
    expect(loaded.optimizer.getState()).toEqual(agent.optimizer.getState());
    expect([loaded.numTimesteps, loaded.updates, loaded.episodes]).toEqual([agent.numTimesteps, agent.updates, agent.episodes]);
    const obs = Float32Array.of(0.01, 0.2, -0.03, 0.1);
    const samples = (a: REINFORCE): unknown[] => Array.from({ length: 20 }, () => a.predict(obs, { deterministic: false }));
    expect(samples(loaded)).toEqual(samples(agent));
    await expect(PPO.load(path, makeVec('CartPole-v1', 1))).rejects.toThrow(/reinforce/);
    loaded.dispose();
    agent.dispose();
  });
});

describe('A2C', () => {
  it('config errors name the field, and one update per n-step rollout', async () => {
    expect(() => resolveA2CConfig({ numSteps: 0 })).toThrow(/numSteps/);
    const agent = new A2C(makeVec('CartPole-v1', 4), { network: { hidden: [16] } });
    const reports: Array<Record<string, number>> = [];
    await agent.learn({ totalTimesteps: 100, callbacks: { onTrain: (r) => void reports.push(r.metrics) } });
    // 4 envs x 5 steps a rollout; steps that only reset a sub-env do not count, so 5 or 6 rollouts reach 100
    expect(reports.length).toBe(agent.updates);
    expect(agent.updates).toBeGreaterThanOrEqual(5);
    expect(agent.numTimesteps).toBeLessThan(120);
    expect(Number.isFinite(reports[0]['losses/value_loss'])).toBe(true);
    const path = join(mkdtempSync(join(tmpdir(), 'pg-')), 'a2c.ckpt');
    await agent.save(path);
    const loaded = await A2C.load(path, makeVec('CartPole-v1', 2));
    expect(loaded.optimizer.getState()).toEqual(agent.optimizer.getState());
    loaded.dispose();
    agent.dispose();
  });
});
