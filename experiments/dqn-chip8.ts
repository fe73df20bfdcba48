/**
 * DQN on the project's own CHIP-8 breakout, ALE style: the 64x32 screen, the last 4 frames stacked, frame skip 4,
 * sticky actions 0.25. The final evaluation sets the agent's mean score beside a uniformly random policy's.
 *
 *   npx tsx experiments/dqn-chip8.ts [--steps 100k] [--full-games] [--seed 1] [--env Chip8-Breakout-v0] [--backend wasm]
 *                                    [--eval-every 20k] [--record-every 25] [--resume]
 *
 * Writes runs/dqn-chip8-<env>-s<seed>/: metrics.jsonl, config.json, checkpoints/, episodes/ (watch them with the
 * viewer, which draws CHIP-8 screens).
 */
import { DQN, evaluate, parseRunFlags, resolveDQNConfig, train, type Policy } from '../agents/index.ts';
import { FrameStack, make, type Env } from '../core/index.ts';
import '../envs/index.ts';

const flags = parseRunFlags(process.argv.slice(2), {
  experiment: 'dqn-chip8',
  defaults: { env: 'Chip8-Breakout-v0', steps: 100_000, evalEvery: 20_000, evalEpisodes: 5, recordEvery: 25 },
  options: {
    'full-games': { type: 'boolean', default: false, description: 'train on full games (default: a training episode ends on a lost life, as in Mnih et al. 2015)' },
  },
  description: "DQN on the project's CHIP-8 breakout (pixels, 4 stacked frames, ALE's frame skip and sticky actions).",
});
if (flags.help) process.exit(0);

// Nature DQN's recipe (Mnih et al. 2015) scaled to a 64x32 screen and a CPU budget: two small convs, a shorter
// exploration schedule and replay, Double DQN (van Hasselt et al. 2016) and 3-step returns (Hessel et al. 2018).
const config = resolveDQNConfig({
  learningRate: 2.5e-4,
  batchSize: 32,
  bufferSize: 100_000,
  learningStarts: 5_000,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 2_000,
  explorationFraction: 0.3,
  explorationFinalEps: 0.02,
  gamma: 0.99,
  doubleQ: true,
  nStep: 3,
  network: { conv: [{ filters: 16, kernel: 4, stride: 2 }, { filters: 32, kernel: 3, stride: 2 }], hidden: [256] },
  seed: flags.seed,
});

// ALE v5 settings are the env's defaults (frame skip 4, sticky actions 0.25); the stack gives the ball's motion.
// Training ends an episode on a lost life, as the Nature DQN did (a miss then costs all the value ahead); every
// evaluation plays the full game.
const episodicLife = !flags.extra['full-games'];
const stacked = (kwargs: Record<string, unknown>): Env<Uint8Array, number> => new FrameStack(make(flags.env, kwargs) as Env<Uint8Array, number>, 4, { axis: 'last' });
const makeEnv = (): Env<Uint8Array, number> => stacked(episodicLife ? { terminalOnLifeLoss: true } : {});
const makeEvalEnv = (): Env<Uint8Array, number> => stacked({});

const result = await train({
  flags,
  agentName: 'dqn',
  config,
  makeEnv,
  makeEvalEnv,
  keepCheckpoints: 2,
  makeAgent: (env) => new DQN(env as Env<Uint8Array, number>, config),
  loadAgent: (path, env) => DQN.load(path, env as Env<Uint8Array, number>),
});

// The final word: 20 episodes of the greedy agent against 20 of a uniformly random policy, same seeds.
const env = makeEvalEnv();
env.actionSpace.seed(flags.seed);
const random: Policy<Uint8Array, number> = { predict: () => env.actionSpace.sample() };
const agentScore = evaluate(result.agent, makeEvalEnv(), { episodes: 20, seed: 5_000_000 });
const randomScore = evaluate(random, env, { episodes: 20, seed: 5_000_000 });
console.log(`evaluation on ${flags.env} (20 episodes): DQN ${agentScore.mean.toFixed(2)} ± ${agentScore.std.toFixed(2)}, random ${randomScore.mean.toFixed(2)} ± ${randomScore.std.toFixed(2)}`);
console.log(`watch it: npx tsx viewer/serve.ts ${result.out}`);
