import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, describeBackend, tf, useBackend, type BackendName } from '../core/backend/index.ts';
import { loadOpenblas } from '../core/backend/openblas.ts';
import { InvalidInputError } from '../core/errors.ts';
import { Rng } from '../core/rng.ts';
import { runOn, type KernelResult } from './helpers/backend-run.ts';

const rng = new Rng(1234);
const rand = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const int = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
type Shape4 = [number, number, number, number];
const t3 = (values: Float32Array, shape: number[]): tf.Tensor3D => tf.tensor3d(values, shape as [number, number, number]);
const t4 = (values: Float32Array, shape: number[]): tf.Tensor4D => tf.tensor4d(values, shape as Shape4);

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const tfjsNodeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
const openblasBuilt = (await loadOpenblas()).ok;



/** |wasm - cpu| <= 1e-4 * max(1, |cpu|) elementwise, same shapes. */
function expectClose(wasm: KernelResult[], cpu: KernelResult[], what: string): void {
  expect(wasm.length).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    expect(wasm[i].shape, what).toEqual(cpu[i].shape);
    let worst = 0;
    for (let j = 0; j < cpu[i].values.length; j++) {
      const c = cpu[i].values[j];
      worst = Math.max(worst, Math.abs(wasm[i].values[j] - c) / Math.max(1, Math.abs(c)));
    }
    expect(worst, `${what} output ${i}: worst relative error`).toBeLessThanOrEqual(1e-4);
  }
}

async function compare(what: string, f: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  expectClose(await runOn('wasm', f), await runOn('cpu', f), what);
}

describe('useBackend', () => {
  it('sets up cpu and wasm, twice, and describes them', async () => {
    expect(await useBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await useBackend('wasm')).toBe('wasm');
    expect(await useBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(describeBackend()).toBe('wasm (SIMD, 1 thread, arcade-rl matMul/conv kernels)');
    await useBackend('wasm', { kernels: false });
    expect(describeBackend()).toContain("TF.js's own kernels");
    await useBackend('wasm');
  });

  it.skipIf(tfjsNodeInstalled)('auto falls through the missing node backends to wasm (+openblas where built)', async () => {
    expect(await useBackend('auto')).toBe(openblasBuilt ? 'wasm+openblas' : 'wasm');
  });

  it.skipIf(tfjsNodeInstalled)('names the install command when tfjs-node is missing', async () => {
    await expect(useBackend('node')).rejects.toThrow(BackendUnavailableError);
    await expect(useBackend('node')).rejects.toThrow('npm install @tensorflow/tfjs-node@4.22.0');
    await expect(useBackend('node-gpu')).rejects.toThrow('npm install @tensorflow/tfjs-node-gpu@4.22.0');
  });

  it('refuses backends not built yet and unknown names', async () => {
    await expect(useBackend('webgpu')).rejects.toThrow(/not built/);
    if (!openblasBuilt) await expect(useBackend('wasm+openblas')).rejects.toThrow(/not built/);
    // @ts-expect-error: a name from outside TypeScript
    await expect(useBackend('gpu')).rejects.toThrow(InvalidInputError);
    const saved = process.env.ARCADE_BACKEND;
    process.env.ARCADE_BACKEND = 'tpu';
    try {
      await expect(useBackend()).rejects.toThrow(/ARCADE_BACKEND 'tpu'/);
    } finally {
      if (saved === undefined) delete process.env.ARCADE_BACKEND;
      else process.env.ARCADE_BACKEND = saved;
    }
  });

  it('reads ARCADE_BACKEND as the default', async () => {
    const saved = process.env.ARCADE_BACKEND;
    process.env.ARCADE_BACKEND = 'cpu';
    try {
      expect(await useBackend()).toBe('cpu');
    } finally {
      if (saved === undefined) delete process.env.ARCADE_BACKEND;
      else process.env.ARCADE_BACKEND = saved;
    }
  });
});

describe('wasm BatchMatMul', () => {
  it('matches cpu with transposes, batch dims, broadcasting and odd sizes', async () => {
    const cases: Array<{ batchA: number[]; batchB: number[] }> = [
      { batchA: [], batchB: [] },
      { batchA: [3], batchB: [3] },
      { batchA: [1], batchB: [4] },
      { batchA: [2, 3], batchB: [2, 3] },
    ];
    for (const { batchA, batchB } of cases) {
      for (let trial = 0; trial < 4; trial++) {
        const m = int(1, 37);
        const k = int(1, 41);
        const n = int(1, 29);
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const aShape = [...batchA, ...(transposeA ? [k, m] : [m, k])];
            const bShape = [...batchB, ...(transposeB ? [n, k] : [k, n])];
            const a = rand(size(aShape));
            const b = rand(size(bShape));
            await compare(`matMul ${aShape}${transposeA ? 'ᵀ' : ''} · ${bShape}${transposeB ? 'ᵀ' : ''}`, () =>
              tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB),
            );
          }
        }
      }
    }
  });

  it('matches cpu on large transposed products, batched and broadcast', async () => {
    const a = rand(256 * 300);
    const b = rand(300 * 200);
    await compare('matMul 256x300ᵀ · 200x300ᵀ', () => tf.matMul(tf.tensor2d(a, [300, 256]), tf.tensor2d(b, [200, 300]), true, true));
    const c = rand(2 * 64 * 50);
    const d = rand(2 * 3 * 40 * 64);
    await compare('matMul [2,1,64,50]ᵀ · [2,3,40,64]ᵀ', () => tf.matMul(tf.tensor(c, [2, 1, 64, 50]), tf.tensor(d, [2, 3, 40, 64]), true, true));
  });
});

