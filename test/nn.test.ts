import { beforeAll, describe, expect, it } from 'vitest';
import { Network, Optimizer, Rng, clipByGlobalNorm, huberLoss, makeSchedule, mseLoss, tf, useBackend, type OptimizerName } from '../core/index.ts';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Fits y = 2x - 1 with a one-weight linear model; returns the final loss. */
function fitLine(name: OptimizerName, learningRate: number, steps: number): number {
  const w = tf.variable(tf.scalar(0));
  const b = tf.variable(tf.scalar(0));
  const opt = new Optimizer({ name, learningRate });
  const x = tf.tensor1d([-1, -0.5, 0, 0.5, 1]);
  const y = tf.tensor1d([-3, -2, -1, 0, 1]);
  let loss = Infinity;
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => x.mul(w).add(b).sub(y).square().mean() as tf.Scalar, [w, b]);
      opt.apply([w, b], [grads[w.name], grads[b.name]]);
      loss = value.dataSync()[0];
    });
  }
  opt.dispose();
  tf.dispose([w, b, x, y]);
  return loss;
}

describe('optimizers', () => {
  it.each([
    ['sgd', 0.3],
    ['momentum', 0.1],
    ['rmsprop', 0.05],
    ['adam', 0.1],
    ['adamw', 0.1],
  ] as const)('%s fits a line', (name, lr) => {
    expect(fitLine(name, lr, 300)).toBeLessThan(name === 'adamw' ? 0.05 : 1e-3);
  });

  it('Adam matches the hand-computed first two steps', () => {
    // w0 = 1, loss = w^2 so g = 2w. Step 1: m = 0.1*2 = 0.2, v = 0.001*4 = 0.004,
    // mhat = 0.2/0.1 = 2, vhat = 0.004/0.001 = 4, w1 = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9 (Adam's first step is lr*sign(g)).
    // Step 2: g = 1.8; m = 0.9*0.2 + 0.1*1.8 = 0.36; v = 0.999*0.004 + 0.001*3.24 = 0.007236;
    // mhat = 0.36/0.19 = 1.894737; vhat = 0.007236/0.001999 = 3.619810; w2 = 0.9 - 0.1*1.894737/1.902580 = 0.800412.
    const w = tf.variable(tf.scalar(1));
    const opt = new Optimizer({ name: 'adam', learningRate: 0.1 });
    const values: number[] = [];
    for (let i = 0; i < 2; i++) {
      tf.tidy(() => opt.apply([w], [w.mul(2)]));
      values.push(w.dataSync()[0]);
    }
    expect(values[0]).toBeCloseTo(0.9, 6);
    expect(values[1]).toBeCloseTo(0.800412, 5);
    opt.dispose();
    w.dispose();
  });

  it('saves and restores its state exactly', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new Optimizer({ name: 'adam', learningRate: 0.01 });
    tf.tidy(() => opt.apply([w], [w.mul(3)]));
    const state = opt.getState();
    const w2 = tf.variable(w.clone());
    const opt2 = new Optimizer({ name: 'adam', learningRate: 0.5 });
    opt2.setState(state, [w2]);
    tf.tidy(() => opt.apply([w], [w.mul(3)]));
    tf.tidy(() => opt2.apply([w2], [w2.mul(3)]));
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(() => new Optimizer({ name: 'sgd', learningRate: 1 }).setState(state, [w])).toThrow(/holds adam state/);
    tf.dispose([w, w2]);
    opt.dispose();
    opt2.dispose();
  });

  it.each(['adam', 'adamw'] as const)('fused %s on the wasm heap matches the op-by-op path, clipping included', (name) => {
    const run = (fused: boolean): Float32Array[] => {
      const net = new Network([3], 2, { hidden: [5] }, new Rng(7));
      const opt = new Optimizer({ name, learningRate: 0.05, fused });
      const x = tf.tensor2d([[0.5, -1, 2], [1, 0.25, -0.5]]);
      for (let i = 0; i < 5; i++) {
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => net.apply(x).square().sum() as tf.Scalar, net.variables);
          opt.apply(net.variables, net.variables.map((v) => grads[v.name]), { maxGradNorm: 0.5 });
        });
      }
      const out = net.variables.map((v) => v.dataSync() as Float32Array);
      net.dispose();
      opt.dispose();
      x.dispose();
      return out;
    };
    const fused = run(true);
    const ops = run(false);
    fused.forEach((w, i) => w.forEach((value, j) => expect(value).toBeCloseTo(ops[i][j], 5)));
  });

  it('the fused update leaves a network that shares buffers with it (a target copy) untouched', () => {
    const online = new Network([3], 2, { hidden: [4] }, new Rng(1));
    const target = new Network([3], 2, { hidden: [4] }, new Rng(2));
    target.copyFrom(online);
    const before = target.getWeights();
    const opt = new Optimizer({ name: 'adam', learningRate: 0.1 });
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => online.apply(tf.ones([1, 3])).sum() as tf.Scalar, online.variables);
      opt.apply(online.variables, online.variables.map((v) => grads[v.name]));
    });
    expect(target.getWeights()).toEqual(before);
    expect(online.getWeights()['out/b']).not.toEqual(before['out/b']);
    online.dispose();
    target.dispose();
    opt.dispose();
  });

  it('clips gradients by global norm', () => {
    tf.tidy(() => {
      const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
      expect(norm.dataSync()[0]).toBeCloseTo(5);
      expect(grads[0].dataSync()[0]).toBeCloseTo(0.6);
      expect(grads[0].dataSync()[1]).toBe(0);
      expect(grads[1].dataSync()[0]).toBeCloseTo(0.8);
    });
  });
});

