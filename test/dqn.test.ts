import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BaseEnv, Box, Discrete, InvalidInputError, make, readMetrics, tf, useBackend, type Env, type ResetResult, type StepResult } from '../core/index.ts';
import '../envs/index.ts';
import { DQN, TrainingDivergedError, evaluate, parseRunFlags, resolveDQNConfig, train, type DQNConfig } from '../agents/index.ts';
import { FOUR_ROOMS_DQN } from './helpers/dqn-settings.ts';

beforeAll(async () => {
  await useBackend('wasm');
});

const GRID = FOUR_ROOMS_DQN;

/** Rewards far beyond float32 range: the Q-values overflow and the loss stops being finite. */
class Exploding extends BaseEnv<Float32Array, number> {
  readonly observationSpace = new Box({ low: 0, high: 1, shape: [2] });
  readonly actionSpace = new Discrete(2);
  reset(): ResetResult<Float32Array> {
    return { observation: Float32Array.of(0, 1), info: {} };
  }
  step(): StepResult<Float32Array> {
    return { observation: Float32Array.of(1, 0), reward: 1e300, terminated: false, truncated: false, info: {} };
  }
}

describe('DQN config', () => {
  it('names the bad field, the expectation and the value', () => {
    expect(() => resolveDQNConfig({ gamma: 1.5 })).toThrow(InvalidInputError);
    expect(() => resolveDQNConfig({ gamma: 1.5 })).toThrow(/gamma: .*1/);
    expect(() => resolveDQNConfig({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => resolveDQNConfig({ nope: 1 } as Partial<DQNConfig>)).toThrow(/nope/);
  });
});

describe('DQN', () => {
  it('learns the optimal FourRooms path (return 0.81) within 14k steps, seed 1', async () => {
    const agent = new DQN(make('GridWorld-FourRooms-v0'), GRID);
    await agent.learn({ totalTimesteps: 14_000 });
    const result = evaluate(agent, make('GridWorld-FourRooms-v0'), { episodes: 1 });
    expect(result.mean).toBeGreaterThan(0.8);
    agent.dispose();
  });

  it('is reproducible: the same seed gives the same network on the same backend', async () => {
    const run = async (): Promise<Float32Array> => {
      const agent = new DQN(make('GridWorld-FourRooms-v0'), { ...GRID, learningStarts: 200 });
      await agent.learn({ totalTimesteps: 1500 });
      const q = agent.qValues(0);
      agent.dispose();
      return q;
    };
    expect(Array.from(await run())).toEqual(Array.from(await run()));
  });

  it('keeps the tensor count flat while learning', async () => {
    const agent = new DQN(make('CartPole-v1'), { learningStarts: 100, network: { hidden: [16] }, seed: 2 });
    await agent.learn({ totalTimesteps: 300 });
    const before = tf.memory().numTensors;
    await agent.learn({ totalTimesteps: 1300 });
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('keeps uint8 pixel observations raw in the replay buffer and trains a conv net on them', async () => {
    const env = make('Platformer-1-v0', { observation: 'pixels' }) as Env<unknown, number>;
    const agent = new DQN(env, { learningStarts: 100, batchSize: 8, bufferSize: 500, network: { conv: [{ filters: 4, kernel: 8, stride: 4 }], hidden: [16] }, seed: 6 });
    await agent.learn({ totalTimesteps: 300 });
    expect(agent.replay.dtype).toBe('uint8');
    expect(agent.replay.sample(2).observations).toBeInstanceOf(Uint8Array);
    expect(agent.updates).toBeGreaterThan(0);
    expect(Number.isFinite(agent.train(1).loss)).toBe(true);
    agent.dispose();
  });

  it('stops with the step named when the loss is not finite', async () => {
    const agent = new DQN(new Exploding(), { learningStarts: 40, batchSize: 8, trainFreq: 1, network: { hidden: [8] }, seed: 3 });
    const err = await agent.learn({ totalTimesteps: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingDivergedError);
    expect((err as TrainingDivergedError).step).toBe(41);
    expect((err as Error).message).toMatch(/TD loss became (NaN|Infinity) at env step 41/);
    agent.dispose();
  });

  it('save and load restore weights, optimizer, RNG, counters and replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dqn-ckpt-'));
    const agent = new DQN(make('CartPole-v1'), { learningStarts: 100, network: { hidden: [16] }, prioritized: true, nStep: 2, seed: 4 });
    await agent.learn({ totalTimesteps: 600 });
    const path = join(dir, 'a.ckpt');
    await agent.save(path);
    const loaded = await DQN.load(path, make('CartPole-v1'));
    const obs = Float32Array.of(0.01, -0.02, 0.03, 0.04);
    expect(Array.from(loaded.qValues(obs))).toEqual(Array.from(agent.qValues(obs)));
    expect([loaded.numTimesteps, loaded.updates, loaded.episodes]).toEqual([agent.numTimesteps, agent.updates, agent.episodes]);
    expect(loaded.replay.size).toBe(agent.replay.size);
    expect(loaded.optimizer.getState().step).toBe(agent.optimizer.getState().step);
    expect(Array.from(loaded.replay.sample(4).indices)).toEqual(Array.from(agent.replay.sample(4).indices));

    await expect(DQN.load(path, make('GridWorld-FourRooms-v0') as never)).rejects.toThrow(/observationSpace is Box.*the env's is Discrete\(169\)/);
    const bytes = readFileSync(path);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(join(dir, 'bad.ckpt'), bytes);
    await expect(DQN.load(join(dir, 'bad.ckpt'), make('CartPole-v1'))).rejects.toThrow(/CRC32/);
    agent.dispose();
    loaded.dispose();
  });
});

describe('training runner', () => {
  it('writes metrics, config, episodes and checkpoints, and --resume continues where the run stopped', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dqn-run-'));
    const cfg = resolveDQNConfig({ ...GRID, seed: 5 });
    const setup = (argv: string[]) => ({
      flags: parseRunFlags(argv, { experiment: 'test', defaults: { env: 'GridWorld-FourRooms-v0', steps: 2000 } }),
      agentName: 'dqn',
      config: cfg,
      checkpointEvery: 1000,
      log: () => undefined,
      makeAgent: (env: Env<unknown, unknown>) => new DQN(env as Env<unknown, number>, cfg),
      loadAgent: (p: string, env: Env<unknown, unknown>) => DQN.load(p, env as Env<unknown, number>),
    });
    const first = await train(setup(['--out', out, '--steps', '2000', '--record-every', '5', '--quiet']));
    expect(first.agent.numTimesteps).toBe(2000);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['step-000001000.ckpt', 'step-000002000.ckpt']);
    const updatesAt2000 = first.agent.updates;

    const second = await train(setup(['--out', out, '--steps', '3000', '--resume', '--record-every', '5', '--quiet', '--eval-every', '1000', '--eval-episodes', '1']));
    expect(second.agent.numTimesteps).toBe(3000);
    expect(second.agent.updates).toBeGreaterThan(updatesAt2000);
    expect(second.evals.map((e) => e.step)).toEqual([3000]);

    const records = readMetrics(join(out, 'metrics.jsonl'));
    const sps = records.filter((r) => r['charts/sps'] !== undefined).map((r) => r.step);
    expect(sps).toEqual([1000, 2000, 3000]);
    expect(records.some((r) => r['charts/episodic_return'] !== undefined)).toBe(true);
    expect(records.some((r) => r['eval/mean_return'] !== undefined)).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).config.nStep).toBe(3);
    const episodes = readdirSync(join(out, 'episodes'));
    expect(episodes.length).toBeGreaterThan(0);
    const episode = readFileSync(join(out, 'episodes', episodes[0]), 'utf8').split('\n');
    expect(JSON.parse(episode[1]).annotations.qValues).toHaveLength(4);
  });
});
