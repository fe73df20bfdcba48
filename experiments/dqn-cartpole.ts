/**
 * DQN on CartPole-v1 with the RL Baselines3 Zoo's tuned hyper-parameters for this task.
 *
 *   npx tsx experiments/dqn-cartpole.ts [--steps 50k] [--seed 1] [--backend wasm] [--engine tfjs] [--eval-every 10k] [--record-every 50] [--resume]
 *
 * Writes runs/dqn-cartpole-CartPole-v1-s<seed>/: metrics.jsonl, config.json, checkpoints/, episodes/.
 */
import { DQN, parseRunFlags, resolveDQNConfig, train, type DQNConfig } from '../agents/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'dqn-cartpole',
  defaults: { env: 'CartPole-v1', steps: 50_000, evalEvery: 10_000, evalEpisodes: 20, recordEvery: 50 },
  description: 'DQN on CartPole-v1 (RL Baselines3 Zoo hyper-parameters).',
  options: { engine: { type: 'string', default: 'tfjs', description: 'network maths: tfjs, mlp (typed-array MLP engine) or auto' } },
});
if (flags.help) process.exit(0);

// rl-baselines3-zoo hyperparams/dqn.yml, CartPole-v1 (the zoo's agent reaches 500 at 50k steps).
const config = resolveDQNConfig({
  learningRate: 2.3e-3,
  batchSize: 64,
  bufferSize: 100_000,
  learningStarts: 1000,
  gamma: 0.99,
  targetUpdateInterval: 10,
  trainFreq: 256,
  gradientSteps: 128,
  explorationFraction: 0.16,
  explorationFinalEps: 0.04,
  network: { hidden: [256, 256] },
  engine: flags.extra.engine as DQNConfig['engine'], // checked by resolveDQNConfig
  seed: flags.seed,
});

const result = await train({
  flags,
  agentName: 'dqn',
  config,
  makeAgent: (env) => new DQN(env as ConstructorParameters<typeof DQN>[0], config),
  loadAgent: (path, env) => DQN.load(path, env as ConstructorParameters<typeof DQN>[0]),
});
if (result.lastEval !== undefined) console.log(`final evaluation: mean return ${result.lastEval.mean.toFixed(1)} ± ${result.lastEval.std.toFixed(1)}`);
