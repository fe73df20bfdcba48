/**
 * (bench/train.ts has the untransposed figures in issue 9's one table, beside PyTorch; this script adds the
 * transposed layouts, TF.js's own wasm kernels and the cpu backend.)
 * matMul speed in GFLOP/s (2·m·n·k per product) for square sizes, untransposed and transposed, on wasm with
 * arcade-rl's kernels, wasm+openblas (the same kernels on the OpenBLAS addon), wasm with TF.js's own kernels, cpu,
 * and `blas`: the OpenBLAS addon called directly on Float32Arrays (no TF.js). One thread everywhere (TF.js wasm
 * runs single-threaded in Node; the addon is pinned to 1 unless --threads says otherwise).
 *
 *   npx tsx bench/matmul.ts [--sizes 64,256,1024] [--seconds 0.5] [--backends wasm,wasm+openblas,blas,wasm-tfjs,cpu]
 *                           [--threads 1] [--no-kernels] [--json]
 *
 * --no-kernels measures wasm with TF.js's own kernels only (same as --backends wasm-tfjs). Each cell is the wall-clock
 * rate; with --cpu-time it is per second of this process's CPU time instead (steadier on a shared, loaded machine).
 */
import { parseArgs } from 'node:util';
import { describeBackend, loadOpenblas, tf, useBackend } from '../core/backend/index.ts';
import { measureRate } from './lib/rate.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,256,1024' },
    seconds: { type: 'string', default: '0.5' },
    backends: { type: 'string', default: 'wasm,wasm+openblas,blas,wasm-tfjs,cpu' },
    threads: { type: 'string', default: '1' },
    'no-kernels': { type: 'boolean', default: false },
    'cpu-time': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
const threads = Number(values.threads);
if (!(seconds > 0) || sizes.some((s) => !(s > 0))) throw new Error('--seconds and --sizes must be positive numbers');
if (!(Number.isInteger(threads) && threads >= 1)) throw new Error('--threads must be a positive integer');
const variants = values['no-kernels'] ? ['wasm-tfjs'] : values.backends.split(',');
const KNOWN = ['wasm', 'wasm+openblas', 'blas', 'wasm-tfjs', 'cpu'];
for (const v of variants) if (!KNOWN.includes(v)) throw new Error(`unknown backend '${v}': use ${KNOWN.join(', ')}`);

const LAYOUTS = [
  { name: 'a·b', transposeA: false, transposeB: false },
  { name: 'aᵀ·b', transposeA: true, transposeB: false },
  { name: 'a·bᵀ', transposeA: false, transposeB: true },
  { name: 'aᵀ·bᵀ', transposeA: true, transposeB: true },
] as const;

interface Rate {
  /** GFLOP/s per wall-clock second. */
  wall: number;
  /** GFLOP/s per second of this process's CPU time. */
  cpu: number;
}

/** GFLOP/s of `product` (an n³ product): two warm-up calls, then repeats until `seconds` have passed (at least one). */
function measure(n: number, product: () => void): Rate {
  // The wasm and cpu backends and the addon compute synchronously inside the call, so no read-back is needed.
  const rate = measureRate(product, { seconds, repeats: 1, warmUpMs: 0 });
  const flops = 2 * n ** 3;
  return { wall: (rate.wall[0] * flops) / 1e9, cpu: (rate.cpu[0] * flops) / 1e9 };
}

function tfGflops(n: number, transposeA: boolean, transposeB: boolean): Rate {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  try {
    return measure(n, () => tf.matMul(a, b, transposeA, transposeB).dispose());
  } finally {
    tf.dispose([a, b]);
  }
}

interface Row {
  backend: string;
  description: string;
  size: number;
  layout: string;
  gflops: number;
  gflopsPerCpuSecond: number;
}

const rows: Row[] = [];
for (const variant of variants) {
  let description: string;
  let gflops: (n: number, transposeA: boolean, transposeB: boolean) => Rate;
  if (variant === 'blas') {
    const load = await loadOpenblas();
    if (!load.ok) {
      console.log(`blas: skipped: ${load.reason}`);
      continue;
    }
    const blas = load.addon;
    blas.setThreads(threads);
    description = `OpenBLAS addon on Float32Arrays, ${threads} thread${threads === 1 ? '' : 's'}`;
    gflops = (n, transposeA, transposeB) => {
      const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
      const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
      const c = new Float32Array(n * n);
      return measure(n, () => blas.sgemm(transposeA, transposeB, n, n, n, 1, a, 0, n, b, 0, n, 0, c, 0, n));
    };
  } else {
    try {
      const name = variant === 'cpu' ? 'cpu' : variant === 'wasm+openblas' ? 'wasm+openblas' : 'wasm';
      await useBackend(name, { kernels: variant !== 'wasm-tfjs', threads });
    } catch (error) {
      console.log(`${variant}: skipped: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    description = describeBackend();
    gflops = tfGflops;
  }
  for (const layout of LAYOUTS) gflops(32, layout.transposeA, layout.transposeB); // warm up the JIT on every path
  for (const size of sizes) {
    for (const layout of LAYOUTS) {
      const r = gflops(size, layout.transposeA, layout.transposeB);
      rows.push({ backend: variant, description, size, layout: layout.name, gflops: r.wall, gflopsPerCpuSecond: r.cpu });
    }
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const which = values['cpu-time'] ? 'per CPU-second' : 'wall-clock';
  console.log(`matMul GFLOP/s (${which}), node ${process.version}, ${seconds}s per measurement\n`);
  const width = Math.max(20, ...rows.map((r) => Math.min(70, r.description.length))) + 1;
  console.log(`${'backend'.padEnd(width)} ${'size'.padStart(5)} ${LAYOUTS.map((l) => l.name.padStart(8)).join(' ')}`);
  for (const variant of variants) {
    for (const size of sizes) {
      const cells = LAYOUTS.map((l) => rows.find((r) => r.backend === variant && r.size === size && r.layout === l.name));
      if (cells.some((c) => c === undefined)) continue;
      const value = (c: Row): number => (values['cpu-time'] ? c.gflopsPerCpuSecond : c.gflops);
      console.log(`${cells[0]!.description.slice(0, 70).padEnd(width)} ${`${size}³`.padStart(5)} ${cells.map((c) => value(c!).toFixed(2).padStart(8)).join(' ')}`);
    }
  }
}
