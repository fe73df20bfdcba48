/**
 * Raw speed of the platformer: steps per second on one core, uniformly random actions (from a seeded Rng, drawn
 * in advance), resetting at episode end, for symbolic and pixel observations on level 1, level 5 and procedural
 * levels (a new level generated at every reset). Bare env, no wrappers.
 *
 *   npx tsx bench/platformer.ts [--seconds 2] [--json]
 *
 * Goals: >= 1,000,000 symbolic steps/s, >= 100,000 pixel steps/s.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../core/index.ts';
import { Platformer, type PlatformerOptions } from '../envs/platformer/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);

interface Row {
  name: string;
  stepsPerSecond: number;
  episodes: number;
  meanEpisodeLength: number;
}

function measure(name: string, opts: PlatformerOptions): Row {
  const env = new Platformer(opts);
  const rng = new Rng(1);
  const actions = new Uint8Array(1 << 16);
  for (let i = 0; i < actions.length; i++) actions[i] = rng.int(6);
  env.reset({ seed: 0 });
  let episodes = 0;
  let steps = 0;
  const run = (budgetMs: number): number => {
    let n = 0;
    let k = 0;
    const start = performance.now();
    let now = start;
    while (now - start < budgetMs) {
      for (let i = 0; i < 4096; i++) {
        const r = env.step(actions[k++ & 0xffff]);
        if (r.terminated || r.truncated) {
          env.reset();
          episodes++;
        }
      }
      n += 4096;
      now = performance.now();
    }
    steps += n;
    return (n * 1000) / (now - start);
  };
  run(Math.min(500, seconds * 300)); // warm up the JIT
  episodes = 0;
  steps = 0;
  const stepsPerSecond = run(seconds * 1000);
  return { name, stepsPerSecond, episodes, meanEpisodeLength: steps / Math.max(1, episodes) };
}

const rows: Row[] = [
  measure('level 1, symbolic', { level: 1 }),
  measure('level 1, pixels (grey)', { level: 1, observation: 'pixels' }),
  measure('level 1, pixels (rgb)', { level: 1, observation: 'pixels', rgb: true }),
  measure('level 5, symbolic', { level: 5 }),
  measure('level 5, pixels (grey)', { level: 5, observation: 'pixels' }),
  measure('procgen, symbolic', { level: 'procgen' }),
  measure('procgen, pixels (grey)', { level: 'procgen', observation: 'pixels' }),
];

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
  console.log(`node ${process.version}, ${seconds}s per measurement, random actions, one core, bare env\n`);
  console.log(`${'env'.padEnd(26)} ${'steps/s'.padStart(9)} ${'mean episode'.padStart(13)}`);
  for (const r of rows) console.log(`${r.name.padEnd(26)} ${fmt(r.stepsPerSecond).padStart(9)} ${r.meanEpisodeLength.toFixed(0).padStart(13)}`);
}
