/**
 * The headline's learning figures: runs `experiments/dqn-platformer.ts` with its defaults for each seed, then
 * evaluates the final agent greedily for 100 episodes on each shipped level and on procedural levels from the
 * training and the held-out test split.
 *
 *   npx tsx bench/platformer-learning.ts [--seeds 1,2,3] [--parallel 2] [--episodes 100]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { latestCheckpoint, make, useBackend, type Env } from '../core/index.ts';
import '../envs/index.ts';
import { DQN, evaluate } from '../agents/index.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1,2,3' }, parallel: { type: 'string', default: '2' }, episodes: { type: 'string', default: '100' } } });
const seeds = (values.seeds ?? '1,2,3').split(',').map(Number);
const episodes = Number(values.episodes);
const out = (seed: number): string => `runs/bench-platformer-s${seed}`;

function runExperiment(seed: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'experiments/dqn-platformer.ts', '--seed', String(seed), '--quiet', '--out', out(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`seed ${seed}: exit ${code}\n${text}`))));
  });
}

const queue = [...seeds];
const logs = new Map<number, string>();
await Promise.all(
  Array.from({ length: Number(values.parallel) }, async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) logs.set(seed, await runExperiment(seed));
  }),
);

await useBackend('wasm');
const targets: Array<[string, Record<string, unknown>]> = [
  ...[1, 2, 3, 4, 5].map((n): [string, Record<string, unknown>] => [`Platformer-${n}-v0`, {}]),
  ['Platformer-Procgen-v0', { procgenSplit: 'train' }],
  ['Platformer-Procgen-v0', { procgenSplit: 'test' }],
];
for (const seed of seeds) {
  const log = logs.get(seed) ?? '';
  const time = /done: \d+ steps in ([\d.]+) s/.exec(log)?.[1];
  console.log(`seed ${seed}: training ${time ?? '?'} s; ${/evaluation on .*/.exec(log)?.[0] ?? ''}`);
  const ckpt = latestCheckpoint(`${out(seed)}/checkpoints`);
  if (ckpt === undefined) throw new Error(`no checkpoint for seed ${seed}`);
  for (const [id, kwargs] of targets) {
    // the experiment's reward weights, so returns are comparable with its log
    const env = make(id, { ...kwargs, progressReward: 0.5, deathReward: -1, stepReward: -0.01 }) as Env<unknown, number>;
    const agent = await DQN.load(ckpt.path, env);
    const r = evaluate(agent, env, { episodes, seed: 7_000_000 });
    const split = kwargs.procgenSplit === undefined ? '' : ` (${String(kwargs.procgenSplit)} split)`;
    console.log(`  ${id}${split}: completed ${(100 * (r.completionRate ?? 0)).toFixed(0)}% of ${episodes}, mean return ${r.mean.toFixed(2)}`);
    agent.dispose();
  }
}
