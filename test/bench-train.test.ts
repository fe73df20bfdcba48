import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../core/index.ts';
import { measureRate, median } from '../bench/lib/rate.ts';
import { REFERENCE_UPDATES, isPlainMlp, makeQEngine, randomTdBatch } from '../bench/lib/reference-updates.ts';
import { runTorchPeer } from '../bench/lib/torch-peer.ts';

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe('bench/lib/rate', () => {
  it('takes the median of odd and even counts and refuses none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('gives one rate per repeat, never above what the call allows', () => {
    const busy2ms = (): void => {
      const end = performance.now() + 2;
      while (performance.now() < end);
    };
    const rate = measureRate(busy2ms, { seconds: 0.05, repeats: 3, warmUpMs: 0 });
    expect(rate.wall).toHaveLength(3);
    expect(rate.cpu).toHaveLength(3);
    // An upper bound only: a 2 ms call can never run more than 500 times a second; how fast it ran is not tested.
    for (const r of rate.wall) expect(r).toBeLessThanOrEqual(500);
  });

  it('names bad options', () => {
    expect(() => measureRate(() => undefined, { seconds: 0, repeats: 1 })).toThrow(/seconds must be positive/);
    expect(() => measureRate(() => undefined, { seconds: 1, repeats: 1.5 })).toThrow(/repeats a positive integer/);
  });
});

describe('bench/lib/reference-updates', () => {
  beforeAll(async () => {
    await useBackend('wasm');
  });

  it('draws the same batch from the same seed, shaped for the net', () => {
    for (const ref of REFERENCE_UPDATES) {
      const a = randomTdBatch(ref, 2);
      const b = randomTdBatch(ref, 2);
      // Byte comparison: the CNN batch has 1.8M floats, too many for toEqual's walk.
      expect(Buffer.from(a.observations.buffer).equals(Buffer.from(b.observations.buffer))).toBe(true);
      expect(Buffer.from(a.actions.buffer).equals(Buffer.from(b.actions.buffer))).toBe(true);
      expect(a.observations.length).toBe(ref.batch * ref.inputShape.reduce((x, y) => x * y, 1));
      expect(Math.max(...a.actions)).toBeLessThan(ref.actions);
    }
    const other = randomTdBatch(REFERENCE_UPDATES[0], 3).observations;
    expect(Buffer.from(other.buffer).equals(Buffer.from(randomTdBatch(REFERENCE_UPDATES[0], 2).observations.buffer))).toBe(false);
  });

  it('times the same update on both engines: equal first-step losses from the same seed', () => {
    for (const ref of REFERENCE_UPDATES.filter(isPlainMlp)) {
      const batch = randomTdBatch(ref, 2);
      const tfjs = makeQEngine(ref, 'tfjs');
      const mlp = makeQEngine(ref, 'mlp');
      const a = tfjs.trainStep(batch).loss;
      const b = mlp.trainStep(batch).loss;
      tfjs.dispose();
      mlp.dispose();
      expect(a).toBeGreaterThan(0);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(a)));
    }
  });

  it('runs the Nature CNN update on TF.js', () => {
    const ref = REFERENCE_UPDATES.find((r) => r.key === 'update-nature-cnn')!;
    expect(isPlainMlp(ref)).toBe(false);
    const q = makeQEngine(ref, 'tfjs');
    const { loss } = q.trainStep(randomTdBatch(ref, 2));
    q.dispose();
    expect(Number.isFinite(loss)).toBe(true);
  });
});

describe('bench/lib/torch-peer', () => {
  it('says which python is missing', async () => {
    const peer = await runTorchPeer('/nonexistent/python3', 0.01, 1);
    expect(peer).toEqual({ ok: false, reason: '/nonexistent/python3 not found' });
  });

  it.skipIf(!hasTorch)('reads every figure of the PyTorch peer, on one thread', async () => {
    const peer = await runTorchPeer(PYTHON, 0.02, 2);
    if (!peer.ok) throw new Error(peer.reason);
    expect(peer.report.threads).toBe(1);
    const keys = [...REFERENCE_UPDATES.map((r) => r.key), 'greedy-mlp-small', 'matmul-64', 'matmul-256', 'matmul-1024'];
    expect(Object.keys(peer.report.results).sort()).toEqual(keys.sort());
    for (const rate of Object.values(peer.report.results)) {
      expect(rate.wall).toHaveLength(2);
      for (const r of rate.wall) expect(r).toBeGreaterThan(0);
    }
  });
});
