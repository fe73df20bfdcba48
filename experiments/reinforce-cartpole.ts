/**
 * REINFORCE on CartPole-v1 with the TensorFlow.js cart-pole example's settings (one 128-unit ELU layer, Adam 0.05,
 * discount 0.95, 20 games per update, returns normalised over the batch); `--baseline` adds a learned value baseline.
 *
 *   npx tsx experiments/reinforce-cartpole.ts [--steps 60k] [--seed 1] [--baseline] [--eval-every 10k] [--record-every 50]
 */
import { REINFORCE, parseRunFlags, resolveReinforceConfig, train } from '../agents/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'reinforce-cartpole',
  defaults: { env: 'CartPole-v1', steps: 60_000, evalEvery: 10_000, evalEpisodes: 20, recordEvery: 50 },
  options: { baseline: { type: 'boolean', default: false, description: 'learn a state-value baseline' } },
  description: 'REINFORCE on CartPole-v1 (tfjs-examples cart-pole settings).',
});
if (flags.help) process.exit(0);

const config = resolveReinforceConfig({ baseline: flags.extra.baseline, seed: flags.seed });

const result = await train({
  flags,
  agentName: 'reinforce',
  config,
  makeAgent: (env) => new REINFORCE(env, config),
  loadAgent: (path, env) => REINFORCE.load(path, env),
});
if (result.lastEval !== undefined) console.log(`final evaluation: mean return ${result.lastEval.mean.toFixed(1)} ± ${result.lastEval.std.toFixed(1)} (${result.wallSeconds.toFixed(0)} s)`);
