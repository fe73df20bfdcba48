/**
 * The optional OpenBLAS accelerator: the addon itself, the wasm kernels routed through it (against the cpu
 * backend), and the small-net engine's sgemm on it. Skipped, with the reason printed, where the addon is not built.
 */
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, describeBackend, tf, useBackend, type BackendName } from '../core/backend/index.ts';
import { col2im, im2col } from '../core/backend/kernels/im2col.ts';
import { loadOpenblas, openblasSgemm, type ConvGeometry, type OpenblasAddon } from '../core/backend/openblas.ts';
import { InvalidInputError } from '../core/errors.ts';
import { blockedSgemm, getDefaultSgemm, referenceSgemm } from '../core/nn/mlp/sgemm.ts';
import { Rng } from '../core/rng.ts';
import { runOn, type KernelResult } from './helpers/backend-run.ts';

const load = await loadOpenblas();
const available = load.ok;
if (!load.ok) console.warn(`test/openblas.test.ts: OpenBLAS tests skipped: ${load.reason}`);
const addon = (): OpenblasAddon => {
  if (!load.ok) throw new Error(load.reason);
  return load.addon;
};

const rng = new Rng(4321);
const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const int = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];



/** wasm+openblas against cpu (`reference` there, if given): same shapes, |got - cpu| <= 1e-4 * max(1, |cpu|) elementwise. */
async function compare(what: string, f: () => tf.Tensor | tf.Tensor[], reference = f): Promise<void> {
  const got = await runOn('wasm+openblas', f);
  const want = await runOn('cpu', reference);
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(got[i].shape, what).toEqual(want[i].shape);
    let worst = 0;
    for (let j = 0; j < want[i].values.length; j++) {
      const c = want[i].values[j];
      worst = Math.max(worst, Math.abs(got[i].values[j] - c) / Math.max(1, Math.abs(c)));
    }
    expect(worst, `${what} output ${i}: worst relative error`).toBeLessThanOrEqual(1e-4);
  }
}

describe.skipIf(available)('without the OpenBLAS addon', () => {
  it('wasm+openblas is refused with the install line, and auto falls back saying why', async () => {
    await expect(useBackend('wasm+openblas')).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend('wasm+openblas')).rejects.toThrow(/not built.*apt-get install libopenblas-dev g\+\+ make/);
    const picked = await useBackend('auto');
    if (picked === 'wasm') expect(describeBackend()).toMatch(/not wasm\+openblas: the OpenBLAS addon is not built/);
  });
});

