import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, make, readMetrics, register } from '../core/index.ts';
import '../envs/index.ts';
import { CMAES, MlpPolicy, OpenES, evolve, evolveCheckpointPath, type MlpPolicySpec } from '../agents/evolution/index.ts';
import { evaluate } from '../agents/index.ts';
import { PointToTarget } from './helpers/continuous-env.ts';

const POLICY: MlpPolicySpec = { kind: 'mlp', hidden: [16], activation: 'tanh' };
const LINEAR: MlpPolicySpec = { kind: 'mlp', hidden: [], activation: 'tanh' };
const DIM = 4 * 16 + 16 + 16 * 2 + 2;

/** Mean return of a genome over 100 episodes of a fresh CartPole-v1, through the agents' `evaluate`. */
function heldOut(genome: Float32Array, spec: MlpPolicySpec): number {
  const env = make('CartPole-v1');
  const policy = new MlpPolicy(spec, env.observationSpace, env.actionSpace);
  policy.setGenome(genome);
  return evaluate({ predict: (o: Float32Array) => policy.act(o) as number }, env, { episodes: 100, seed: 10_000 }).mean;
}

describe('evolution learns CartPole-v1 (seeded, small budgets)', () => {
  it('OpenAI-ES solves CartPole-v1 (>= 475 over 100 episodes) with a 4-16-2 policy within 300k env steps, seed 1', async () => {
    const strategy = new OpenES({ objective: 'max', popSize: 20, learningRate: 0.03, seed: 1 }, new Float32Array(DIM));
    const result = await evolve({ env: 'CartPole-v1', policy: POLICY, strategy, seed: 1, generations: 150, maxEnvSteps: 300_000, stop: { meanReturn: 475, episodes: 100 } });
    expect(result.solved).toBe(true);
    expect(result.history[0].mean).toBeLessThan(100); // it learned: the first population was far from solving it
    expect(result.envSteps).toBeLessThanOrEqual(300_000 + 60_000); // the budget is checked between generations
    expect(result.history.at(-1)?.evalMeanReturn).toBeGreaterThanOrEqual(475);
    expect(heldOut(result.best.genome, POLICY)).toBeGreaterThanOrEqual(475);
  });

  it('sep-CMA-ES solves CartPole-v1 (>= 475 over 100 episodes) with a 4-16-2 policy within 300k env steps, seed 2', async () => {
    const strategy = new CMAES({ objective: 'max', diagonal: true, sigma0: 0.5, seed: 2 }, new Float32Array(DIM));
    const result = await evolve({ env: 'CartPole-v1', policy: POLICY, strategy, seed: 2, generations: 150, maxEnvSteps: 300_000, stop: { meanReturn: 475, episodes: 100 } });
    expect(result.solved).toBe(true);
    expect(result.history[0].mean).toBeLessThan(100);
    expect(heldOut(result.best.genome, POLICY)).toBeGreaterThanOrEqual(475);
  });

  it('CMA-ES steers a Box action (tanh-scaled linear policy) onto a target far better than random actions', async () => {
    register({ id: 'PointToTarget-evolution-v0', entryPoint: () => new PointToTarget(), replace: true });
    const strategy = new CMAES({ objective: 'max', seed: 1 }, new Float32Array(3));
    const result = await evolve({ env: 'PointToTarget-evolution-v0', policy: LINEAR, strategy, seed: 1, generations: 60, episodesPerCandidate: 10 });
    const env = make('PointToTarget-evolution-v0');
    const policy = new MlpPolicy(LINEAR, env.observationSpace, env.actionSpace);
    policy.setGenome(result.best.genome);
    const learned = evaluate({ predict: (o: Float32Array) => policy.act(o) as Float32Array }, env, { episodes: 50, seed: 500 }).mean;
    const rng = new Rng(0);
    const random = evaluate({ predict: () => Float32Array.of(rng.uniform(-1, 1)) }, env, { episodes: 50, seed: 500 }).mean;
    expect(random).toBeLessThan(-8);
    expect(learned).toBeGreaterThan(-2.5);
  });

  it('the same seed gives the same run, bit for bit', async () => {
    const once = (): ReturnType<typeof evolve> =>
      evolve({ env: 'CartPole-v1', policy: LINEAR, strategy: new CMAES({ objective: 'max', seed: 3 }, new Float32Array(10)), seed: 3, generations: 5 });
    const [a, b] = [await once(), await once()];
    expect(b.history).toEqual(a.history);
    expect(Array.from(b.best.genome)).toEqual(Array.from(a.best.genome));
    expect(b.envSteps).toBe(a.envSteps);
  });

  it('a run killed after a generation and resumed produces exactly the generations of an uninterrupted run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evolve-resume-'));
    const strategy = (): CMAES => new CMAES({ objective: 'max', seed: 4 }, new Float32Array(10));
    const setup = { env: 'CartPole-v1', policy: LINEAR, seed: 4, generations: 6, episodesPerCandidate: 2 };
    try {
      const straight = await evolve({ ...setup, strategy: strategy(), out: path.join(dir, 'straight') });
      // A second run in its own folder, "killed" during generation 3: its checkpoint then holds generations 0-2,
      // while its metrics file already has a line from generation 3 that the resume must drop.
      const out = path.join(dir, 'killed');
      const saved = path.join(dir, 'after-gen-2.ckpt');
      await evolve({ ...setup, generations: 4, strategy: strategy(), out, onGeneration: (g) => {
        if (g.generation === 3) fs.copyFileSync(evolveCheckpointPath(out), saved);
      } });
      fs.copyFileSync(saved, evolveCheckpointPath(out));
      const resumed = await evolve({ ...setup, strategy: strategy(), out, resume: true });
      expect(resumed.history).toEqual(straight.history);
      expect(Array.from(resumed.best.genome)).toEqual(Array.from(straight.best.genome));
      expect(resumed.envSteps).toBe(straight.envSteps);
      const steps = (run: string): number[] => readMetrics(path.join(dir, run, 'metrics.jsonl')).map((m) => m.step);
      expect(steps('killed')).toEqual(steps('straight'));
      const last = readMetrics(path.join(out, 'metrics.jsonl')).at(-1);
      expect(last?.['evo/generation']).toBe(5);
      for (const key of ['evo/best_fitness', 'evo/mean_fitness', 'evo/fitness_std', 'charts/env_steps', 'charts/sps']) expect(last).toHaveProperty([key]);
      // A fresh run into a folder that holds a run is refused; another seed is refused on resume, naming the difference.
      await expect(evolve({ ...setup, strategy: strategy(), out })).rejects.toThrow(/already holds a run/);
      await expect(evolve({ ...setup, seed: 5, strategy: strategy(), out, resume: true })).rejects.toThrow(/other settings/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
