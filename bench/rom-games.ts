/**
 * Baselines for the project's own CHIP-8 games: the mean score of a uniformly random policy and of the scripted
 * player (envs/rom/own/scripted.ts) over N episodes each, on the registered envs (frame skip 4, sticky actions
 * 0.25, 18,000-frame cap). These are the figures a learning agent is compared with.
 *
 *   npx tsx bench/rom-games.ts [--episodes 20] [--seed 0] [--game breakout]
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Rng, formatZodError } from '../core/index.ts';
import { OWN_GAME_ENVS, OWN_GAME_NAMES, ownScriptedPolicy } from '../envs/rom/own/index.ts';

const Flags = z.object({
  episodes: z.coerce.number().int().positive(),
  seed: z.coerce.number().int().nonnegative(),
  game: z.enum(['', ...OWN_GAME_NAMES]),
});
const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '20' },
    seed: { type: 'string', default: '0' },
    game: { type: 'string', default: '' },
  },
});
const parsed = Flags.safeParse(values);
if (!parsed.success) throw new Error(`bench/rom-games: ${formatZodError(parsed.error)}`);
const flags = parsed.data;

interface Summary {
  mean: number;
  min: number;
  max: number;
  meanSteps: number;
}

function run(reg: (typeof OWN_GAME_ENVS)[number], policy: 'random' | 'scripted'): Summary {
  const env = reg.entryPoint({ ...reg.kwargs });
  const scripted = ownScriptedPolicy(env.settings.name);
  const rng = new Rng(flags.seed + 1);
  const scores: number[] = [];
  let steps = 0;
  for (let e = 0; e < flags.episodes; e++) {
    env.reset({ seed: flags.seed + e });
    let total = 0;
    for (;;) {
      const a = policy === 'random' ? rng.int(env.actionSpace.n) : scripted(env.vm.v);
      const r = env.step(a);
      total += r.reward;
      steps++;
      if (r.terminated || r.truncated) break;
    }
    scores.push(total);
  }
  return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, min: Math.min(...scores), max: Math.max(...scores), meanSteps: steps / flags.episodes };
}

console.log(`own CHIP-8 games, ${flags.episodes} episodes each, seeds ${flags.seed}..${flags.seed + flags.episodes - 1}`);
for (const reg of OWN_GAME_ENVS) {
  if (flags.game !== '' && !reg.id.toLowerCase().includes(flags.game)) continue;
  for (const policy of ['random', 'scripted'] as const) {
    const t = performance.now();
    const s = run(reg, policy);
    console.log(
      `${reg.id.padEnd(18)} ${policy.padEnd(8)} mean score ${s.mean.toFixed(2).padStart(7)}  min ${s.min}  max ${s.max}  mean steps ${s.meanSteps.toFixed(0)}  (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
  }
}
