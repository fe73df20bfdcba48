/**
 * The headline: a DQN learns to finish a platformer level — run, jump the pits, stomp or dodge the monsters, reach
 * the flag — from the symbolic view around the player (or from 84x84 pixels with `--observation pixels`).
 *
 *   npx tsx experiments/dqn-platformer.ts [--level 1] [--steps 100k] [--seed 1] [--observation symbolic|pixels]
 *                                         [--backend wasm] [--resume] [--record-every 25] [--eval-every 10k]
 *
 * `--level 1`..`5` picks a shipped level, `--level procgen` the procedural levels (training split; the final
 * evaluation also reports held-out test levels). The run folder (default runs/dqn-platformer-<env>-s<seed>) gets
 * metrics.jsonl, config.json, checkpoints/ and episodes/ for the viewer.
 */
import { existsSync } from 'node:fs';
import { DQN, evaluate, parseRunFlags, resolveDQNConfig, train, type DQNConfig } from '../agents/index.ts';
import { make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'dqn-platformer',
  defaults: { env: 'Platformer-1-v0', steps: 100_000, evalEvery: 10_000, evalEpisodes: 20, recordEvery: 25 },
  options: {
    level: { type: 'string', description: "1..5 or 'procgen' (sets --env)" },
    observation: { type: 'string', default: 'symbolic', description: 'symbolic (a 400-float view around the player) or pixels (84x84 grayscale)' },
  },
  description: 'DQN on the platformer (the arcade-rl headline).',
});
if (flags.help) process.exit(0);
if (flags.extra.level !== undefined) {
  const level = flags.extra.level;
  if (level !== 'procgen' && !/^[1-5]$/.test(level)) throw new Error(`--level: expected 1..5 or procgen, received "${level}"`);
  flags.env = level === 'procgen' ? 'Platformer-Procgen-v0' : `Platformer-${level}-v0`;
}
const observation = flags.extra.observation;
if (observation !== 'symbolic' && observation !== 'pixels') throw new Error(`--observation: expected symbolic or pixels, received "${observation}"`);
const pixels = observation === 'pixels';

// Double DQN with 3-step returns (Rainbow's most useful parts for sparse, late rewards: Hessel et al. 2018)
// on SB3's schedule; a frequent target update suits these short episodes. Pixels use the Nature-DQN convs.
const config: DQNConfig = resolveDQNConfig({
  learningRate: 5e-4,
  batchSize: 64,
  bufferSize: 100_000,
  learningStarts: 2_000,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 1_000,
  explorationFraction: 0.3,
  explorationFinalEps: 0.02,
  gamma: 0.99,
  doubleQ: true,
  nStep: 3,
  network: pixels
    ? { conv: [{ filters: 16, kernel: 8, stride: 4 }, { filters: 32, kernel: 4, stride: 2 }], hidden: [256] }
    : { hidden: [256, 256] },
  seed: flags.seed,
});

// Reward weights for learning (env kwargs): a denser progress signal and a milder death penalty than the env's
// defaults (0.1 and -5), and a small cost per step. Measured on level 1, seed 1: with these the greedy policy
// completed the level from 20k steps on; with the defaults a run sat at the first pit for 70k steps.
const rewards = { progressReward: 0.5, deathReward: -1, stepReward: -0.01 };
const makeEnv = (): Env<unknown, number> => make(flags.env, { observation, ...rewards }) as Env<unknown, number>;
const result = await train({
  flags,
  agentName: 'dqn',
  config,
  makeEnv,
  keepCheckpoints: 2, // each holds the replay buffer (~280 MB at 100k transitions of 400 floats)
  makeAgent: (env) => new DQN(env as Env<unknown, number>, config),
  loadAgent: (path, env) => DQN.load(path, env as Env<unknown, number>),
});

// The final word: 100 greedy episodes on the training level, and held-out levels for procgen.
const final = evaluate(result.agent, makeEnv(), { episodes: 100, seed: 5_000_000 });
console.log(`evaluation on ${flags.env}: completed ${(100 * (final.completionRate ?? 0)).toFixed(0)}% of 100 episodes, mean return ${final.mean.toFixed(2)} ± ${final.std.toFixed(2)}`);
if (flags.env === 'Platformer-Procgen-v0') {
  const heldOut = evaluate(result.agent, make(flags.env, { observation, ...rewards, procgenSplit: 'test' }) as Env<unknown, number>, { episodes: 100, seed: 6_000_000 });
  console.log(`held-out procedural levels: completed ${(100 * (heldOut.completionRate ?? 0)).toFixed(0)}% of 100, mean return ${heldOut.mean.toFixed(2)}`);
}
const viewer = new URL('../viewer/serve.ts', import.meta.url);
if (existsSync(viewer)) console.log(`watch it: npx tsx viewer/serve.ts ${result.out}`);
else console.log(`recorded episodes: ${result.out}/episodes (JSON lines; the browser viewer is not built yet)`);
