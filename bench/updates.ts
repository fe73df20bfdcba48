/**
 * Training speed: Adam updates per second (batch forward, backward, Adam step; `optimizer.minimize` under tidy)
 * for three networks written directly on tfjs-core, and the GFLOP/s that achieves next to the peak matMul GFLOP/s
 * measured in the same run on the same backend. Achieved GFLOP/s counts 3x the forward FLOPs (2·m·n·k per
 * matMul or conv as im2col; backward ≈ 2x forward).
 *
 *   npx tsx bench/updates.ts [--seconds 1] [--repeats 3] [--backends wasm,wasm-tfjs,cpu] [--nets mlp-small,mlp-large,conv] [--json]
 *
 * Backends: `wasm` = wasm with arcade-rl's kernels, `wasm-tfjs` = wasm with TF.js's own kernels, `cpu`.
 * Each figure is the median of `repeats` measurements of `seconds` each (the machines are shared and noisy); the
 * range is printed next to it.
 */
import { parseArgs } from 'node:util';
import { describeBackend, tf, useBackend } from '../core/backend/index.ts';
import { Rng } from '../core/rng.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'wasm,wasm-tfjs,cpu' },
    nets: { type: 'string', default: 'mlp-small,mlp-large,conv' },
    'peak-size': { type: 'string', default: '256' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const peakSize = Number(values['peak-size']);
const repeats = Number(values.repeats);
if (!(seconds > 0) || !(peakSize > 0) || !(repeats >= 1)) throw new Error('--seconds, --repeats and --peak-size must be positive numbers');

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

const NETS: Record<string, Net> = {
  'mlp-small': mlp('mlp 4-64-64-2', [4, 64, 64, 2], 64),
  'mlp-large': mlp('mlp 400-256-256-6', [400, 256, 256, 6], 64),
  conv: convNet(32),
};
const nets = values.nets.split(',').map((n) => {
  const net = NETS[n];
  if (net === undefined) throw new Error(`unknown net '${n}': use ${Object.keys(NETS).join(', ')}`);
  return net;
});
const variants = values.backends.split(',');
for (const v of variants) if (!['wasm', 'wasm-tfjs', 'cpu'].includes(v)) throw new Error(`unknown backend '${v}'`);

/** Adam updates per second of `net` on the current backend, one measurement per repeat. */
function updatesPerSecond(net: Net): number[] {
  const rng = new Rng(0);
  const model = net.build(rng);
  const size = net.inputShape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Float32Array.from({ length: size }, () => rng.uniform(-1, 1)), net.inputShape);
  const y = tf.tensor2d(Float32Array.from({ length: net.batch * net.outputs }, () => rng.uniform(-1, 1)), [net.batch, net.outputs]);
  const optimizer = tf.train.adam(1e-3);
  const step = (): void => tf.tidy(() => void optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x)) as tf.Scalar));
  const run = (budgetMs: number, minSteps: number): number => {
    let steps = 0;
    const start = performance.now();
    while (steps < minSteps || performance.now() - start < budgetMs) {
      step();
      steps++;
    }
    return (steps * 1000) / (performance.now() - start);
  };
  try {
    run(Math.min(500, seconds * 250), 3); // warm up the JIT and TF.js's caches
    return Array.from({ length: repeats }, () => run(seconds * 1000, 2));
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, ...model.vars]);
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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Row {
  backend: string;
  description: string;
  net: string;
  /** Median over the repeats. */
  updatesPerSecond: number | null;
  runs: number[];
  gflops: number | null;
  peakGflops: number;
  error?: string;
}

const rows: Row[] = [];
for (const variant of variants) {
  await useBackend(variant === 'cpu' ? 'cpu' : 'wasm', { kernels: variant === 'wasm' });
  const description = describeBackend();
  const peak = peakGflops(peakSize);
  for (const net of nets) {
    try {
      const runs = updatesPerSecond(net);
      const ups = median(runs);
      rows.push({ backend: variant, description, net: net.name, updatesPerSecond: ups, runs, gflops: (3 * net.forwardFlops * ups) / 1e9, peakGflops: peak });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      rows.push({ backend: variant, description, net: net.name, updatesPerSecond: null, runs: [], gflops: null, peakGflops: peak, error: message });
    }
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  console.log(`Adam updates/s, node ${process.version}, median of ${repeats} x ${seconds}s; peak = untransposed ${peakSize}³ matMul GFLOP/s\n`);
  console.log(`${'backend'.padEnd(54)} ${'net'.padEnd(24)} ${'updates/s'.padStart(10)} ${'(range)'.padEnd(15)} ${'GFLOP/s'.padStart(8)} ${'peak'.padStart(6)}`);
  for (const r of rows) {
    if (r.updatesPerSecond === null || r.gflops === null) {
      console.log(`${r.description.padEnd(54)} ${r.net.padEnd(24)} failed: ${r.error}`);
      continue;
    }
    const range = `(${Math.min(...r.runs).toFixed(0)}–${Math.max(...r.runs).toFixed(0)})`;
    console.log(
      `${r.description.padEnd(54)} ${r.net.padEnd(24)} ${r.updatesPerSecond.toFixed(1).padStart(10)} ${range.padEnd(15)} ${r.gflops.toFixed(2).padStart(8)} ${r.peakGflops.toFixed(1).padStart(6)}`,
    );
  }
}
