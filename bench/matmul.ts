/**
 * matMul speed in GFLOP/s (2·m·n·k per product) for square sizes, untransposed and transposed, on wasm with
 * arcade-rl's kernels, wasm with TF.js's own kernels, and cpu. One thread (TF.js wasm runs single-threaded in Node).
 *
 *   npx tsx bench/matmul.ts [--sizes 64,256,1024] [--seconds 0.5] [--backends wasm,wasm-tfjs,cpu] [--no-kernels] [--json]
 *
 * --no-kernels measures wasm with TF.js's own kernels only (same as --backends wasm-tfjs).
 */
import { parseArgs } from 'node:util';
import { describeBackend, tf, useBackend } from '../core/backend/index.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '64,256,1024' },
    seconds: { type: 'string', default: '0.5' },
    backends: { type: 'string', default: 'wasm,wasm-tfjs,cpu' },
    'no-kernels': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const seconds = Number(values.seconds);
if (!(seconds > 0) || sizes.some((s) => !(s > 0))) throw new Error('--seconds and --sizes must be positive numbers');
const variants = values['no-kernels'] ? ['wasm-tfjs'] : values.backends.split(',');
const KNOWN = ['wasm', 'wasm-tfjs', 'cpu'];
for (const v of variants) if (!KNOWN.includes(v)) throw new Error(`unknown backend '${v}': use ${KNOWN.join(', ')}`);

const LAYOUTS = [
  { name: 'a·b', transposeA: false, transposeB: false },
  { name: 'aᵀ·b', transposeA: true, transposeB: false },
  { name: 'a·bᵀ', transposeA: false, transposeB: true },
  { name: 'aᵀ·bᵀ', transposeA: true, transposeB: true },
] as const;

/** GFLOP/s of an n³ product: one warm-up, then repeats until `seconds` have passed (at least one). */
function gflops(n: number, transposeA: boolean, transposeB: boolean): number {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  tf.matMul(a, b, transposeA, transposeB).dispose();
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  // The wasm and cpu backends compute synchronously inside the call, so no read-back is needed to time them.
  while (reps === 0 || elapsed < seconds * 1000) {
    tf.matMul(a, b, transposeA, transposeB).dispose();
    reps++;
    elapsed = performance.now() - start;
  }
  tf.dispose([a, b]);
  return (2 * n ** 3 * reps) / (elapsed * 1e6);
}

interface Row {
  backend: string;
  description: string;
  size: number;
  layout: string;
  gflops: number;
}

const rows: Row[] = [];
for (const variant of variants) {
  await useBackend(variant === 'cpu' ? 'cpu' : 'wasm', { kernels: variant === 'wasm' });
  const description = describeBackend();
  for (const layout of LAYOUTS) gflops(32, layout.transposeA, layout.transposeB); // warm up the JIT on every path
  for (const size of sizes) {
    for (const layout of LAYOUTS) {
      rows.push({ backend: variant, description, size, layout: layout.name, gflops: gflops(size, layout.transposeA, layout.transposeB) });
    }
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  console.log(`matMul GFLOP/s, node ${process.version}, ${seconds}s per measurement\n`);
  console.log(`${'backend'.padEnd(58)} ${'size'.padStart(5)} ${LAYOUTS.map((l) => l.name.padStart(8)).join(' ')}`);
  for (const variant of variants) {
    for (const size of sizes) {
      const cells = LAYOUTS.map((l) => rows.find((r) => r.backend === variant && r.size === size && r.layout === l.name)!);
      console.log(`${cells[0].description.padEnd(58)} ${`${size}³`.padStart(5)} ${cells.map((c) => c.gflops.toFixed(2).padStart(8)).join(' ')}`);
    }
  }
}
