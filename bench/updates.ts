/**
 * (Issue 9's one table of training speed, with PyTorch beside it, is bench/train.ts; this script is the wider
 * TF.js survey: more backends, raw tfjs-core nets, an MSE step, achieved against peak GFLOP/s.)
 * Training speed: Adam updates per second (batch forward, backward, Adam step; `optimizer.minimize` under tidy)
 * for networks written directly on tfjs-core, and the GFLOP/s that achieves next to the peak matMul GFLOP/s
 * measured in the same run on the same backend. Achieved GFLOP/s counts 3x the forward FLOPs (2·m·n·k per
 * matMul or conv as im2col; backward ≈ 2x forward), plus one forward for the target network with `--step dqn`.
 *
 *   npx tsx bench/updates.ts [--seconds 1] [--repeats 3] [--backends wasm,wasm+openblas,wasm-tfjs,cpu]
 *                            [--nets mlp-small,mlp-large,conv,nature] [--step mse|dqn] [--threads 1] [--json]
 *
 * Backends: `wasm` = wasm with arcade-rl's kernels, `wasm+openblas` = the same kernels on the OpenBLAS addon,
 * `wasm-tfjs` = wasm with TF.js's own kernels, `cpu`. Steps: `mse` = MSE against fixed targets; `dqn` = DQN's
 * update: a target-network forward on the next observations, TD targets, Huber loss on Q(s, a) gathered by action.
 * Each figure is the median of `repeats` measurements of `seconds` each (the machines are shared and noisy); the
 * range is printed next to it, and the rate per second of this process's CPU time (steadier under load).
 */
import { parseArgs } from 'node:util';
import { describeBackend, tf, useBackend } from '../core/backend/index.ts';
import { Rng } from '../core/rng.ts';
import { measureRate, median, type Rate } from './lib/rate.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'wasm,wasm+openblas,wasm-tfjs,cpu' },
    nets: { type: 'string', default: 'mlp-small,mlp-large,conv,nature' },
    step: { type: 'string', default: 'mse' },
    threads: { type: 'string', default: '1' },
    'peak-size': { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const peakSize = Number(values['peak-size']);
const repeats = Number(values.repeats);
const threads = Number(values.threads);
if (!(seconds > 0) || !(peakSize > 0) || !(repeats >= 1)) throw new Error('--seconds, --repeats and --peak-size must be positive numbers');
if (!(Number.isInteger(threads) && threads >= 1)) throw new Error('--threads must be a positive integer');
if (values.step !== 'mse' && values.step !== 'dqn') throw new Error(`--step must be mse or dqn, got '${values.step}'`);
const dqnStep = values.step === 'dqn';

interface Net {
  name: string;
  batch: number;
  inputShape: number[];
  outputs: number;
  /** Forward FLOPs for one batch. */
  forwardFlops: number;
  build(rng: Rng): { vars: tf.Variable[]; predict(x: tf.Tensor): tf.Tensor2D };
}

const param = (rng: Rng, shape: number[], fanIn: number): tf.Variable => {
  const scale = Math.sqrt(6 / fanIn);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.variable(tf.tensor(Float32Array.from({ length: n }, () => rng.uniform(-scale, scale)), shape));
};

/** Dense layers `sizes[0] → … → sizes.at(-1)`, relu between, linear output. */
function mlp(name: string, sizes: number[], batch: number): Net {
  let flops = 0;
  for (let i = 1; i < sizes.length; i++) flops += 2 * batch * sizes[i - 1] * sizes[i];
  return {
    name,
    batch,
    inputShape: [batch, sizes[0]],
    outputs: sizes[sizes.length - 1],
    forwardFlops: flops,
    build(rng) {
      const vars: tf.Variable[] = [];
      for (let i = 1; i < sizes.length; i++) vars.push(param(rng, [sizes[i - 1], sizes[i]], sizes[i - 1]), tf.variable(tf.zeros([sizes[i]])));
      return {
        vars,
        predict(x) {
          let h = x as tf.Tensor2D;
          for (let i = 0; i < vars.length; i += 2) {
            const last = i === vars.length - 2;
            h = tf.fused.matMul({ a: h, b: vars[i] as tf.Tensor2D, bias: vars[i + 1], activation: last ? 'linear' : 'relu' }) as tf.Tensor2D;
          }
          return h;
        },
      };
    },
  };
}

/** 10x10x4 input, conv 16 3x3 stride 1 'same' relu, flatten, dense 128 relu, dense 6. */
function convNet(batch: number): Net {
  const [h, w, c, f, k, hidden, out] = [10, 10, 4, 16, 3, 128, 6];
  const flops = 2 * batch * h * w * (k * k * c) * f + 2 * batch * (h * w * f) * hidden + 2 * batch * hidden * out;
  return {
    name: 'conv 10x10x4-c16-128-6',
    batch,
    inputShape: [batch, h, w, c],
    outputs: out,
    forwardFlops: flops,
    build(rng) {
      const vars = [
        param(rng, [k, k, c, f], k * k * c),
        tf.variable(tf.zeros([f])),
        param(rng, [h * w * f, hidden], h * w * f),
        tf.variable(tf.zeros([hidden])),
        param(rng, [hidden, out], hidden),
        tf.variable(tf.zeros([out])),
      ];
      const [filter, fb, w1, b1, w2, b2] = vars;
      return {
        vars,
        predict(x) {
          const y = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: 1, pad: 'same', bias: fb, activation: 'relu' });
          const d = tf.fused.matMul({ a: tf.reshape(y, [batch, h * w * f]) as tf.Tensor2D, b: w1 as tf.Tensor2D, bias: b1, activation: 'relu' }) as tf.Tensor2D;
          return tf.fused.matMul({ a: d, b: w2 as tf.Tensor2D, bias: b2 }) as tf.Tensor2D;
        },
      };
    },
  };
}

