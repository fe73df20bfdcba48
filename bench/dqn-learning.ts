/**
 * DQN learning figures: for each seed, train and evaluate the greedy policy every `--eval-every` env steps;
 * report the first step at which it is solved and the wall time to get there.
 *  - CartPole-v1 (RL Zoo hyper-parameters, experiments/dqn-cartpole.ts): solved = mean return >= 475 over 100
 *    evaluation episodes (checked once a 20-episode screen passes), within a 100k-step budget.
 *  - GridWorld-FourRooms-v0 (experiments/dqn-gridworld.ts): solved = the optimal return 0.81, within 50k steps.
 *
 *   npx tsx bench/dqn-learning.ts [--task cartpole|fourrooms|both] [--seeds 1,2,3] [--backend wasm]
 */
import { parseArgs } from 'node:util';
import { describeBackend, make, useBackend, parseBackendRequest, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { DQN, evaluate, resolveDQNConfig, type DQNConfig } from '../agents/index.ts';

const { values } = parseArgs({
  options: {
    task: { type: 'string', default: 'both' },
    seeds: { type: 'string', default: '1,2,3' },
    backend: { type: 'string', default: 'wasm' },
  },
});
await useBackend(parseBackendRequest(values.backend ?? 'wasm', '--backend'));
console.log(`backend: ${describeBackend()}`);
const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);

interface Task {
  env: string;
  budget: number;
  evalEvery: number;
  config: Partial<DQNConfig>;
  solved(agent: DQN): { solved: boolean; score: number };
}

const cartpole: Task = {
  env: 'CartPole-v1',
  budget: 100_000,
  evalEvery: 5_000,
  config: { learningRate: 2.3e-3, batchSize: 64, bufferSize: 100_000, learningStarts: 1000, gamma: 0.99, targetUpdateInterval: 10, trainFreq: 256, gradientSteps: 128, explorationFraction: 0.16, explorationFinalEps: 0.04, network: { hidden: [256, 256] } },
  solved(agent) {
    const screen = evaluate(agent, make('CartPole-v1'), { episodes: 20, seed: 10_000 });
    if (screen.mean < 475) return { solved: false, score: screen.mean };
    const full = evaluate(agent, make('CartPole-v1'), { episodes: 100, seed: 20_000 });
    return { solved: full.mean >= 475, score: full.mean };
  },
};

const fourRooms: Task = {
  env: 'GridWorld-FourRooms-v0',
  budget: 50_000,
  evalEvery: 1_000,
  config: { learningRate: 1e-3, batchSize: 64, bufferSize: 50_000, learningStarts: 1000, trainFreq: 4, targetUpdateInterval: 500, explorationFraction: 0.4, explorationFinalEps: 0.05, nStep: 3, network: { hidden: [64] } },
  solved(agent) {
    const r = evaluate(agent, make('GridWorld-FourRooms-v0'), { episodes: 1 });
    return { solved: r.mean >= 0.8099, score: r.mean };
  },
};

const tasks = values.task === 'cartpole' ? [cartpole] : values.task === 'fourrooms' ? [fourRooms] : [fourRooms, cartpole];
for (const task of tasks) {
  for (const seed of seeds) {
    const agent = new DQN(make(task.env) as Env<unknown, number>, resolveDQNConfig({ ...task.config, seed }));
    const start = performance.now();
    let evalSeconds = 0;
    let result = { solved: false, score: NaN };
    let at = -1;
    await agent.learn({
      totalTimesteps: task.budget,
      callbacks: {
        onStep: (step) => {
          if (step % task.evalEvery !== 0) return;
          const t = performance.now();
          result = task.solved(agent);
          evalSeconds += (performance.now() - t) / 1000;
          if (result.solved) {
            at = step;
            return false;
          }
        },
      },
    });
    const wall = (performance.now() - start) / 1000;
    console.log(
      `${task.env} seed ${seed}: ${at > 0 ? `solved at ${at} steps (score ${result.score.toFixed(2)})` : `not solved within ${task.budget} (last score ${result.score.toFixed(2)})`}, ` +
        `wall ${wall.toFixed(1)} s (of which evaluation ${evalSeconds.toFixed(1)} s), ${agent.updates} updates`,
    );
    agent.dispose();
  }
}
