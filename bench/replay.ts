/**
 * Replay buffer speed and memory: add/s and sample/s (batches of 32 and 64) for a ReplayBuffer with 4-float
 * observations, with 84x84 uint8 frames stacked 4 deep (each frame stored once, stacks rebuilt at sample time;
 * plus, for reference, the same stacks stored whole), and for the PrioritizedReplayBuffer (add, sample,
 * updatePriorities). Buffers are filled to capacity before sampling; pixel adds are timed in the steady state
 * (buffer full) and exclude building the stacked observations. One core.
 *
 *   npx tsx bench/replay.ts [--seconds 1] [--capacity 100000] [--pixel-capacity 20000] [--json]
 */
import { parseArgs } from 'node:util';
import { Rng } from '../core/index.ts';
import { PrioritizedReplayBuffer, ReplayBuffer, type ReplayBatch } from '../replay/index.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '1' },
    capacity: { type: 'string', default: '100000' },
    'pixel-capacity': { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const capacity = Number(values.capacity);
const pixelCapacity = Number(values['pixel-capacity']);
for (const [name, v] of [['seconds', seconds], ['capacity', capacity], ['pixel-capacity', pixelCapacity]] as const) {
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
}

interface Row {
  buffer: string;
  op: string;
  /** Calls per second. */
  perSecond: number;
  /** Transitions (or priorities) per second. */
  itemsPerSecond: number;
  bytesPerTransition?: number;
}
const rows: Row[] = [];

/** Calls per second of `fn`, run in chunks of `chunk` for about `budgetMs` after a short warm-up. */
function rate(fn: () => void, chunk: number): number {
  const run = (budgetMs: number): number => {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < budgetMs) {
      for (let i = 0; i < chunk; i++) fn();
      calls += chunk;
      now = performance.now();
    }
    return (calls * 1000) / (now - start);
  };
  run(Math.min(200, seconds * 200));
  return run(seconds * 1000);
}

// ---- 4-float observations -----------------------------------------------------------------------------------

function vectorAdder(buf: ReplayBuffer): () => void {
  const rng = new Rng(1);
  const pool = Array.from({ length: 1024 }, () => Float32Array.from({ length: 4 }, () => rng.normal()));
  let t = 0;
  return () => {
    const o = pool[t & 1023];
    const o2 = pool[(t + 1) & 1023];
    buf.add(o, t & 3, 1, o2, (t & 255) === 255, false);
    t++;
  };
}

function benchSample(name: string, sample: (b: number) => ReplayBatch, bytes?: number): void {
  for (const b of [32, 64]) {
    const r = rate(() => sample(b), 16);
    rows.push({ buffer: name, op: `sample(${b})`, perSecond: r, itemsPerSecond: r * b, bytesPerTransition: bytes });
  }
}

{
  const buf = new ReplayBuffer({ capacity, observationShape: [4], seed: 0 });
  const add = vectorAdder(buf);
  const r = rate(add, 4096);
  const bytes = buf.byteLength / capacity;
  rows.push({ buffer: 'uniform, 4 x float32', op: 'add', perSecond: r, itemsPerSecond: r, bytesPerTransition: bytes });
  benchSample('uniform, 4 x float32', (b) => buf.sample(b), bytes);
}

// ---- 84x84 frames stacked 4 deep ----------------------------------------------------------------------------

const FRAME = 84 * 84;
const K = 4;

/** A stream of stacked uint8 observations as core's FrameStack wrapper (axis first, reset padding) gives them. */
function pixelStream(episodeLength: number): { next: () => { obs: Uint8Array; next: Uint8Array; ended: boolean } } {
  const rng = new Rng(2);
  const frames = Array.from({ length: 64 }, () => Uint8Array.from({ length: FRAME }, () => rng.int(256)));
  let a = new Uint8Array(K * FRAME);
  let b = new Uint8Array(K * FRAME);
  let t = 0;
  let f = 0;
  const resetStack = (s: Uint8Array) => {
    const first = frames[f++ & 63];
    for (let j = 0; j < K; j++) s.set(first, j * FRAME);
  };
  resetStack(a);
  return {
    next: () => {
      b.set(a.subarray(FRAME), 0);
      b.set(frames[f++ & 63], (K - 1) * FRAME);
      t++;
      const ended = t % episodeLength === 0;
      const out = { obs: a, next: b, ended };
      // the caller uses out before the next call; then the next observation becomes the current one
      const tmp = a;
      a = b;
      b = tmp;
      if (ended) {
        // a fresh array so that `out.next` (the final observation) is not overwritten by the reset stack
        a = new Uint8Array(K * FRAME);
        resetStack(a);
      }
      return out;
    },
  };
}