describe('wasm _FusedMatMul', () => {
  const activations = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;
  it('matches cpu for every activation, bias shape and transpose (TF.js 4.22 gets bias+transpose wrong)', async () => {
    for (const activation of activations) {
      for (const biasKind of ['none', 'n', '1xn', 'mxn'] as const) {
        for (const batch of [1, 3]) {
          const m = int(1, 19);
          const k = int(1, 23);
          const n = int(1, 17);
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
                  a: t3(a, aShape),
                  b: t3(b, bShape),
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

  it('matches cpu for gradients through a fused dense layer', async () => {
    const x = rand(7 * 5);
    const w = rand(5 * 4);
    const bias = rand(4);
    await compare('grad fused dense', () =>
      tf.grads((xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
        tf.sum(tf.square(tf.fused.matMul({ a: xs as tf.Tensor2D, b: ws as tf.Tensor2D, bias: bs, activation: 'relu' }))),
      )([tf.tensor2d(x, [7, 5]), tf.tensor2d(w, [5, 4]), tf.tensor1d(bias)]),
    );
  });
});

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

describe('wasm Conv2D and FusedConv2D', () => {
  it('match cpu, including the cases TF.js 4.22 wasm gets wrong (non-square filters, stride > filter, numeric pads)', async () => {
    const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [2, 1], [1, 0], [0, 0]]];
    for (let trial = 0; trial < 32; trial++) {
      const pad = pads[trial % pads.length];
      const kh = int(1, 3);
      const kw = int(1, 3);
      const dilation = typeof pad === 'string' && trial % 8 < 2 ? 2 : 1;
      const stride: [number, number] = dilation > 1 ? [1, 1] : [int(1, 3), int(1, 3)];
      const xShape = [int(1, 3), int(kh * dilation + 1, 10), int(kw * dilation + 1, 10), int(1, 4)];
      const outC = int(1, 5);
      const fShape = [kh, kw, xShape[3], outC];
      const x = rand(size(xShape));
      const f = rand(size(fShape));
      const bias = rand(outC);
      const alpha = rand(outC);
      const what = `x=${xShape} f=${fShape} stride=${stride} pad=${JSON.stringify(pad)} dilation=${dilation}`;
      await compare(`conv2d ${what}`, () => tf.conv2d(t4(x, xShape), t4(f, fShape), stride, pad, 'NHWC', dilation));
      for (const [activation, biasShape] of [['relu', [outC]], ['linear', [1, 1, 1, outC]], ['prelu', [outC]], ['elu', []]] as const) {
        await compare(`fused conv2d ${activation} bias=${biasShape} ${what}`, () =>
          tf.fused.conv2d({
            x: t4(x, xShape),
            filter: t4(f, fShape),
            strides: stride,
            pad,
            dilations: dilation,
            bias: biasShape.length === 0 ? undefined : tf.tensor(bias, [...biasShape]),
            activation,
            preluActivationWeights: activation === 'prelu' ? tf.tensor1d(alpha) : undefined,
          }),
        );
      }
    }
  });
});

describe('wasm conv2d gradients', () => {
  it('Conv2DBackpropFilter and Conv2DBackpropInput match cpu (strides, same/valid/explicit pads)', async () => {
    const pads: Pad[] = ['same', 'valid', 1, [[0, 0], [1, 2], [0, 1], [0, 0]]];
    for (let trial = 0; trial < 24; trial++) {
      const pad = pads[trial % pads.length];
      const batch = int(1, 3);
      const inC = int(1, 5);
      const outC = int(1, 6);
      const kh = int(1, 4);
      const kw = int(1, 4);
      const h = int(kh + 1, 11);
      const w = int(kw + 1, 11);
      const stride: [number, number] = [int(1, 3), int(1, 3)];
      const xShape = [batch, h, w, inC];
      const fShape = [kh, kw, inC, outC];
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

  it('passes a finite-difference gradient check on wasm', async () => {
    await useBackend('wasm');
    const xShape = [1, 5, 4, 2];
    const fShape = [3, 2, 2, 3];
    const x = Float64Array.from(rand(size(xShape)));
    const f = Float64Array.from(rand(size(fShape)));
    const loss = (xv: Float64Array, fv: Float64Array): tf.Scalar =>
      tf.tidy(() => {
        const y = tf.conv2d(t4(Float32Array.from(xv), xShape), t4(Float32Array.from(fv), fShape), [2, 1], 'same');
        return tf.sum(tf.tanh(y));
      });
    const [gx, gf] = tf.tidy(() =>
      tf.grads((xs: tf.Tensor, fs: tf.Tensor) => tf.sum(tf.tanh(tf.conv2d(xs as tf.Tensor4D, fs as tf.Tensor4D, [2, 1], 'same'))))([
        tf.tensor(Float32Array.from(x), xShape),
        tf.tensor(Float32Array.from(f), fShape),
      ]).map((g) => g.dataSync() as Float32Array),
    );
    const eps = 1e-2;
    const check = (values: Float64Array, analytic: Float32Array, which: 'x' | 'f'): void => {
      for (let i = 0; i < values.length; i++) {
        const saved = values[i];
        values[i] = saved + eps;
        const up = which === 'x' ? loss(values, f) : loss(x, values);
        values[i] = saved - eps;
        const down = which === 'x' ? loss(values, f) : loss(x, values);
        values[i] = saved;
        const numeric = (up.dataSync()[0] - down.dataSync()[0]) / (2 * eps);
        tf.dispose([up, down]);
        expect(Math.abs(numeric - analytic[i]), `d loss / d ${which}[${i}]`).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
      }
    };
    check(x, gx, 'x');
    check(f, gf, 'f');
  });
});

/** Conv net of the benchmark, shrunk: 10x10x4 input, conv 16 3x3 same relu, flatten, dense 32 relu, dense 6. */
function convNet(seed: number): { vars: tf.Variable[]; loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar } {
  const r = new Rng(seed);
  const init = (shape: number[], scale: number): tf.Variable =>
    tf.variable(tf.tensor(Float32Array.from({ length: size(shape) }, () => r.uniform(-scale, scale)), shape));
  const [f, fb, w1, b1, w2, b2] = [init([3, 3, 4, 16], 0.3), init([16], 0.1), init([1600, 32], 0.05), init([32], 0.1), init([32, 6], 0.2), init([6], 0.1)];
  return {
    vars: [f, fb, w1, b1, w2, b2],
    loss: (x, y) =>
      tf.tidy(() => {
        const h = tf.relu(tf.add(tf.conv2d(x, f as tf.Tensor4D, 1, 'same'), fb));
        const d = tf.fused.matMul({ a: tf.reshape(h, [x.shape[0], 1600]) as tf.Tensor2D, b: w1 as tf.Tensor2D, bias: b1, activation: 'relu' });
        const q = tf.fused.matMul({ a: d, b: w2 as tf.Tensor2D, bias: b2 });
        return tf.losses.meanSquaredError(y, q) as tf.Scalar;
      }),
  };
}

describe('training on wasm', () => {
  it('a small conv net trains with Adam on wasm as on cpu', async () => {
    const x = rand(8 * 10 * 10 * 4);
    const y = rand(8 * 6);
    const train = (): tf.Tensor[] => {
      const net = convNet(7);
      const opt = tf.train.adam(1e-3);
      const xs = tf.tensor4d(x, [8, 10, 10, 4]);
      const ys = tf.tensor2d(y, [8, 6]);
      const losses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const cost = opt.minimize(() => net.loss(xs, ys), true);
        losses.push(cost!.dataSync()[0]);
        cost!.dispose();
      }
      opt.dispose();
      expect(losses[4]).toBeLessThan(losses[0]);
      const out = [tf.tensor1d(losses), ...net.vars.map((v) => v.clone())];
      tf.dispose(net.vars);
      return out;
    };
    await compare('5 Adam steps of a conv net', train);
  });

  it('1,000 tidy gradient steps leak no tensors or wasm buffers', async () => {
    await useBackend('wasm');
    const r = new Rng(3);
    const x = tf.tensor4d(Float32Array.from({ length: 4 * 5 * 5 * 2 }, () => r.uniform(-1, 1)), [4, 5, 5, 2]);
    const y = tf.tensor2d(Float32Array.from({ length: 4 * 3 }, () => r.uniform(-1, 1)), [4, 3]);
    const f = tf.variable(tf.randomUniform([3, 3, 2, 4], -0.3, 0.3, 'float32', 1));
    const w = tf.variable(tf.randomUniform([100, 3], -0.1, 0.1, 'float32', 2));
    const b = tf.variable(tf.zeros([3]));
    const opt = tf.train.adam(1e-3);
    const step = (): void => {
      tf.tidy(() => {
        opt.minimize(() => {
          const h = tf.relu(tf.conv2d(x, f as tf.Tensor4D, [2, 2], 'same'));
          const q = tf.fused.matMul({ a: tf.reshape(h, [4, 36]) as tf.Tensor2D, b: tf.slice(w, [0, 0], [36, 3]) as tf.Tensor2D, bias: b });
          return tf.losses.meanSquaredError(y, q) as tf.Scalar;
        });
      });
    };
    const backend = tf.backend();
    for (let i = 0; i < 5; i++) step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 1000; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    opt.dispose();
    tf.dispose([x, y, f, w, b]);
  });
});
