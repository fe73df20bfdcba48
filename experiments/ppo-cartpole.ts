/**
 * PPO on CartPole-v1 with the RL Baselines3 Zoo's tuned hyper-parameters for this task (8 envs x 32 steps,
 * 20 epochs on one 256-step minibatch, GAE 0.8, gamma 0.98, lr and clip annealed from 1e-3 and 0.2, no entropy bonus).
 *
 *   npx tsx experiments/ppo-cartpole.ts [--steps 100k] [--seed 1] [--num-envs 8] [--eval-every 10k] [--record-every 50] [--resume]
 *
 * Writes runs/ppo-cartpole-CartPole-v1-s<seed>/: metrics.jsonl, config.json, checkpoints/, episodes/.
 */
import { PPO, parseNumberFlag, parseRunFlags, resolvePPOConfig, train } from '../agents/index.ts';
import { SyncVectorEnv, make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'ppo-cartpole',
  defaults: { env: 'CartPole-v1', steps: 100_000, evalEvery: 10_000, evalEpisodes: 20, recordEvery: 50 },
  options: { 'num-envs': { type: 'string', default: '8', description: 'sub-envs stepped together (rl-zoo: 8)' } },
  description: 'PPO on CartPole-v1 (RL Baselines3 Zoo hyper-parameters).',
});
if (flags.help) process.exit(0);
const numEnvs = parseNumberFlag('num-envs', flags.extra['num-envs'], { integer: true, min: 1 });

// rl-baselines3-zoo hyperparams/ppo.yml, CartPole-v1: n_envs 8, n_steps 32, batch_size 256, gae_lambda 0.8,
// gamma 0.98, n_epochs 20, ent_coef 0.0, learning_rate lin_0.001, clip_range lin_0.2 (SB3: no value clipping).
const config = resolvePPOConfig({
  numSteps: 32,
  numMinibatches: 1,
  updateEpochs: 20,
  gaeLambda: 0.8,
  gamma: 0.98,
  entCoef: 0,
  learningRate: 1e-3,
  annealLr: true,
  annealClip: true,
  clipVloss: false,
  seed: flags.seed,
});

// Sub-env 0 is the runner's env (recorded for the viewer); the others are plain copies.
const vectorOf = (env: Env<unknown, unknown>): SyncVectorEnv<unknown, unknown> =>
  new SyncVectorEnv([() => env, ...Array.from({ length: numEnvs - 1 }, () => () => make(flags.env))]);

const result = await train({
  flags,
  agentName: 'ppo',
  config: { ...config, numEnvs },
  makeAgent: (env) => new PPO(vectorOf(env), config),
  loadAgent: (path, env) => PPO.load(path, vectorOf(env)),
});
if (result.lastEval !== undefined) console.log(`final evaluation: mean return ${result.lastEval.mean.toFixed(1)} ± ${result.lastEval.std.toFixed(1)} (${result.wallSeconds.toFixed(0)} s)`);
