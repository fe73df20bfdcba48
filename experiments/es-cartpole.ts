/**
 * Evolution strategies on CartPole-v1: OpenAI-ES (default), CMA-ES or sep-CMA-ES evolve the weights of a 4-16-2
 * tanh policy until its champion averages 475+ over 100 evaluation episodes, or the env-step budget runs out.
 *
 *   npx tsx experiments/es-cartpole.ts [--strategy open-es|cma-es|sep-cma-es] [--seed 1] [--steps 1M] [--pop-size 20] [--resume]
 *
 * Writes runs/es-cartpole-CartPole-v1-s<seed>/: metrics.jsonl (evo/*, charts/*, eval/mean_return), config.json and
 * checkpoints/evolve.ckpt (rewritten after every generation; --resume continues from it).
 */
import { CMAES, MlpPolicy, OpenES, evolve, parseNumberFlag, parseRunFlags, type MlpPolicySpec, type Strategy } from '../agents/index.ts';
import { InvalidInputError, Progress, make } from '../core/index.ts';
import '../envs/index.ts';

const STRATEGIES = ['open-es', 'cma-es', 'sep-cma-es'] as const;

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'es-cartpole',
  defaults: { env: 'CartPole-v1', steps: 1_000_000, evalEpisodes: 100 },
  options: {
    strategy: { type: 'string', default: 'open-es', description: STRATEGIES.join(' | ') },
    generations: { type: 'string', default: '300', description: 'generations at most' },
    'pop-size': { type: 'string', description: 'candidates per generation (default: 20 for open-es, the tutorial formula for CMA-ES)' },
    hidden: { type: 'string', default: '16', description: 'hidden layer widths, comma-separated; empty for a linear policy' },
    'episodes-per-candidate': { type: 'string', default: '1', description: 'episodes averaged into each fitness' },
  },
  description: 'Evolves a CartPole-v1 policy with OpenAI-ES, CMA-ES or sep-CMA-ES; stops at 475+ over --eval-episodes episodes.',
});
if (flags.help) process.exit(0);
const kind = flags.extra.strategy;
if (!(STRATEGIES as readonly string[]).includes(kind)) throw new InvalidInputError(`--strategy: expected one of ${STRATEGIES.join(', ')}, received ${JSON.stringify(kind)}`);
const generations = parseNumberFlag('generations', flags.extra.generations, { integer: true, min: 1 });
const popSize = parseNumberFlag('pop-size', flags.extra['pop-size'], { integer: true, min: 2 });
const episodesPerCandidate = parseNumberFlag('episodes-per-candidate', flags.extra['episodes-per-candidate'], { integer: true, min: 1 });
const hidden = flags.extra.hidden.trim() === '' ? [] : flags.extra.hidden.split(',').map((w) => parseNumberFlag('hidden', w, { integer: true, min: 1 }));
const policy: MlpPolicySpec = { kind: 'mlp', hidden, activation: 'tanh' };

// The genome length is the policy's parameter count; evolution starts from all-zero weights (as estool).
const probe = make(flags.env);
const dim = new MlpPolicy(policy, probe.observationSpace, probe.actionSpace).parameterCount;
const x0 = new Float32Array(dim);
// OpenAI-ES: a small population and a larger step than estool's 0.01 suit this 114-parameter policy.
const strategy: Strategy =
  kind === 'open-es'
    ? new OpenES({ objective: 'max', popSize: popSize ?? 20, learningRate: 0.03, seed: flags.seed }, x0)
    : new CMAES({ objective: 'max', diagonal: kind === 'sep-cma-es', sigma0: 0.5, seed: flags.seed, ...(popSize !== undefined ? { popSize } : {}) }, x0);

const progress = flags.quiet ? undefined : new Progress({ total: flags.steps, label: `${kind} ${flags.env}` });
const started = performance.now();
const result = await evolve({
  env: flags.env,
  policy,
  strategy,
  seed: flags.seed,
  generations,
  episodesPerCandidate,
  maxEnvSteps: flags.steps,
  stop: { meanReturn: 475, episodes: flags.evalEpisodes },
  out: flags.out,
  resume: flags.resume,
  onGeneration: (g) => progress?.update(g.envSteps, { gen: g.generation, mean: g.mean, best: g.best, champion: g.championFitness, ...(g.evalMeanReturn !== undefined ? { eval: g.evalMeanReturn } : {}) }),
});
progress?.finish();
const seconds = (performance.now() - started) / 1000;
const last = result.history.at(-1);
console.log(
  `${kind} seed ${flags.seed}: ${result.solved ? 'solved' : 'not solved'} after ${result.history.length} generations, ` +
    `${result.envSteps} env steps, ${seconds.toFixed(2)} s; champion eval mean return ${last?.evalMeanReturn?.toFixed(1) ?? 'n/a'} over ${flags.evalEpisodes} episodes`,
);