function benchPixels(name: string, buf: ReplayBuffer<'uint8'>, cap: number): void {
  const stream = pixelStream(1000);
  // add timed per call, so building the stacked observations is not counted
  let spent = 0;
  let calls = 0;
  const addOne = () => {
    const s = stream.next();
    const t0 = performance.now();
    buf.add(s.obs, calls & 3, 1, s.next, s.ended, false);
    spent += performance.now() - t0;
    calls++;
  };
  // fill to capacity first (untimed: the first touch of each page of a fresh buffer is the OS's cost, not the
  // buffer's), then time the steady state, where every add overwrites the oldest transition
  while (buf.size < cap) addOne();
  for (let i = 0; i < 1000; i++) addOne();
  spent = 0;
  calls = 0;
  const wall = performance.now();
  while (performance.now() - wall < seconds * 1000) addOne();
  const r = (calls * 1000) / spent;
  const bytes = buf.byteLength / cap;
  rows.push({ buffer: name, op: 'add', perSecond: r, itemsPerSecond: r, bytesPerTransition: bytes });
  benchSample(name, (b) => buf.sample(b), bytes);
}

{
  const buf = new ReplayBuffer({ capacity: pixelCapacity, dtype: 'uint8', frameStack: { frames: K, frameShape: [84, 84] }, seed: 0 });
  benchPixels('uniform, 84x84x4 uint8, frame ring', buf, pixelCapacity);
}
{
  const cap = Math.min(pixelCapacity, 10000);
  const buf = new ReplayBuffer({ capacity: cap, dtype: 'uint8', observationShape: [K, 84, 84], seed: 0 });
  benchPixels(`uniform, 84x84x4 uint8, whole stacks (cap ${cap})`, buf, cap);
}

// ---- prioritized, 4-float observations ----------------------------------------------------------------------

{
  const buf = new PrioritizedReplayBuffer({ capacity, observationShape: [4], seed: 0, alpha: 0.6 });
  const add = vectorAdder(buf);
  const r = rate(add, 4096);
  const bytes = buf.byteLength / capacity;
  rows.push({ buffer: 'prioritized, 4 x float32', op: 'add', perSecond: r, itemsPerSecond: r, bytesPerTransition: bytes });
  const rng = new Rng(3);
  const errors = Float32Array.from({ length: 4096 }, () => Math.abs(rng.normal()));
  let e = 0;
  for (const b of [32, 64]) {
    const s = rate(() => buf.sample(b, 0.4), 16);
    rows.push({ buffer: 'prioritized, 4 x float32', op: `sample(${b})`, perSecond: s, itemsPerSecond: s * b, bytesPerTransition: bytes });
    const indices = Int32Array.from(buf.sample(b, 0.4).indices);
    const u = rate(() => {
      buf.updatePriorities(indices, errors.subarray(e, e + b));
      e = (e + b) & 2047;
    }, 64);
    rows.push({ buffer: 'prioritized, 4 x float32', op: `updatePriorities(${b})`, perSecond: u, itemsPerSecond: u * b, bytesPerTransition: bytes });
  }
}

if (values.json) {
  console.log(JSON.stringify(rows));
} else {
  const fmt = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
  const bytes = (x?: number): string => (x === undefined ? '' : x >= 1024 ? `${(x / 1024).toFixed(1)} KiB` : `${x.toFixed(0)} B`);
  console.log(`node ${process.version}, ${seconds}s per measurement, capacity ${capacity} (pixels ${pixelCapacity}), one core\n`);
  console.log(`${'buffer'.padEnd(48)} ${'op'.padEnd(22)} ${'calls/s'.padStart(9)} ${'items/s'.padStart(9)} ${'mem/transition'.padStart(15)}`);
  for (const r of rows) {
    console.log(`${r.buffer.padEnd(48)} ${r.op.padEnd(22)} ${fmt(r.perSecond).padStart(9)} ${fmt(r.itemsPerSecond).padStart(9)} ${bytes(r.bytesPerTransition).padStart(15)}`);
  }
}