describe('schedules and losses', () => {
  it('computes schedules by hand', () => {
    const lin = makeSchedule({ kind: 'linear', start: 1, end: 0.05, fraction: 0.1 });
    expect(lin(0)).toBe(1);
    expect(lin(0.05)).toBeCloseTo(0.525);
    expect(lin(0.5)).toBeCloseTo(0.05);
    const cos = makeSchedule({ kind: 'cosine', start: 1, end: 0 });
    expect(cos(0.5)).toBeCloseTo(0.5);
    expect(cos(1)).toBeCloseTo(0);
    const step = makeSchedule({ kind: 'step', start: 1, gamma: 0.5, every: 0.25 });
    expect([0, 0.3, 0.6, 1].map(step)).toEqual([1, 0.5, 0.25, 0.0625]);
    expect(makeSchedule(3)(0.7)).toBe(3);
  });

  it('Huber and MSE losses match hand values', () => {
    tf.tidy(() => {
      const pred = tf.tensor1d([0, 0, 0]);
      const target = tf.tensor1d([0.5, 2, -3]);
      // Huber: 0.125, 1.5, 2.5 -> mean 1.375; MSE: 0.25, 4, 9 -> mean 4.41667
      expect(huberLoss(pred, target).dataSync()[0]).toBeCloseTo(1.375);
      expect(mseLoss(pred, target).dataSync()[0]).toBeCloseTo(4.416667, 5);
      expect(huberLoss(pred, target, tf.tensor1d([1, 0, 0])).dataSync()[0]).toBeCloseTo(0.125 / 3);
    });
  });
});

describe('Network', () => {
  it('builds MLP, dueling and conv nets with the right output shapes, seeded', () => {
    const mlp = new Network([4], 2, { hidden: [8, 8] }, new Rng(0));
    const same = new Network([4], 2, { hidden: [8, 8] }, new Rng(0));
    expect(mlp.getWeights()).toEqual(same.getWeights());
    expect(mlp.parameterCount).toBe(4 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
    const duel = new Network([4], 3, { hidden: [8], dueling: true }, new Rng(1));
    const conv = new Network([10, 10, 4], 6, { conv: [{ filters: 16, kernel: 3, stride: 1 }], hidden: [32] }, new Rng(2));
    tf.tidy(() => {
      expect(mlp.apply(tf.zeros([5, 4])).shape).toEqual([5, 2]);
      expect(duel.apply(tf.zeros([5, 4])).shape).toEqual([5, 3]);
      expect(conv.apply(tf.zeros([2, 10, 10, 4])).shape).toEqual([2, 6]);
    });
    for (const n of [mlp, same, duel, conv]) n.dispose();
  });

  it('copies, averages and round-trips weights', () => {
    const a = new Network([3], 2, { hidden: [4] }, new Rng(0));
    const b = new Network([3], 2, { hidden: [4] }, new Rng(1));
    const wa = a.getWeights();
    const wb = b.getWeights();
    b.polyakFrom(a, 0.25);
    const mixed = b.getWeights()['out/b'];
    expect(mixed[0]).toBeCloseTo(0.25 * wa['out/b'][0] + 0.75 * wb['out/b'][0], 6);
    b.copyFrom(a);
    expect(b.getWeights()).toEqual(wa);
    b.setWeights(wb);
    expect(b.getWeights()).toEqual(wb);
    expect(() => b.setWeights({ ...wb, 'out/w': new Float32Array(1) })).toThrow(/out\/w has 1 values, expected 8/);
    a.dispose();
    b.dispose();
  });

  it('keeps the tensor count flat over 1,000 updates', () => {
    const net = new Network([4], 2, { hidden: [16, 16] }, new Rng(0));
    const opt = new Optimizer({ name: 'adam', learningRate: 1e-3 });
    const x = tf.randomNormal([32, 4], 0, 1, 'float32', 1);
    const update = (): void =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => net.apply(x).square().mean() as tf.Scalar, net.variables);
        const { grads: clipped } = clipByGlobalNorm(net.variables.map((v) => grads[v.name]), 10);
        opt.apply(net.variables, clipped);
      });
    update();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) update();
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    opt.dispose();
    x.dispose();
  });
});
