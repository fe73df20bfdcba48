/**
 * DQN throughput: gradient updates per second (target-network forward + online forward/backward + Adam, as in
 * `DQN.train`) and greedy actions per second at batch 1, for the issue's three nets, with achieved GFLOP/s next to
 * the backend's own peak matMul GFLOP/s (256^3, measured in the same run).
 *
 *   npx tsx bench/dqn-updates.ts [--backends wasm,cpu] [--seconds 2]
 *
 * This times the whole `DQN.train` call (replay sampling included) on TF.js; bench/train.ts is issue 9's one table
 * of the bare update on every path, with PyTorch beside it.
 */
import { parseArgs } from 'node:util';
import { BaseEnv, Box, Discrete, Rng, describeBackend, parseBackendRequest, tf, useBackend, type NetworkConfig, type ResetResult, type StepResult } from '../core/index.ts';
import { DQN } from '../agents/index.ts';

const { values } = parseArgs({ options: { backends: { type: 'string', default: 'wasm,cpu' }, seconds: { type: 'string', default: '2' } } });
const seconds = Number(values.seconds);

/** An env that only supplies the observation space; its observations are random. */
class Shaped extends BaseEnv<Float32Array, number> {
  readonly observationSpace: Box;
  readonly actionSpace: Discrete;
  constructor(shape: number[], actions: number) {
    super();
    this.observationSpace = new Box({ low: 0, high: 1, shape });
    this.actionSpace = new Discrete(actions);
  }
  reset(): ResetResult<Float32Array> {
    return { observation: this.observationSpace.sample(this.rng), info: {} };
  }
  step(): StepResult<Float32Array> {
    return { observation: this.observationSpace.sample(this.rng), reward: this.rng.random(), terminated: false, truncated: false, info: {} };
  }
}

interface Case {
  name: string;
  shape: number[];
  actions: number;
  batch: number;
  network: NetworkConfig;
}
const cases: Case[] = [
  { name: 'MLP 4-64-64-2 (CartPole, SB3 default)', shape: [4], actions: 2, batch: 64, network: { hidden: [64, 64] } },
  { name: 'MLP 4-256-256-2 (CartPole, RL Zoo)', shape: [4], actions: 2, batch: 64, network: { hidden: [256, 256] } },
  { name: 'MLP 400-256-256-6 (platformer symbolic)', shape: [400], actions: 6, batch: 64, network: { hidden: [256, 256] } },
  { name: 'conv 10x10x4 c16 3x3 d128 6 (MinAtar)', shape: [10, 10, 4], actions: 6, batch: 32, network: { conv: [{ filters: 16, kernel: 3, stride: 1 }], hidden: [128] } },
];

/** Forward FLOPs of one sample. */
function forwardFlops(c: Case): number {
  let flops = 0;
  let inSize = c.shape.reduce((a, b) => a * b, 1);
  if (c.network.conv !== undefined) {
    let [h, w, ch] = c.shape;
    for (const l of c.network.conv) {
      h = Math.floor((h - l.kernel) / l.stride) + 1;
      w = Math.floor((w - l.kernel) / l.stride) + 1;
      flops += 2 * l.kernel * l.kernel * ch * l.filters * h * w;
      ch = l.filters;
    }
    inSize = h * w * ch;
  }
  for (const units of [...c.network.hidden, c.actions]) {
    flops += 2 * inSize * units;
    inSize = units;
  }
  return flops;
}

function timeIt(fn: () => void): number {
  fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

function peakMatMul(): number {
  const a = tf.randomNormal([256, 256]);
  const b = tf.randomNormal([256, 256]);
  // wasm and cpu compute inside the call, so no read-back is needed (a 256 KiB dataSync per call would mostly
  // measure the garbage collector).
  const perSec = timeIt(() => tf.matMul(a, b).dispose());
  tf.dispose([a, b]);
  return (perSec * 2 * 256 ** 3) / 1e9;
}

for (const backend of (values.backends ?? 'wasm,cpu').split(',')) {
  await useBackend(parseBackendRequest(backend, '--backends'));
  const peak = peakMatMul();
  console.log(`\n${describeBackend()}: peak matMul 256^3 ${peak.toFixed(1)} GFLOP/s`);
  console.log(`${'net'.padEnd(42)} ${'updates/s'.padStart(10)} ${'GFLOP/s'.padStart(8)} ${'% peak'.padStart(7)} ${'actions/s'.padStart(10)}`);
  for (const c of cases) {
    const env = new Shaped(c.shape, c.actions);
    const agent = new DQN(env, { batchSize: c.batch, bufferSize: 1000, network: c.network, seed: 1 });
    const rng = new Rng(0);
    for (let i = 0; i < 500; i++) agent.replay.add(env.observationSpace.sample(rng), rng.int(c.actions), rng.random(), env.observationSpace.sample(rng), 0, 0);
    const updates = timeIt(() => agent.train(1));
    // target forward + online forward + backward (~2x forward)
    const gflops = (updates * c.batch * 4 * forwardFlops(c)) / 1e9;
    const obs = env.observationSpace.sample(rng);
    const actions = timeIt(() => agent.predict(obs));
    console.log(`${c.name.padEnd(42)} ${updates.toFixed(0).padStart(10)} ${gflops.toFixed(2).padStart(8)} ${((100 * gflops) / peak).toFixed(0).padStart(6)}% ${actions.toFixed(0).padStart(10)}`);
    agent.dispose();
  }
}
