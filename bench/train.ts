/**
 * Training speed as one table (issue 9, part 5): DQN updates per second for the three reference updates (MLP
 * 4-64-64-2 and 400-256-256-6 at batch 64, the Nature-DQN CNN on 4x84x84 at batch 32; Adam, Huber TD loss with a
 * target-network forward, clipping at 10: exactly `DQN.train`'s step), the latency of one greedy action of the
 * 4-64-64-2 net, and matMul GFLOP/s at 64³/256³/1024³, on every path that loads here: TF.js wasm with arcade-rl's
 * kernels, TF.js wasm+openblas, the small-net engine on its plain-TS sgemm and on the OpenBLAS addon; beside them,
 * in the same run, the same figures from PyTorch on one thread (bench/peers/torch_updates.py, when the python
 * given by --python imports torch: Debian's `apt-get install python3-torch`), and our best over PyTorch.
 *
 *   npx tsx bench/train.ts [--seconds 1] [--repeats 3] [--json] [--python /usr/bin/python3] [--skip-torch] [--crossover]
 *
 * --crossover adds the 4-128-128-2 and 4-256-256-2 updates (ours only), where the plain-TS engine stops beating TF.js.
 *
 * Each cell is the median of `repeats` wall-clock runs of `seconds` (bench/lib/rate.ts), in the row's unit; --json
 * adds every run's calls per wall-clock second and per second of CPU time. Everything runs on one thread, one path after another.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  InvalidInputError, Rng, blockedSgemm, describeBackend, loadOpenblas, openblasSgemm, setDefaultSgemm, tf, useBackend, type Sgemm,
} from '../core/index.ts';
import { measureRate, median, type Rate } from './lib/rate.ts';
import { CROSSOVER_UPDATES, REFERENCE_UPDATES, isPlainMlp, makeQEngine, randomTdBatch } from './lib/reference-updates.ts';
import { runTorchPeer } from './lib/torch-peer.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    python: { type: 'string', default: '/usr/bin/python3' },
    'skip-torch': { type: 'boolean', default: false },
    crossover: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const repeats = Number(values.repeats);
if (!(seconds > 0)) throw new InvalidInputError(`--seconds must be a positive number, got '${values.seconds}'`);
if (!(Number.isInteger(repeats) && repeats >= 1)) throw new InvalidInputError(`--repeats must be a positive integer, got '${values.repeats}'`);
const timing = { seconds, repeats };

type Unit = 'updates/s' | 'µs' | 'GFLOP/s';
interface RowSpec {
  /** Key shared with the PyTorch peer's JSON. */
  key: string;
  label: string;
  unit: Unit;
  /** Work of one call in the unit's terms: FLOPs for matMul rows, else 1. */
  flops: number;
}
const MATMUL_SIZES = [64, 256, 1024];
const UPDATES = values.crossover ? [...REFERENCE_UPDATES, ...CROSSOVER_UPDATES] : REFERENCE_UPDATES;
const ROWS: RowSpec[] = [
  ...UPDATES.map((r): RowSpec => ({ key: r.key, label: r.label, unit: 'updates/s', flops: 1 })),
  { key: 'greedy-mlp-small', label: 'greedy action, MLP 4-64-64-2', unit: 'µs', flops: 1 },
  ...MATMUL_SIZES.map((n): RowSpec => ({ key: `matmul-${n}`, label: `matMul ${n}³`, unit: 'GFLOP/s', flops: 2 * n ** 3 })),
];

/** One measured figure, or why there is none. */
type Cell = { rate: Rate } | { missing: string };
interface Column {
  id: string;
  title: string;
  /** What ran, or why the whole column is missing. */
  description: string;
  loaded: boolean;
  cells: Map<string, Cell>;
}
/** Whether a column counts as ours for the ratio. */
const OURS = new Set(['tfjs-wasm', 'tfjs-wasm+openblas', 'mlp', 'mlp+openblas']);

const progress = (what: string): void => void process.stderr.write(`measuring ${what}\n`);
/** Written by the greedy-action loops so that the argmax is not optimised away. */
let lastAction = 0;

function argmax(values: Float32Array): number {
  let best = 0;
  for (let a = 1; a < values.length; a++) if (values[a] > values[best]) best = a;
  return best;
}

function randomMatrix(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * n }, () => 2 * rng.random() - 1);
}

