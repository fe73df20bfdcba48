/**
 * Evolution figures: (1) rollout throughput of the typed-array policy, env steps per second on one core for
 * CartPole-v1 with a 4-16-2 tanh policy (whole episodes through `Rollouts`, env included) and the policy's forward
 * pass alone; (2) env steps and wall time for OpenAI-ES, CMA-ES and sep-CMA-ES to reach 475+ over 100 evaluation
 * episodes on CartPole-v1, per seed (no run folder: no checkpoint or metrics I/O in the timings).
 *
 *   npx tsx bench/evolution.ts [--seconds 2] [--seeds 1,2,3] [--strategies open-es,cma-es,sep-cma-es]
 */
import { parseArgs } from 'node:util';
import { CMAES, OpenES, Rollouts, evolve, type MlpPolicySpec, type Strategy } from '../agents/evolution/index.ts';
import { Rng } from '../core/index.ts';
import '../envs/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    seeds: { type: 'string', default: '1,2,3' },
    strategies: { type: 'string', default: 'open-es,cma-es,sep-cma-es' },
  },
});
const seconds = Number(values.seconds);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, received ${values.seconds}`);
const seeds = values.seeds.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`--seeds must be non-negative integers separated by commas, received ${values.seeds}`);
const kinds = values.strategies.split(',');

const POLICY: MlpPolicySpec = { kind: 'mlp', hidden: [16], activation: 'tanh' };
const rollouts = new Rollouts('CartPole-v1', POLICY);
const genome = rollouts.policy.initialGenome(1);

/** Env steps per second of whole 10-episode rollouts with `g`, for `seconds`. */
function throughput(g: Float32Array): { sps: number; meanLength: number } {
  let steps = 0;
  let episodes = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    steps += rollouts.run(g, episodes, 10).steps;
    episodes += 10;
  }
  return { sps: steps / ((performance.now() - t0) / 1000), meanLength: steps / episodes };
}
function report(label: string, g: Float32Array): void {
  const { sps, meanLength } = throughput(g);
  console.log(`rollouts  CartPole-v1, 4-16-2 tanh, 1 core, ${label}: ${(sps / 1e6).toFixed(2)}M env steps/s (mean episode length ${meanLength.toFixed(1)})`);
}
report('initial weights', genome);
// The forward pass alone.
const rng = new Rng(0);
const input = Float32Array.from({ length: 4 }, () => rng.uniform(-0.05, 0.05));
rollouts.policy.setGenome(genome);
let calls = 0;
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  for (let i = 0; i < 10_000; i++) rollouts.policy.act(input);
  calls += 10_000;
}
console.log(`forward   4-16-2 tanh + argmax: ${(((performance.now() - t0) * 1000) / calls).toFixed(3)} us per call`);

// (2) Time to solve.
function strategyFor(kind: string, seed: number, dim: number): Strategy {
  const x0 = new Float32Array(dim);
  if (kind === 'open-es') return new OpenES({ objective: 'max', popSize: 20, learningRate: 0.03, seed }, x0);
  if (kind === 'cma-es' || kind === 'sep-cma-es') return new CMAES({ objective: 'max', diagonal: kind === 'sep-cma-es', sigma0: 0.5, seed }, x0);
  throw new Error(`--strategies: unknown strategy ${JSON.stringify(kind)}; expected open-es, cma-es, sep-cma-es`);
}
let solved: Float32Array | undefined;
for (const kind of kinds) {
  for (const seed of seeds) {
    const start = performance.now();
    const r = await evolve({ env: 'CartPole-v1', policy: POLICY, strategy: strategyFor(kind, seed, rollouts.policy.parameterCount), seed, generations: 300, maxEnvSteps: 2_000_000, stop: { meanReturn: 475, episodes: 100 } });
    const wall = (performance.now() - start) / 1000;
    solved ??= r.solved ? r.best.genome : undefined;
    console.log(`${kind.padEnd(10)} seed ${seed}: ${r.solved ? 'solved' : 'NOT solved'} in ${r.history.length} generations, ${r.envSteps} env steps, ${wall.toFixed(2)} s, eval ${r.history.at(-1)?.evalMeanReturn?.toFixed(1) ?? 'n/a'}`);
  }
}
if (solved !== undefined) report('a solving champion', solved);
