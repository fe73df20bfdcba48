import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, SyncVectorEnv, make, makeVec, useBackend, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { A2C, PPO, REINFORCE, evaluate, type Policy } from '../agents/index.ts';
import { PointToTarget } from './helpers/continuous-env.ts';

beforeAll(async () => {
  await useBackend('wasm');
});

// GridWorld-Empty-v0: the best return is 0.91 (10 steps); a uniformly random policy scores about -0.34.
const GRID = 'GridWorld-Empty-v0';

function randomReturn(id: string): number {
  const rng = new Rng(0);
  const random: Policy<unknown, number> = { predict: () => rng.int(4) };
  return evaluate(random, make(id), { episodes: 50 }).mean;
}

describe('policy gradients learn (seeded, small budgets)', () => {
  it('PPO beats a random policy on a grid world by a clear margin within 10k steps, seed 1', async () => {
    const agent = new PPO(makeVec(GRID, 4), { seed: 1 });
    await agent.learn({ totalTimesteps: 10_000 });
    const learned = evaluate(agent, make(GRID), { episodes: 10 }).mean;
    const random = randomReturn(GRID);
    expect(random).toBeLessThan(0);
    expect(learned).toBeGreaterThan(random + 1);
    expect(learned).toBeGreaterThan(0.85);
    agent.dispose();
  }, 90_000);

  it('REINFORCE beats a random policy on a grid world by a clear margin within 10k steps, seed 1', async () => {
    const agent = new REINFORCE(make(GRID), { seed: 1, learningRate: 0.01, episodesPerUpdate: 10, gamma: 0.99, network: { hidden: [64], activation: 'tanh', init: 'orthogonal' } });
    await agent.learn({ totalTimesteps: 10_000 });
    const learned = evaluate(agent, make(GRID), { episodes: 10 }).mean;
    expect(learned).toBeGreaterThan(randomReturn(GRID) + 1);
    expect(learned).toBeGreaterThan(0.85);
    agent.dispose();
  }, 90_000);

  it('A2C beats a random policy on a grid world within 10k steps, seed 1', async () => {
    const agent = new A2C(makeVec(GRID, 8), { seed: 1, entCoef: 0.01 });
    await agent.learn({ totalTimesteps: 10_000 });
    const learned = evaluate(agent, make(GRID), { episodes: 10 }).mean;
    expect(learned).toBeGreaterThan(randomReturn(GRID) + 1);
    agent.dispose();
  }, 90_000);

  it('PPO with Gaussian actions steers a point to its target (continuous actions), seed 1', async () => {
    const venv = new SyncVectorEnv(Array.from({ length: 4 }, () => () => new PointToTarget() as Env<unknown, unknown>));
    const agent = new PPO(venv, { seed: 1, numSteps: 64, learningRate: 3e-3, entCoef: 0, gamma: 0.9, network: { hidden: [32, 32], activation: 'tanh', init: 'orthogonal' } });
    await agent.learn({ totalTimesteps: 10_000 });
    const rng = new Rng(0);
    const random = evaluate({ predict: () => Float32Array.of(rng.uniform(-1, 1)) }, new PointToTarget(), { episodes: 20 }).mean;
    const learned = evaluate(agent, new PointToTarget(), { episodes: 20 }).mean;
    // 20 steps of -|distance|: random about -14, a policy that homes in and holds about -2
    expect(learned).toBeGreaterThan(random / 3);
    expect(agent.policy.logStdValues[0]).toBeLessThan(0); // it grew surer
    agent.dispose();
  }, 90_000);
});