/** The three updates and the greedy action through DQN's `QEngine` on `engine`; matMul through `matMulCall`. */
function measureColumn(id: string, engine: 'tfjs' | 'mlp', matMulCall: (n: number) => { call: () => void; dispose: () => void }): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const ref of UPDATES) {
    if (engine === 'mlp' && !isPlainMlp(ref)) {
      cells.set(ref.key, { missing: 'the small-net engine runs plain MLPs only' });
      continue;
    }
    progress(`${id}: ${ref.label}`);
    const q = makeQEngine(ref, engine);
    const batch = randomTdBatch(ref, 2);
    cells.set(ref.key, { rate: measureRate(() => void q.trainStep(batch), timing) });
    if (ref.key === 'update-mlp-small') {
      progress(`${id}: greedy action`);
      const row = batch.observations.subarray(0, ref.inputShape[0]);
      cells.set('greedy-mlp-small', { rate: measureRate(() => void (lastAction = argmax(q.qValues(row))), timing) });
    }
    q.dispose();
  }
  for (const n of MATMUL_SIZES) {
    progress(`${id}: matMul ${n}³`);
    const m = matMulCall(n);
    cells.set(`matmul-${n}`, { rate: measureRate(m.call, timing) });
    m.dispose();
  }
  return cells;
}

/** n³ product on the current TF.js backend (wasm computes inside the call, so no read-back is needed). */
function tfMatMul(n: number): { call: () => void; dispose: () => void } {
  const a = tf.tensor2d(randomMatrix(n, 1), [n, n]);
  const b = tf.tensor2d(randomMatrix(n, 2), [n, n]);
  return { call: () => tf.matMul(a, b).dispose(), dispose: () => tf.dispose([a, b]) };
}

/** n³ product through the engine's `sgemm`. */
const sgemmMatMul = (sgemm: Sgemm) => (n: number): { call: () => void; dispose: () => void } => {
  const a = randomMatrix(n, 1);
  const b = randomMatrix(n, 2);
  const c = new Float32Array(n * n);
  return { call: () => sgemm(false, false, n, n, n, a, b, c, false), dispose: () => undefined };
};

const missingColumn = (id: string, title: string, reason: string): Column => ({ id, title, description: reason, loaded: false, cells: new Map() });

async function tfjsColumn(id: string, title: string, backend: 'wasm' | 'wasm+openblas'): Promise<Column> {
  try {
    await useBackend(backend, { threads: 1 });
  } catch (error) {
    return missingColumn(id, title, error instanceof Error ? error.message : String(error));
  }
  const tensorsBefore = tf.memory().numTensors;
  const cells = measureColumn(id, 'tfjs', tfMatMul);
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`${id}: ${leaked} tensors were not disposed`);
  return { id, title, description: describeBackend(), loaded: true, cells };
}

function engineColumn(id: string, title: string, sgemm: Sgemm, description: string): Column {
  setDefaultSgemm(sgemm); // the engine takes the default sgemm when it is built
  return { id, title, description, loaded: true, cells: measureColumn(id, 'mlp', sgemmMatMul(sgemm)) };
}

const formatLoad = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAverage = formatLoad();

/** The PyTorch peer, run first while nothing of ours is loaded. */
async function torchColumn(): Promise<Column> {
  if (values['skip-torch']) return missingColumn('torch', 'PyTorch', 'skipped (--skip-torch)');
  progress(`PyTorch peer (${values.python} bench/peers/torch_updates.py), one thread`);
  const peer = await runTorchPeer(values.python, seconds, repeats);
  if (!peer.ok) return missingColumn('torch', 'PyTorch', peer.reason);
  const r = peer.report;
  const cells = new Map<string, Cell>();
  for (const row of ROWS) {
    const rate = r.results[row.key];
    cells.set(row.key, rate === undefined ? { missing: 'not measured by the peer' } : { rate });
  }
  const description = `PyTorch ${r.torch} (${r.package === '' ? '' : `${r.package}; `}python ${r.python}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, ${r.blas || 'BLAS unknown'})`;
  return { id: 'torch', title: 'PyTorch', description, loaded: true, cells };
}

const torch = await torchColumn();
const wasm = await tfjsColumn('tfjs-wasm', 'TF.js wasm', 'wasm');
const wasmOpenblas = await tfjsColumn('tfjs-wasm+openblas', 'TF.js wasm+blas', 'wasm+openblas');
const engine = engineColumn('mlp', 'engine mlp', blockedSgemm, 'small-net engine, plain-TS blocked sgemm');
const openblas = await loadOpenblas();
if (openblas.ok) openblas.addon.setThreads(1);
const engineOpenblas = openblas.ok
  ? engineColumn('mlp+openblas', 'engine mlp+blas', openblasSgemm(openblas.addon), `small-net engine, OpenBLAS addon sgemm (${openblas.addon.config()}, 1 thread)`)
  : missingColumn('mlp+openblas', 'engine mlp+blas', openblas.reason);
