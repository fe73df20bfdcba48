/**
 * PPO on the platformer from the symbolic view around the player (400 floats), with the same learning reward
 * weights as dqn-platformer.
 *
 *   npx tsx experiments/ppo-platformer.ts [--level 1] [--steps 200k] [--seed 1] [--num-envs 8] [--eval-every 20k] [--record-every 25] [--resume]
 */
import { PPO, evaluate, parseNumberFlag, parseRunFlags, resolvePPOConfig, train } from '../agents/index.ts';
import { SyncVectorEnv, make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'ppo-platformer',
  defaults: { env: 'Platformer-1-v0', steps: 200_000, evalEvery: 20_000, evalEpisodes: 10, recordEvery: 25 },
  options: {
    level: { type: 'string', description: '1..5 (sets --env)' },
    'num-envs': { type: 'string', default: '8', description: 'sub-envs stepped together' },
  },
  description: 'PPO on the platformer (symbolic observations).',
});
if (flags.help) process.exit(0);
if (flags.extra.level !== undefined) {
  if (!/^[1-5]$/.test(flags.extra.level)) throw new Error(`--level: expected 1..5, received "${flags.extra.level}"`);
  flags.env = `Platformer-${flags.extra.level}-v0`;
}
const numEnvs = parseNumberFlag('num-envs', flags.extra['num-envs'], { integer: true, min: 1 });

// CleanRL ppo.py's defaults (128 steps x numEnvs, 4 epochs of 4 minibatches, clip 0.2, entropy 0.01) on a wider
// MLP for the 400-float view; lr 2.5e-4 annealed.
const config = resolvePPOConfig({ network: { hidden: [256, 256], activation: 'tanh', init: 'orthogonal' }, seed: flags.seed });

// Reward weights for learning, as experiments/dqn-platformer.ts: denser progress, milder death, a small step cost.
const rewards = { progressReward: 0.5, deathReward: -1, stepReward: -0.01 };
const makeEnv = (): Env<unknown, unknown> => make(flags.env, { observation: 'symbolic', ...rewards });
// Sub-env 0 is the runner's env (recorded for the viewer); the others are plain copies.
const vectorOf = (env: Env<unknown, unknown>): SyncVectorEnv<unknown, unknown> =>
  new SyncVectorEnv([() => env, ...Array.from({ length: numEnvs - 1 }, () => makeEnv)]);

const result = await train({
  flags,
  agentName: 'ppo',
  config: { ...config, numEnvs, rewards },
  makeEnv,
  makeAgent: (env) => new PPO(vectorOf(env), config),
  loadAgent: (path, env) => PPO.load(path, vectorOf(env)),
});
const final = evaluate(result.agent, makeEnv(), { episodes: 20, seed: 5_000_000 });
console.log(`evaluation on ${flags.env}: completed ${(100 * (final.completionRate ?? 0)).toFixed(0)}% of 20 episodes, mean return ${final.mean.toFixed(2)} ± ${final.std.toFixed(2)}`);
