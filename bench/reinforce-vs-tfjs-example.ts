/**
 * Our REINFORCE against the TensorFlow.js project's own cart-pole REINFORCE example (tensorflow/tfjs-examples,
 * cart-pole/index.js), with that example's settings: a 128-unit ELU layer, Adam 0.05, discount 0.95, 20 games per
 * update, returns normalised over the batch, games capped at 500 steps. This script is our side: it plays
 * `--games` games of CartPole-v1 while learning and prints games per second and the mean length (= return) of
 * the last 20 games, the figure the example's UI charts.
 *
 *   npx tsx bench/reinforce-vs-tfjs-example.ts [--games 200] [--seed 1] [--backend cpu|wasm]
 *
 * The other side is run outside this repository (its code is Apache-2.0 and is not copied here): put
 * cart-pole/cart_pole.js and cart-pole/index.js of tfjs-examples in a scratch folder, replace index.js's
 * `./ui` import by no-op `maybeRenderDuringTraining` / `onGameEnd`, drop its `setUpUI()` call, export
 * `PolicyNetwork`, link this repo's node_modules there, and call `policyNet.train(cartPole, tf.train.adam(0.05),
 * 0.95, 20, 500)` once per 20 games after `tf.setBackend(<the same backend>)`.
 * Differences to keep in mind: the example computes gradients at every step (one backward pass per step) and
 * scales them at the end; we keep observations and do one batched backward pass per update. Its cart-pole starts
 * from a wider random state (x within ±0.5, angle within ±6°) than Gymnasium's (±0.05), and gives reward 0 on
 * the failing step.
 */
import { parseArgs } from 'node:util';
import { REINFORCE, REINFORCE_DEFAULTS, parseNumberFlag } from '../agents/index.ts';
import { describeBackend, make, parseBackendRequest, useBackend } from '../core/index.ts';
import '../envs/index.ts';

const { values } = parseArgs({
  options: { games: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' }, backend: { type: 'string', default: 'cpu' } },
  strict: true,
});
const games = parseNumberFlag('games', values.games, { integer: true, min: 1 });
const seed = parseNumberFlag('seed', values.seed, { integer: true, min: 0 });
await useBackend(parseBackendRequest(values.backend, '--backend'));
console.log(`backend: ${describeBackend()}`);

// tfjs-examples cart-pole defaults (index.html): hidden 128 (ELU), lr 0.05, discount 0.95, 20 games per iteration;
// REINFORCE_DEFAULTS are those, with orthogonal init (a near-uniform first policy) in place of Keras's Glorot.
const agent = new REINFORCE(make('CartPole-v1'), { ...REINFORCE_DEFAULTS, seed });
const lengths: number[] = [];
const started = performance.now();
await agent.learn({
  totalTimesteps: Number.MAX_SAFE_INTEGER,
  callbacks: {
    onEpisode: (r) => {
      lengths.push(r.length);
      if (lengths.length % 20 === 0) console.log(`iteration ${lengths.length / 20}: mean steps ${mean(lengths.slice(-20)).toFixed(1)}`);
    },
    onStep: () => lengths.length < games,
  },
});
const seconds = (performance.now() - started) / 1000;
console.log(
  `arcade-rl REINFORCE: ${lengths.length} games (${agent.numTimesteps} steps) in ${seconds.toFixed(1)} s = ${(lengths.length / seconds).toFixed(2)} games/s; ` +
    `mean steps of the last 20 games ${mean(lengths.slice(-20)).toFixed(1)}`,
);

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
