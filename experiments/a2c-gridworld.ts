/**
 * A2C (Stable-Baselines3 defaults: 5-step returns, RMSprop 7e-4) with 8 sub-envs on the four-room grid world.
 *
 *   npx tsx experiments/a2c-gridworld.ts [--env GridWorld-FourRooms-v0] [--steps 30k] [--seed 1] [--num-envs 8] [--record-every 20] [--resume]
 *
 * The optimal return on GridWorld-FourRooms-v0 is 0.81 (20 steps: 19 x -0.01, then +1 at the goal).
 */
import { A2C, parseNumberFlag, parseRunFlags, resolveA2CConfig, train } from '../agents/index.ts';
import { SyncVectorEnv, make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'a2c-gridworld',
  defaults: { env: 'GridWorld-FourRooms-v0', steps: 30_000, evalEvery: 5_000, evalEpisodes: 1, recordEvery: 20 },
  options: { 'num-envs': { type: 'string', default: '8', description: 'sub-envs stepped together' } },
  description: 'A2C on a grid world.',
});
if (flags.help) process.exit(0);
const numEnvs = parseNumberFlag('num-envs', flags.extra['num-envs'], { integer: true, min: 1 });

// A small entropy bonus keeps the policy exploring until the goal has been found from the far room.
const config = resolveA2CConfig({ entCoef: 0.01, seed: flags.seed });

// Sub-env 0 is the runner's env (recorded for the viewer); the others are plain copies.
const vectorOf = (env: Env<unknown, unknown>): SyncVectorEnv<unknown, unknown> =>
  new SyncVectorEnv([() => env, ...Array.from({ length: numEnvs - 1 }, () => () => make(flags.env))]);

const result = await train({
  flags,
  agentName: 'a2c',
  config: { ...config, numEnvs },
  makeAgent: (env) => new A2C(vectorOf(env), config),
  loadAgent: (path, env) => A2C.load(path, vectorOf(env)),
});
if (result.lastEval !== undefined) console.log(`final evaluation: return ${result.lastEval.mean.toFixed(2)} (optimal 0.81)`);
