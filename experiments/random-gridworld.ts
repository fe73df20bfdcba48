/**
 * The main job until the DQN and platformer issues land: a seeded random policy on a grid world, printing each
 * episode's return, and recording the episodes for the viewer.
 *
 *   npx tsx experiments/random-gridworld.ts [--env GridWorld-FourRooms-v0] [--episodes 10] [--seed 0] [--out runs/random-gridworld]
 */
import { parseArgs } from 'node:util';
import { RecordEpisodeStatistics, RecordEpisodes, make } from '../core/index.ts';
import '../envs/index.ts';

const { values: args } = parseArgs({
  options: {
    env: { type: 'string', default: 'GridWorld-FourRooms-v0' },
    episodes: { type: 'string', default: '10' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'runs/random-gridworld' },
  },
});
const episodes = Number(args.episodes);
const seed = Number(args.seed);
if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`--episodes must be a positive integer, received ${args.episodes}`);
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, received ${args.seed}`);

// Record every episode for the viewer, and keep return/length statistics.
const env = new RecordEpisodeStatistics(new RecordEpisodes(make(args.env), { dir: `${args.out}/episodes` }));
env.actionSpace.seed(seed);

console.log(`random policy on ${args.env}, ${episodes} episodes, seed ${seed}`);
for (let episode = 0; episode < episodes; episode++) {
  env.reset({ seed: seed + episode });
  for (;;) {
    const { terminated, truncated, info } = env.step(env.actionSpace.sample());
    if (terminated || truncated) {
      const outcome = terminated ? 'terminated' : 'truncated';
      console.log(`episode ${episode + 1}: return ${info.episode?.r.toFixed(2)}, length ${info.episode?.l} (${outcome})`);
      break;
    }
  }
}
const meanReturn = env.returnQueue.reduce((a, b) => a + b, 0) / env.returnQueue.length;
console.log(`mean return ${meanReturn.toFixed(3)} over ${episodes} episodes; episodes written to ${args.out}/episodes`);