/** The Nature-DQN network (Mnih et al. 2015): 84x84x4, conv 32 8x8/4, 64 4x4/2, 64 3x3/1 (relu, 'valid'), dense 512, 6. */
function natureCnn(batch: number): Net {
  const convs = [
    { k: 8, s: 4, c: 4, f: 32 },
    { k: 4, s: 2, c: 32, f: 64 },
    { k: 3, s: 1, c: 64, f: 64 },
  ];
  let side = 84;
  let flops = 0;
  for (const { k, s, c, f } of convs) {
    side = Math.floor((side - k) / s) + 1;
    flops += 2 * batch * side * side * k * k * c * f;
  }
  const flat = side * side * 64;
  const [hidden, out] = [512, 6];
  flops += 2 * batch * flat * hidden + 2 * batch * hidden * out;
  return {
    name: 'Nature CNN 84x84x4',
    batch,
    inputShape: [batch, 84, 84, 4],
    outputs: out,
    forwardFlops: flops,
    build(rng) {
      const vars: tf.Variable[] = [];
      for (const { k, c, f } of convs) vars.push(param(rng, [k, k, c, f], k * k * c), tf.variable(tf.zeros([f])));
      vars.push(param(rng, [flat, hidden], flat), tf.variable(tf.zeros([hidden])), param(rng, [hidden, out], hidden), tf.variable(tf.zeros([out])));
      return {
        vars,
        predict(x) {
          let h = x as tf.Tensor4D;
          convs.forEach(({ s }, i) => {
            h = tf.fused.conv2d({ x: h, filter: vars[2 * i] as tf.Tensor4D, strides: s, pad: 'valid', bias: vars[2 * i + 1], activation: 'relu' });
          });
          const d = tf.fused.matMul({ a: tf.reshape(h, [batch, flat]) as tf.Tensor2D, b: vars[6] as tf.Tensor2D, bias: vars[7], activation: 'relu' }) as tf.Tensor2D;
          return tf.fused.matMul({ a: d, b: vars[8] as tf.Tensor2D, bias: vars[9] }) as tf.Tensor2D;
        },
      };
    },
  };
}

const NETS: Record<string, Net> = {
  'mlp-small': mlp('mlp 4-64-64-2', [4, 64, 64, 2], 64),
  'mlp-large': mlp('mlp 400-256-256-6', [400, 256, 256, 6], 64),
  conv: convNet(32),
  nature: natureCnn(32),
};
const nets = values.nets.split(',').map((n) => {
  const net = NETS[n];
  if (net === undefined) throw new Error(`unknown net '${n}': use ${Object.keys(NETS).join(', ')}`);
  return net;
});
const variants = values.backends.split(',');
for (const v of variants) if (!['wasm', 'wasm+openblas', 'wasm-tfjs', 'cpu'].includes(v)) throw new Error(`unknown backend '${v}'`);