describe.skipIf(!available)('the OpenBLAS addon', () => {
  it('computes strided, offset and batched products on Float32Arrays and ArrayBuffers', () => {
    const blas = addon();
    const [m, n, k] = [5, 3, 4];
    // A is 5x4 inside a 5x6 block at offset 2; B is 3x4 (transposed use); C is 5x3 inside a 5x7 block at offset 1.
    const a = rand(2 + 5 * 6);
    const b = rand(3 * 4);
    const c = rand(1 + 5 * 7);
    const before = c.slice();
    blas.sgemm(false, true, m, n, k, 0.5, a, 2, 6, b, 0, 4, 2, c, 1, 7);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[2 + i * 6 + p] * b[j * 4 + p];
        expect(c[1 + i * 7 + j]).toBeCloseTo(0.5 * s + 2 * before[1 + i * 7 + j], 5);
      }
      for (let j = n; j < 7 && 1 + i * 7 + j < c.length; j++) expect(c[1 + i * 7 + j]).toBe(before[1 + i * 7 + j]); // padding untouched
    }
    // Batched, B broadcast (stride 0), through an ArrayBuffer at an element offset.
    const heap = new Float32Array(64 + 3 * 2 * 3 + 3 * 2 * 2);
    heap.set(rand(18), 64);
    const bb = rand(3 * 2);
    blas.sgemmBatched(false, false, 2, 2, 3, 1, heap.buffer, 64, 3, 6, bb, 0, 2, 0, 0, heap.buffer, 82, 2, 4, 3);
    for (let t = 0; t < 3; t++) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          let s = 0;
          for (let p = 0; p < 3; p++) s += heap[64 + t * 6 + i * 3 + p] * bb[p * 2 + j];
          expect(heap[82 + t * 4 + i * 2 + j]).toBeCloseTo(s, 5);
        }
      }
    }
  });

  it('refuses out-of-range extents and wrong types with messages that name the argument', () => {
    const blas = addon();
    const x = new Float32Array(6);
    expect(() => blas.sgemm(false, false, 2, 3, 3, 1, x, 0, 3, x, 0, 3, 0, x, 0, 3)).toThrow(/A needs 6 floats|B needs 9 floats/);
    expect(() => blas.sgemm(false, false, 2, 3, 3, 1, x, 0, 3, new Float32Array(9), 0, 3, 0, x, 1, 3)).toThrow(/C needs 7 floats from its start but has 6/);
    expect(() => blas.sgemm(false, false, 2, 2, 3, 1, x, 0, 2, x, 0, 2, 0, x, 0, 2)).toThrow(/A: leading dimension 2 is below its 3 columns/);
    expect(() => blas.sgemm(false, false, -1, 2, 3, 1, x, 0, 3, x, 0, 2, 0, x, 0, 2)).toThrow(/m must be an integer/);
    const asF64 = new Float64Array(6) as unknown as Float32Array;
    expect(() => blas.sgemm(false, false, 1, 1, 1, 1, asF64, 0, 1, x, 0, 1, 0, x, 0, 1)).toThrow(/A must be a Float32Array or an ArrayBuffer/);
  });

  it("im2col and col2im equal the kernels' TypeScript ones (strides, dilation, same/valid/explicit pads)", async () => {
    await useBackend('wasm'); // so that im2col.ts runs its own loops, not the addon
    const blas = addon();
    const pads: Pad[] = ['same', 'valid', 2, [[0, 0], [1, 2], [2, 0], [0, 0]]];
    for (let trial = 0; trial < 24; trial++) {
      const [kh, kw] = [int(1, 5), int(1, 5)];
      const dilation = trial % 3 === 0 ? 2 : 1;
      const xShape: Shape4 = [int(1, 3), int(kh * dilation + 1, 13), int(kw * dilation + 1, 13), int(1, 6)];
      const stride = dilation > 1 ? 1 : int(1, 4);
      const c = tf.backend_util.computeConv2DInfo(xShape, [kh, kw, xShape[3], 2], stride, dilation, pads[trial % pads.length]);
      const geometry: ConvGeometry = [
        c.batchSize, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth, c.filterHeight, c.filterWidth,
        c.strideHeight, c.strideWidth, c.dilationHeight, c.dilationWidth, c.padInfo.top, c.padInfo.left,
      ];
      const x = rand(size(xShape));
      const rows = c.batchSize * c.outHeight * c.outWidth * kh * kw * xShape[3];
      const want = rand(rows);
      const got = rand(rows);
      im2col(x, want, c);
      blas.im2col(x, 0, got, 0, ...geometry);
      expect(got, `im2col ${xShape} ${JSON.stringify(geometry)}`).toEqual(want);
      if (dilation !== 1) continue;
      const dxWant = new Float32Array(x.length);
      const dxGot = new Float32Array(x.length);
      col2im(want, dxWant, c);
      blas.col2im(want, 0, dxGot, 0, ...geometry);
      let worst = 0;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(dxGot[i] - dxWant[i]));
      expect(worst, `col2im ${xShape} ${JSON.stringify(geometry)}`).toBeLessThan(1e-5);
    }
    const geometry: ConvGeometry = [1, 4, 4, 1, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0];
    expect(() => blas.im2col(new Float32Array(15), 0, new Float32Array(16), 0, ...geometry)).toThrow(/x needs 16 floats from its start but has 15/);
    expect(() => blas.im2col(new Float32Array(16), 0, new Float32Array(15), 0, ...geometry)).toThrow(/cols needs 16 floats/);
  });

  it("as the small-net engine's sgemm equals the TypeScript one (transposes, accumulate, odd sizes)", () => {
    const native = openblasSgemm(addon());
    for (let trial = 0; trial < 40; trial++) {
      const [m, n, k] = [int(1, 70), int(1, 70), int(1, 70)];
      const transA = trial % 2 === 1;
      const transB = trial % 4 >= 2;
      const accumulate = trial % 8 >= 4;
      const a = rand(m * k);
      const b = rand(k * n);
      const c0 = rand(m * n);
      const want = c0.slice();
      const got = c0.slice();
      const js = c0.slice();
      referenceSgemm(transA, transB, m, n, k, a, b, want, accumulate);
      blockedSgemm(transA, transB, m, n, k, a, b, js, accumulate);
      native(transA, transB, m, n, k, a, b, got, accumulate);
      let worst = 0;
      for (let i = 0; i < m * n; i++) {
        const scale = Math.max(1, Math.abs(want[i]));
        worst = Math.max(worst, Math.abs(got[i] - want[i]) / scale, Math.abs(got[i] - js[i]) / scale);
      }
      expect(worst, `${m}x${n}x${k} transA=${transA} transB=${transB} accumulate=${accumulate}: worst relative error`).toBeLessThan(1e-4);
    }
  });
});

