import { beforeAll, describe, expect, it } from 'vitest';
import { make, useBackend, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { DQN, evaluate } from '../agents/index.ts';

beforeAll(async () => {
  await useBackend('wasm');
});

// The reward weights of experiments/dqn-platformer.ts.
const REWARDS = { progressReward: 0.5, deathReward: -1, stepReward: -0.01 };

describe('DQN on the platformer', () => {
  it('beats a random policy on level 1 by a clear margin after 15k steps (seed 1)', async () => {
    const env = make('Platformer-1-v0', REWARDS) as Env<unknown, number>;
    const agent = new DQN(env, {
      learningRate: 5e-4,
      batchSize: 64,
      bufferSize: 20_000,
      learningStarts: 2_000,
      targetUpdateInterval: 1_000,
      explorationFraction: 0.5,
      explorationFinalEps: 0.02,
      doubleQ: true,
      nStep: 3,
      network: { hidden: [128, 128] },
      seed: 1,
    });
    await agent.learn({ totalTimesteps: 15_000 });
    const evalEnv = make('Platformer-1-v0', REWARDS) as Env<unknown, number>;
    const trained = evaluate(agent, evalEnv, { episodes: 5, seed: 100 });
    evalEnv.actionSpace.seed(0);
    const random = evaluate({ predict: () => evalEnv.actionSpace.sample() }, evalEnv, { episodes: 20, seed: 100 });
    expect(trained.mean).toBeGreaterThan(random.mean + 5);
    agent.dispose();
  });
});