/** Adam updates per second of `net` on the current backend, one measurement per repeat. */
function updatesPerSecond(net: Net): Rate {
  const rng = new Rng(0);
  const model = net.build(rng);
  const target = net.build(rng);
  const size = net.inputShape.reduce((a, b) => a * b, 1);
  const random = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
  const x = tf.tensor(random(size), net.inputShape);
  const xNext = tf.tensor(random(size), net.inputShape);
  const y = tf.tensor2d(random(net.batch * net.outputs), [net.batch, net.outputs]);
  const rewards = tf.tensor1d(random(net.batch));
  const notDone = tf.tensor1d(Float32Array.from({ length: net.batch }, () => (rng.random() < 0.05 ? 0 : 1)));
  const actionMask = tf.oneHot(tf.tensor1d(Int32Array.from({ length: net.batch }, () => rng.int(net.outputs)), 'int32'), net.outputs);
  const optimizer = tf.train.adam(1e-3);
  const mseStep = (): void => tf.tidy(() => void optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x)) as tf.Scalar));
  const dqnUpdate = (): void =>
    tf.tidy(() => {
      const tdTarget = tf.add(rewards, tf.mul(tf.mul(notDone, 0.99), tf.max(target.predict(xNext), 1)));
      optimizer.minimize(() => tf.losses.huberLoss(tdTarget, tf.sum(tf.mul(model.predict(x), actionMask), 1)) as tf.Scalar);
    });
  const step = dqnStep ? dqnUpdate : mseStep;
  try {
    return measureRate(step, { seconds, repeats, warmUpMs: Math.min(500, seconds * 250) });
  } finally {
    optimizer.dispose();
    tf.dispose([x, xNext, y, rewards, notDone, actionMask, ...model.vars, ...target.vars]);
  }
}

/** Untransposed n³ matMul GFLOP/s on the current backend. */
function peakGflops(n: number): number {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  tf.matMul(a, b).dispose();
  let reps = 0;
  const start = performance.now();
  while (reps < 2 || performance.now() - start < 500) {
    tf.matMul(a, b).dispose();
    reps++;
  }
  const ms = performance.now() - start;
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / (ms * 1e6);
}

interface Row {
  backend: string;
  description: string;
  net: string;
  /** Median over the repeats. */
  updatesPerSecond: number | null;
  runs: number[];
  /** Median over the repeats, per second of CPU time. */
  updatesPerCpuSecond: number | null;
  gflops: number | null;
  peakGflops: number;
  error?: string;
}

const rows: Row[] = [];
const forwardsPerUpdate = dqnStep ? 4 : 3;
for (const variant of variants) {
  try {
    await useBackend(variant === 'cpu' ? 'cpu' : variant === 'wasm+openblas' ? 'wasm+openblas' : 'wasm', { kernels: variant !== 'wasm-tfjs', threads });
  } catch (error) {
    console.log(`${variant}: skipped: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const description = describeBackend();
  const peak = peakGflops(peakSize);
  for (const net of nets) {
    const failed = (message: string): Row => ({
      backend: variant, description, net: net.name, updatesPerSecond: null, runs: [], updatesPerCpuSecond: null, gflops: null, peakGflops: peak, error: message,
    });
    if (variant === 'cpu' && net.forwardFlops > 1e8) {
      rows.push(failed('skipped: the cpu backend takes tens of seconds an update on this net'));
      continue;
    }
    try {
      const rates = updatesPerSecond(net);
      const ups = median(rates.wall);
      rows.push({
        backend: variant, description, net: net.name, updatesPerSecond: ups, runs: rates.wall, updatesPerCpuSecond: median(rates.cpu),
        gflops: (forwardsPerUpdate * net.forwardFlops * ups) / 1e9, peakGflops: peak,
      });
    } catch (error) {
      rows.push(failed(error instanceof Error ? error.message : String(error)));
    }
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const step = dqnStep ? 'DQN step (target forward, Huber TD)' : 'MSE step';
  console.log(`Adam updates/s, ${step}, node ${process.version}, median of ${repeats} x ${seconds}s; peak = untransposed ${peakSize}³ matMul GFLOP/s\n`);
  console.log(`${'backend'.padEnd(16)} ${'net'.padEnd(24)} ${'updates/s'.padStart(10)} ${'(range)'.padEnd(15)} ${'per CPU-s'.padStart(9)} ${'GFLOP/s'.padStart(8)} ${'peak'.padStart(6)}`);
  for (const r of rows) {
    if (r.updatesPerSecond === null || r.gflops === null || r.updatesPerCpuSecond === null) {
      console.log(`${r.backend.padEnd(16)} ${r.net.padEnd(24)} failed: ${r.error}`);
      continue;
    }
    const range = `(${Math.min(...r.runs).toFixed(0)}–${Math.max(...r.runs).toFixed(0)})`;
    console.log(
      `${r.backend.padEnd(16)} ${r.net.padEnd(24)} ${r.updatesPerSecond.toFixed(1).padStart(10)} ${range.padEnd(15)} ${r.updatesPerCpuSecond.toFixed(1).padStart(9)} ${r.gflops.toFixed(2).padStart(8)} ${r.peakGflops.toFixed(1).padStart(6)}`,
    );
  }
  console.log('');
  for (const description of new Set(rows.map((r) => `${r.backend}: ${r.description}`))) console.log(description);
}