setDefaultSgemm(blockedSgemm);
const columns: Column[] = [wasm, wasmOpenblas, engine, engineOpenblas, torch];

/** The cell's figure in its row's unit (median over the runs), or undefined. */
function figure(cell: Cell | undefined, row: RowSpec): number | undefined {
  if (cell === undefined || !('rate' in cell)) return undefined;
  const callsPerSecond = median(cell.rate.wall);
  return row.unit === 'µs' ? 1e6 / callsPerSecond : row.unit === 'GFLOP/s' ? (callsPerSecond * row.flops) / 1e9 : callsPerSecond;
}

/** Our fastest column against PyTorch, as a ratio of rates (> 1: ours is faster, for every unit). */
function bestOverTorch(row: RowSpec): { ratio: number; column: Column } | undefined {
  const torch = columns.find((c) => c.id === 'torch')?.cells.get(row.key);
  if (torch === undefined || !('rate' in torch)) return undefined;
  let best: { rate: number; column: Column } | undefined;
  for (const column of columns) {
    const cell = column.cells.get(row.key);
    if (!OURS.has(column.id) || cell === undefined || !('rate' in cell)) continue;
    const rate = median(cell.rate.wall);
    if (best === undefined || rate > best.rate) best = { rate, column };
  }
  return best === undefined ? undefined : { ratio: best.rate / median(torch.rate.wall), column: best.column };
}

const header = [
  `Training speed, issue 9 part 5: wall clock, median of ${repeats} run(s) of ${seconds} s per cell, one path at a time, one thread each.`,
  `The machine is shared (${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}; load average ${loadAverage} at start, ${formatLoad()} at end):`
    + ' treat figures as ±30%.',
];

if (values.json) {
  const rows = ROWS.map((row) => ({
    ...row,
    cells: Object.fromEntries(columns.map((c) => {
      const cell = c.cells.get(row.key);
      if (cell === undefined) return [c.id, { missing: c.description }];
      return [c.id, 'rate' in cell ? { median: figure(cell, row), callsPerSecond: cell.rate.wall, callsPerCpuSecond: cell.rate.cpu } : cell];
    })),
    bestOverTorch: ((b) => (b === undefined ? null : { ratio: b.ratio, column: b.column.id }))(bestOverTorch(row)),
  }));
  console.log(JSON.stringify({ header, node: process.version, seconds, repeats, columns: columns.map(({ cells, ...c }) => c), rows }));
} else {
  const digits = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  /** Why cells show —, each reason once with the columns and rows it explains (no rows: the whole column). */
  const notes = new Map<string, { columns: Set<string>; rows: Set<string> }>();
  const labelWidth = Math.max(...ROWS.map((r) => r.label.length + r.unit.length + 3));
  const widths = columns.map((c) => Math.max(11, c.title.length));
  const lines = [...header, ''];
  lines.push(`${''.padEnd(labelWidth)}  ${columns.map((c, i) => c.title.padStart(widths[i])).join('  ')}  ${'ours/PyTorch'.padEnd(12)}`);
  for (const row of ROWS) {
    const cells = columns.map((c, i) => {
      const cell = c.cells.get(row.key);
      const value = figure(cell, row);
      if (value === undefined) {
        const why = cell !== undefined && 'missing' in cell ? cell.missing : c.description;
        const note = notes.get(why) ?? { columns: new Set<string>(), rows: new Set<string>() };
        note.columns.add(c.title);
        if (cell !== undefined) note.rows.add(row.label);
        notes.set(why, note);
        return '—'.padStart(widths[i]);
      }
      return digits(value).padStart(widths[i]);
    });
    const best = bestOverTorch(row);
    const ratio = best === undefined ? '—' : `${best.ratio.toFixed(2)}x ${best.column.title}`;
    lines.push(`${`${row.label} (${row.unit})`.padEnd(labelWidth)}  ${cells.join('  ')}  ${ratio}`);
  }
  lines.push('', 'ours/PyTorch: our fastest column over PyTorch, as a ratio of rates (> 1: ours is faster; for the greedy action, PyTorch µs / our µs).');
  for (const c of columns) if (c.loaded) lines.push(`${c.title}: ${c.description}`);
  for (const [why, { columns: cs, rows: rs }] of notes) lines.push(`— ${[...cs].join(', ')}${rs.size > 0 ? ` (${[...rs].join('; ')})` : ''}: ${why}`);
  console.log(lines.join('\n'));
}
if (lastAction < 0) console.log('unreachable');
