/**
 * Raw environment speed: steps per second for every registered env on one core, random actions, resetting at
 * episode end; once on the bare env (the registered entry point, no wrappers) and once as `make` returns it
 * (PassiveEnvChecker + OrderEnforcing + TimeLimit). Grid worlds are also measured with image observations.
 *
 *   npx tsx bench/envs.ts [--seconds 1] [--filter GridWorld] [--json]
 */
import { parseArgs } from 'node:util';
import { Rng, envSpec, listEnvs, make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    filter: { type: 'string', default: '' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);

/** Steps per second of `env` under uniformly random actions drawn from its own seeded action space. */
function stepsPerSecond(env: Env<unknown, unknown>): number {
  env.actionSpace.seed(0);
  env.reset({ seed: 0 });
  const rng = new Rng(1);
  const run = (budgetMs: number): number => {
    let steps = 0;
    const start = performance.now();
    let now = start;
    while (now - start < budgetMs) {
      for (let i = 0; i < 4096; i++) {
        const r = env.step(env.actionSpace.sample(rng));
        if (r.terminated || r.truncated) env.reset();
      }
      steps += 4096;
      now = performance.now();
    }
    return (steps * 1000) / (now - start);
  };
  run(Math.min(300, seconds * 300)); // warm up the JIT
  return run(seconds * 1000);
}

interface Row {
  id: string;
  variant: string;
  bare: number;
  wrapped: number;
}

const rows: Row[] = [];
for (const spec of listEnvs()) {
  if (values.filter !== '' && !spec.id.includes(values.filter)) continue;
  const variants: Array<[string, Record<string, unknown>]> = [['default', {}]];
  if (spec.id.startsWith('GridWorld-')) variants.push(['grid', { observation: 'grid' }], ['view', { observation: 'view' }]);
  for (const [variant, kwargs] of variants) {
    const bare = stepsPerSecond(envSpec(spec.id).entryPoint({ ...spec.kwargs, ...kwargs }));
    const wrapped = stepsPerSecond(make(spec.id, kwargs));
    rows.push({ id: spec.id, variant, bare, wrapped });
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : `${(x / 1e3).toFixed(0)}k`);
  console.log(`node ${process.version}, ${seconds}s per measurement, random actions, one core\n`);
  console.log(`${'env'.padEnd(30)} ${'obs'.padEnd(8)} ${'bare steps/s'.padStart(13)} ${'make() steps/s'.padStart(15)} ${'loss'.padStart(6)}`);
  for (const r of rows) {
    console.log(`${r.id.padEnd(30)} ${r.variant.padEnd(8)} ${fmt(r.bare).padStart(13)} ${fmt(r.wrapped).padStart(15)} ${(r.bare / r.wrapped).toFixed(2).padStart(5)}x`);
  }
}