describe.skipIf(!available)('useBackend wasm+openblas', () => {
  it('sets up, is what auto picks, follows threads, and installs the engine sgemm (wasm puts the plain one back)', async () => {
    expect(await useBackend('wasm+openblas')).toBe('wasm+openblas');
    expect(tf.getBackend()).toBe('wasm');
    expect(describeBackend()).toMatch(/^wasm\+openblas \(OpenBLAS [\d.]+, 1 thread, /);
    expect(addon().getThreads()).toBe(1);
    expect(getDefaultSgemm()).not.toBe(blockedSgemm);
    await useBackend('wasm+openblas', { threads: 2 });
    expect(addon().getThreads()).toBe(2);
    expect(describeBackend()).toContain('2 threads');
    await expect(useBackend('wasm+openblas', { threads: 0 })).rejects.toThrow(InvalidInputError);
    expect(await useBackend('wasm')).toBe('wasm');
    expect(getDefaultSgemm()).toBe(blockedSgemm);
    expect(describeBackend()).toBe('wasm (SIMD, 1 thread, arcade-rl matMul/conv kernels)');
    const saved = process.env.ARCADE_BACKEND;
    delete process.env.ARCADE_BACKEND;
    try {
      const picked = await useBackend('auto');
      // tfjs-node, where installed, comes first; otherwise auto must take the accelerator.
      if (picked !== 'node' && picked !== 'node-gpu') expect(picked).toBe('wasm+openblas');
    } finally {
      if (saved !== undefined) process.env.ARCADE_BACKEND = saved;
    }
    await useBackend('wasm+openblas');
    expect(addon().getThreads()).toBe(1);
  });
});

describe.skipIf(!available)('wasm+openblas kernels against cpu', () => {
  it('BatchMatMul: transposes, batch dims, broadcasting (also over some axes only), odd sizes', async () => {
    const cases: Array<{ batchA: number[]; batchB: number[] }> = [
      { batchA: [], batchB: [] },
      { batchA: [3], batchB: [3] },
      { batchA: [1], batchB: [4] },
      { batchA: [4], batchB: [] },
      { batchA: [2, 1], batchB: [1, 3] },
      { batchA: [2, 3], batchB: [3] },
    ];
    for (const { batchA, batchB } of cases) {
      for (let trial = 0; trial < 3; trial++) {
        const [m, k, n] = [int(1, 37), int(1, 41), int(1, 29)];
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const aShape = [...batchA, ...(transposeA ? [k, m] : [m, k])];
            const bShape = [...batchB, ...(transposeB ? [n, k] : [k, n])];
            const a = rand(size(aShape));
            const b = rand(size(bShape));
            // TF.js 4.22's cpu (and wasm) BatchMatMul broadcast a batch by wrapping indices around, which is wrong
            // when each side has 1 on a different axis ([2,1] against [1,3]); the reference broadcasts explicitly.
            const batch = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
            await compare(
              `matMul ${aShape}${transposeA ? 'ᵀ' : ''} · ${bShape}${transposeB ? 'ᵀ' : ''}`,
              () => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB),
              () => tf.matMul(tf.broadcastTo(tf.tensor(a, aShape), [...batch, ...aShape.slice(-2)]), tf.broadcastTo(tf.tensor(b, bShape), [...batch, ...bShape.slice(-2)]), transposeA, transposeB),
            );
          }
        }
      }
    }
    const a = rand(256 * 300);
    const b = rand(300 * 200);
    await compare('matMul 256x300ᵀ · 200x300ᵀ', () => tf.matMul(tf.tensor2d(a, [300, 256]), tf.tensor2d(b, [200, 300]), true, true));
  });

  it('_FusedMatMul: every activation, bias shape, transpose and batch', async () => {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const) {
      for (const biasKind of ['none', 'n', '1xn', 'mxn'] as const) {
        for (const batch of [1, 3]) {
          const [m, k, n] = [int(1, 19), int(1, 23), int(1, 17)];
          for (const transposeA of [false, true]) {
            for (const transposeB of [false, true]) {
              const aShape = [batch, ...(transposeA ? [k, m] : [m, k])];
              const bShape = [batch, ...(transposeB ? [n, k] : [k, n])];
              const biasShape = { none: [], n: [n], '1xn': [1, n], mxn: [m, n] }[biasKind];
              const a = rand(size(aShape));
              const b = rand(size(bShape));
              const bias = rand(size(biasShape));
              const alpha = rand(n);
              await compare(`fused ${activation} bias=${biasKind} ${aShape}/${transposeA} ${bShape}/${transposeB}`, () =>
                tf.fused.matMul({
                  a: tf.tensor3d(a, aShape as [number, number, number]),
                  b: tf.tensor3d(b, bShape as [number, number, number]),
                  transposeA,
                  transposeB,
                  bias: biasKind === 'none' ? undefined : tf.tensor(bias, biasShape),
                  activation,
                  preluActivationWeights: activation === 'prelu' ? tf.tensor1d(alpha) : undefined,
                  leakyreluAlpha: 0.3,
                }),
              );
            }
          }
        }
      }
    }
  });

  it('Conv2D and FusedConv2D: strides, same/valid/numeric/explicit pads, dilation, bias and activations', async () => {
    const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [2, 1], [1, 0], [0, 0]]];
    for (let trial = 0; trial < 24; trial++) {
      const pad = pads[trial % pads.length];
      const [kh, kw] = [int(1, 4), int(1, 4)];
      const dilation = typeof pad === 'string' && trial % 8 < 2 ? 2 : 1;
      const stride: [number, number] = dilation > 1 ? [1, 1] : [int(1, 4), int(1, 3)];
      const xShape = [int(1, 3), int(kh * dilation + 1, 12), int(kw * dilation + 1, 12), int(1, 5)];
      const outC = int(1, 7);
      const fShape = [kh, kw, xShape[3], outC];
      const x = rand(size(xShape));
      const f = rand(size(fShape));
      const bias = rand(outC);
      const what = `x=${xShape} f=${fShape} stride=${stride} pad=${JSON.stringify(pad)} dilation=${dilation}`;
      await compare(`conv2d ${what}`, () => tf.conv2d(tf.tensor4d(x, xShape as Shape4), tf.tensor4d(f, fShape as Shape4), stride, pad, 'NHWC', dilation));
      for (const activation of ['relu', 'linear', 'elu'] as const) {
        await compare(`fused conv2d ${activation} ${what}`, () =>
          tf.fused.conv2d({ x: tf.tensor4d(x, xShape as Shape4), filter: tf.tensor4d(f, fShape as Shape4), strides: stride, pad, dilations: dilation, bias: tf.tensor1d(bias), activation }),
        );
      }
    }
  });

  it('Conv2DBackpropFilter and Conv2DBackpropInput (the gradients of conv2d)', async () => {
    const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [1, 2], [0, 1], [0, 0]]];
    for (let trial = 0; trial < 16; trial++) {
      const pad = pads[trial % pads.length];
      const [batch, inC, outC, kh, kw] = [int(1, 3), int(1, 5), int(1, 6), int(1, 4), int(1, 4)];
      const xShape = [batch, int(kh + 1, 11), int(kw + 1, 11), inC];
      const fShape = [kh, kw, inC, outC];
      const stride: [number, number] = [int(1, 3), int(1, 3)];
      const x = rand(size(xShape));
      const f = rand(size(fShape));
      const outShape = tf.backend_util.computeConv2DInfo(xShape as Shape4, fShape as Shape4, stride, 1, pad).outShape;
      const dy = rand(size(outShape));
      await compare(`conv grads x=${xShape} f=${fShape} stride=${stride} pad=${JSON.stringify(pad)}`, () =>
        tf.grads((xs: tf.Tensor, fs: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, stride, pad), tf.tensor(dy, outShape))))([
          tf.tensor(x, xShape),
          tf.tensor(f, fShape),
        ]),
      );
    }
  });

  it('300 tidy Adam steps of a conv net leak no tensors or wasm buffers', async () => {
    await useBackend('wasm+openblas');
    const x = tf.tensor4d(rand(4 * 6 * 6 * 2), [4, 6, 6, 2]);
    const y = tf.tensor2d(rand(4 * 3), [4, 3]);
    const f = tf.variable(tf.randomUniform([3, 3, 2, 4], -0.3, 0.3, 'float32', 1));
    const w = tf.variable(tf.randomUniform([36, 3], -0.1, 0.1, 'float32', 2));
    const b = tf.variable(tf.zeros([3]));
    const opt = tf.train.adam(1e-2);
    const losses: number[] = [];
    const step = (): void => {
      const cost = tf.tidy((): tf.Scalar => {
        const c = opt.minimize(() => {
          const h = tf.fused.conv2d({ x, filter: f as tf.Tensor4D, strides: 2, pad: 'same', activation: 'relu' });
          const q = tf.fused.matMul({ a: tf.reshape(h, [4, 36]) as tf.Tensor2D, b: w as tf.Tensor2D, bias: b });
          return tf.losses.meanSquaredError(y, q) as tf.Scalar;
        }, true);
        if (c === null) throw new Error('minimize returned no cost');
        return c;
      });
      losses.push(cost.dataSync()[0]);
      cost.dispose();
    };
    for (let i = 0; i < 5; i++) step();
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 300; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]);
    opt.dispose();
    tf.dispose([x, y, f, w, b]);
  });
});
