/**
 * The small-net engine against TF.js: DQN updates per second (target-network forward, online forward and
 * backward of the Huber TD loss gathered by action, global-norm clipping, Adam; exactly `DQN.train`'s step) and
 * the latency of one greedy action, for the MLPs of issue 9, on `mlp` (typed arrays, core/nn/mlp) and `tfjs`
 * (TF.js on `--backend`, default wasm with arcade-rl's kernels). Also the plain-TS sgemm's GFLOP/s.
 *
 *   npx tsx bench/train.ts [--seconds 1] [--repeats 3] [--engines mlp,tfjs] [--nets small,mid,zoo,large] [--backend wasm]
 *
 * Each figure is the median of `repeats` runs of `seconds` (the machine is shared and noisy), range beside it.
 */
import { parseArgs } from 'node:util';
import { Rng, blockedSgemm, describeBackend, parseBackendRequest, useBackend } from '../core/index.ts';
import { MlpQEngine, TfjsQEngine, resolveDQNConfig, type QEngine, type TdBatch } from '../agents/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    engines: { type: 'string', default: 'mlp,tfjs' },
    nets: { type: 'string', default: 'small,large' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const seconds = Number(values.seconds);
const repeats = Number(values.repeats);
if (!(seconds > 0) || !(Number.isInteger(repeats) && repeats >= 1)) throw new Error('--seconds must be positive and --repeats a positive integer');

interface Net {
  name: string;
  inputSize: number;
  hidden: number[];
  actions: number;
}
const NETS: Record<string, Net> = {
  small: { name: 'MLP 4-64-64-2 (CartPole, SB3 default)', inputSize: 4, hidden: [64, 64], actions: 2 },
  mid: { name: 'MLP 4-128-128-2', inputSize: 4, hidden: [128, 128], actions: 2 },
  zoo: { name: 'MLP 4-256-256-2 (CartPole, RL Zoo)', inputSize: 4, hidden: [256, 256], actions: 2 },
  large: { name: 'MLP 400-256-256-6 (platformer symbolic)', inputSize: 400, hidden: [256, 256], actions: 6 },
};
const BATCH = 64;
/** Written by the greedy-action loop so that its argmax is not optimised away. */
let lastAction = 0;

interface Rate {
  /** Calls per wall-clock second: median, lowest, highest of the repeats. */
  median: number;
  low: number;
  high: number;
  /** Calls per second of this process's CPU time (median): steadier than wall time on a shared machine. */
  perCpuSecond: number;
}

/** Rates over `repeats` runs, each counting calls of `fn` for `seconds`. */
function rate(fn: () => void): Rate {
  const end = performance.now() + 300;
  while (performance.now() < end) fn(); // warm-up: JIT and caches
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let n = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    let now = start;
    while (now - start < seconds * 1000) {
      for (let i = 0; i < 8; i++) fn();
      n += 8;
      now = performance.now();
    }
    const used = process.cpuUsage(cpu);
    rates.push(n / ((now - start) / 1000));
    cpuRates.push(n / ((used.user + used.system) / 1e6));
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { median: median(rates), low: Math.min(...rates), high: Math.max(...rates), perCpuSecond: median(cpuRates) };
}

function randomBatch(net: Net, rng: Rng): TdBatch {
  const fill = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (2 * rng.random() - 1) * scale);
  return {
    size: BATCH,
    observations: fill(BATCH * net.inputSize, 1),
    nextObservations: fill(BATCH * net.inputSize, 1),
    actions: Int32Array.from({ length: BATCH }, () => rng.int(net.actions)),
    rewards: fill(BATCH, 1),
    discounts: null,
    notDone: Float32Array.from({ length: BATCH }, () => (rng.random() < 0.05 ? 0 : 1)),
    weights: null,
    needTdErrors: false,
  };
}

const fmt = (r: Rate, digits = 0): string => `${r.median.toFixed(digits)} (${r.low.toFixed(digits)}-${r.high.toFixed(digits)}; ${r.perCpuSecond.toFixed(digits)} per CPU-s)`;

const engines = values.engines.split(',');
if (engines.includes('tfjs')) await useBackend(parseBackendRequest(values.backend, '--backend'));
console.log(`node ${process.version}; tfjs: ${engines.includes('tfjs') ? describeBackend() : 'not used'}; mlp: plain-TS blocked sgemm`);

for (const [m, n, k] of [[64, 64, 64], [64, 256, 400]]) {
  const rng = new Rng(1);
  const a = Float32Array.from({ length: m * k }, () => rng.random());
  const b = Float32Array.from({ length: k * n }, () => rng.random());
  const c = new Float32Array(m * n);
  const r = rate(() => blockedSgemm(false, false, m, n, k, a, b, c, false));
  const gflops = (x: number): number => (x * 2 * m * n * k) / 1e9;
  console.log(`sgemm ${m}x${n}x${k}: ${gflops(r.median).toFixed(2)} GFLOP/s (${gflops(r.low).toFixed(2)}-${gflops(r.high).toFixed(2)}; ${gflops(r.perCpuSecond).toFixed(2)} per CPU-s)`);
}

for (const key of values.nets.split(',')) {
  const net = NETS[key];
  if (net === undefined) throw new Error(`--nets: unknown net ${key}; known: ${Object.keys(NETS).join(', ')}`);
  console.log(`\n${net.name}, batch ${BATCH}, Adam, Huber TD loss with target forward, clip 10`);
  for (const engine of engines) {
    if (engine !== 'mlp' && engine !== 'tfjs') throw new Error(`--engines: unknown engine ${engine}; known: mlp, tfjs`);
    const cfg = resolveDQNConfig({ batchSize: BATCH, network: { hidden: net.hidden }, engine, seed: 1 });
    const q: QEngine = engine === 'mlp' ? new MlpQEngine(cfg, [net.inputSize], net.actions, cfg.network, 1) : new TfjsQEngine(cfg, [net.inputSize], net.actions, cfg.network, 1);
    const batch = randomBatch(net, new Rng(2));
    const updates = rate(() => q.trainStep(batch));
    const row = batch.observations.subarray(0, net.inputSize);
    const actions = rate(() => {
      const values = q.qValues(row);
      let best = 0;
      for (let a = 1; a < values.length; a++) if (values[a] > values[best]) best = a;
      lastAction = best;
    });
    const us = `${(1e6 / actions.median).toFixed(1)} (${(1e6 / actions.high).toFixed(1)}-${(1e6 / actions.low).toFixed(1)}; ${(1e6 / actions.perCpuSecond).toFixed(1)} CPU)`;
    console.log(`  ${engine.padEnd(5)} updates/s ${fmt(updates)}   greedy action ${us} us`);
    q.dispose();
  }
}
if (lastAction < 0) console.log('unreachable');
