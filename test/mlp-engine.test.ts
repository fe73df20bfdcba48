import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CategoricalPolicyLoss,
  FlatOptimizer,
  ValueLoss,
  InvalidInputError,
  MlpEngine,
  Network,
  Optimizer,
  Rng,
  TdLoss,
  blockedSgemm,
  bootstrapTargets,
  huberLoss,
  mseLoss,
  referenceSgemm,
  setDefaultSgemm,
  tf,
  useBackend,
  type Activation,
  type OptimizerName,
  make,
} from '../core/index.ts';
import '../envs/index.ts';
import { DQN, evaluate, resolveDQNConfig, type DQNConfig } from '../agents/index.ts';
import { FOUR_ROOMS_DQN } from './helpers/dqn-settings.ts';

beforeAll(async () => {
  await useBackend('cpu');
});

function randomArray(n: number, rng: Rng, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.random() - 1) * scale;
  return out;
}

/** max |a - b| / max(|b|, tiny): one relative error for a whole array. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

describe('blockedSgemm', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matches the textbook loop (transA %s, transB %s) on odd shapes, overwriting and accumulating', (transA, transB) => {
    const rng = new Rng(1);
    for (const [m, n, k] of [[1, 1, 1], [5, 7, 9], [3, 130, 70], [64, 64, 64], [6, 2, 131]]) {
      const a = randomArray(m * k, rng);
      const b = randomArray(k * n, rng);
      for (const accumulate of [false, true]) {
        const c = randomArray(m * n, rng);
        const expected = Float32Array.from(c);
        blockedSgemm(transA, transB, m, n, k, a, b, c, accumulate);
        referenceSgemm(transA, transB, m, n, k, a, b, expected, accumulate);
        expect(relativeError(c, expected)).toBeLessThan(1e-5);
      }
    }
  });
});

describe('MlpEngine and the TF.js Network', () => {
  it.each(['torch', 'orthogonal'] as const)('have the same names, shapes and initial weights from the same seed (%s init)', (init) => {
    const config = { hidden: [16, 8], init, outputGain: 0.01 };
    const net = new Network([5], 3, config, new Rng(7));
    const engine = MlpEngine.fromNetworkConfig([5], 3, config, new Rng(7), 4);
    const a = net.getWeights();
    const b = engine.getWeights();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(engine.names).toEqual(net.names);
    expect(engine.shapes).toEqual(net.variables.map((v) => v.shape));
    for (const name of Object.keys(a)) expect(b[name]).toEqual(a[name]);
    net.dispose();
  });

  it.each(['relu', 'tanh', 'elu', 'sigmoid', 'linear'] as Activation[])('compute the same forward pass (%s)', (activation) => {
    const rng = new Rng(3);
    const config = { hidden: [32, 16], activation };
    const net = new Network([7], 4, config, new Rng(11));
    const engine = MlpEngine.fromNetworkConfig([7], 4, config, new Rng(11), 10);
    const x = randomArray(10 * 7, rng, 2);
    const expected = tf.tidy(() => net.apply(tf.tensor2d(x, [10, 7])).dataSync());
    const out = engine.forward(x, 10);
    expect(relativeError(out.subarray(0, 40), expected)).toBeLessThan(1e-5);
    // a smaller batch uses only the first rows
    const one = engine.forward(x.subarray(0, 7), 1);
    expect(relativeError(one.subarray(0, 4), expected.subarray(0, 4))).toBeLessThan(1e-5);
    net.dispose();
  });

  it('move weights both ways through getWeights/setWeights (the checkpoint format)', () => {
    const config = { hidden: [12, 12] };
    const net = new Network([3], 2, config, new Rng(1));
    const engine = MlpEngine.fromNetworkConfig([3], 2, config, new Rng(2), 1);
    const x = Float32Array.of(0.3, -1, 2);
    engine.setWeights(net.getWeights());
    const fromNet = tf.tidy(() => net.apply(tf.tensor2d(x, [1, 3])).dataSync());
    expect(relativeError(engine.forward(x, 1).subarray(0, 2), fromNet)).toBeLessThan(1e-6);
    engine.params.forEach((_, i) => (engine.params[i] *= 0.5));
    net.setWeights(engine.getWeights());
    const back = tf.tidy(() => net.apply(tf.tensor2d(x, [1, 3])).dataSync());
    expect(relativeError(engine.forward(x, 1).subarray(0, 2), back)).toBeLessThan(1e-6);
    net.dispose();
  });

  it('rejects weights of the wrong size, naming the parameter, and networks it cannot run', () => {
    const engine = new MlpEngine({ inputSize: 3, hidden: [4], outputSize: 2 }, new Rng(1), 2);
    const weights = engine.getWeights();
    expect(() => engine.setWeights({ ...weights, 'dense0/w': new Float32Array(5) })).toThrow(/dense0\/w has 5 values, expected 12/);
    expect(() => engine.setWeights({ 'out/w': weights['out/w'] })).toThrow(InvalidInputError);
    expect(() => engine.forward(new Float32Array(9), 3)).toThrow(/batch must be in \[1, 2\]/);
    expect(() => MlpEngine.fromNetworkConfig([3], 2, { hidden: [4], dueling: true }, new Rng(1), 2)).toThrow(/plain MLPs/);
  });
});

/** The DQN loss on TF.js: gradients of `huberLoss`/`mseLoss` of Q gathered by action, as agents/dqn does. */
function tfTdGradients(net: Network, x: Float32Array, batch: number, actions: Int32Array, targets: Float32Array, weights: Float32Array | null, kind: 'huber' | 'mse'): { loss: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const obs = tf.tensor2d(x, [batch, net.inputShape[0]]);
    const oneHot = tf.oneHot(tf.tensor1d(actions, 'int32'), net.outputSize);
    const y = tf.tensor1d(targets);
    const w = weights === null ? undefined : tf.tensor1d(weights);
    const { value, grads } = tf.variableGrads(() => {
      const qa = net.apply(obs).mul(oneHot).sum(1) as tf.Tensor1D;
      return kind === 'huber' ? huberLoss(qa, y, w) : mseLoss(qa, y, w);
    }, net.variables);
    return { loss: value.dataSync()[0], grads: net.variables.map((v) => grads[v.name].dataSync() as Float32Array) };
  });
}

function tdProblem(seed: number, batch: number, inputSize: number, numActions: number) {
  const rng = new Rng(seed);
  const x = randomArray(batch * inputSize, rng, 1.5);
  const actions = Int32Array.from({ length: batch }, () => rng.int(numActions));
  // targets spread wide enough that some |TD errors| exceed Huber's delta of 1
  const targets = randomArray(batch, rng, 3);
  const weights = Float32Array.from({ length: batch }, () => 0.2 + rng.random());
  return { x, actions, targets, weights };
}

describe('gradients of the DQN TD loss', () => {
  it.each([
    ['huber', 'relu', true],
    ['huber', 'tanh', false],
    ['mse', 'relu', false],
    ['mse', 'elu', true],
  ] as const)('match TF.js (%s loss, %s, importance weights %s)', (kind, activation, weighted) => {
    const [batch, inputSize, numActions] = [16, 6, 3];
    const config = { hidden: [20, 10], activation };
    const net = new Network([inputSize], numActions, config, new Rng(5));
    const engine = MlpEngine.fromNetworkConfig([inputSize], numActions, config, new Rng(5), batch);
    const { x, actions, targets, weights } = tdProblem(9, batch, inputSize, numActions);
    const expected = tfTdGradients(net, x, batch, actions, targets, weighted ? weights : null, kind);
    const lossFn = new TdLoss(kind, numActions, batch);
    lossFn.compute(engine.forward(x, batch), batch, actions, targets, weighted ? weights : null);
    engine.backward(lossFn.gradQ);
    expect(Math.abs(lossFn.loss - expected.loss) / Math.abs(expected.loss)).toBeLessThan(1e-5);
    engine.names.forEach((name, i) => {
      const at = engine.offsets[i];
      const mine = engine.grads.subarray(at, at + expected.grads[i].length);
      expect(relativeError(mine, expected.grads[i]), name).toBeLessThan(1e-4);
    });
    net.dispose();
  });

  it('match central finite differences of a float64 forward pass', () => {
    const [batch, inputSize, numActions] = [5, 4, 3];
    const hidden = [7, 6];
    const engine = new MlpEngine({ inputSize, hidden, outputSize: numActions, activation: 'tanh' }, new Rng(2), batch);
    const { x, actions, targets, weights } = tdProblem(4, batch, inputSize, numActions);
    const lossFn = new TdLoss('huber', numActions, batch);
    lossFn.compute(engine.forward(x, batch), batch, actions, targets, weights);
    engine.backward(lossFn.gradQ);
    const params = Float64Array.from(engine.params);
    const sizes = [inputSize, ...hidden, numActions];
    const loss64 = (p: Float64Array): number => {
      let total = 0;
      for (let r = 0; r < batch; r++) {
        let h = Array.from(x.subarray(r * inputSize, (r + 1) * inputSize));
        let at = 0;
        for (let l = 1; l < sizes.length; l++) {
          const [fanIn, units] = [sizes[l - 1], sizes[l]];
          const next = new Array<number>(units).fill(0);
          for (let j = 0; j < units; j++) {
            let s = p[at + fanIn * units + j];
            for (let i = 0; i < fanIn; i++) s += h[i] * p[at + i * units + j];
            next[j] = l === sizes.length - 1 ? s : Math.tanh(s);
          }
          at += fanIn * units + units;
          h = next;
        }
        const d = h[actions[r]] - targets[r];
        total += weights[r] * (Math.abs(d) <= 1 ? 0.5 * d * d : Math.abs(d) - 0.5);
      }
      return total / batch;
    };
    const eps = 1e-5;
    const numeric = new Float64Array(params.length);
    for (let i = 0; i < params.length; i++) {
      const keep = params[i];
      params[i] = keep + eps;
      const up = loss64(params);
      params[i] = keep - eps;
      const down = loss64(params);
      params[i] = keep;
      numeric[i] = (up - down) / (2 * eps);
    }
    expect(relativeError(engine.grads, numeric)).toBeLessThan(1e-4);
  });

  it('the loss reports per-sample TD errors, the mean taken Q, and gradients only at the taken actions', () => {
    const lossFn = new TdLoss('huber', 2, 4);
    const q = Float32Array.of(1, 2, 3, 4, 5, 6, 0, 0);
    lossFn.compute(q, 3, Int32Array.of(0, 1, 0), Float32Array.of(1.5, 0, 5), null);
    expect(Array.from(lossFn.tdErrors.subarray(0, 3))).toEqual([-0.5, 4, 0]);
    expect(lossFn.qMean).toBeCloseTo((1 + 4 + 5) / 3, 6);
    expect(lossFn.loss).toBeCloseTo((0.125 + 3.5 + 0) / 3, 6);
    [-0.5 / 3, 0, 0, 1 / 3, 0, 0].forEach((g, i) => expect(lossFn.gradQ[i]).toBeCloseTo(g, 6));
    expect(() => lossFn.compute(q, 1, Int32Array.of(2), Float32Array.of(0), null)).toThrow(/action 2 of sample 0/);
  });

  it('bootstrapTargets: max target Q, Double-DQN choice by the online net, no bootstrap when done', () => {
    const target = Float32Array.of(1, 3, 5, 2);
    const online = Float32Array.of(9, 0, 0, 9);
    const out = new Float32Array(2);
    bootstrapTargets(target, null, 2, 2, Float32Array.of(1, 1), 0.5, Float32Array.of(1, 0), out);
    expect(Array.from(out)).toEqual([2.5, 1]);
    bootstrapTargets(target, online, 2, 2, Float32Array.of(0, 0), Float32Array.of(1, 0.5), Float32Array.of(1, 1), out);
    expect(Array.from(out)).toEqual([1, 1]);
  });
});

describe('FlatOptimizer', () => {
  it.each(['adam', 'adamw', 'sgd', 'momentum', 'rmsprop'] as OptimizerName[])('%s matches core/nn Optimizer on the same gradients, with clipping, and takes over its state', (name) => {
    const rng = new Rng(8);
    const sizes = [6, 3];
    const init = randomArray(9, rng);
    const vars = [tf.variable(tf.tensor1d(init.slice(0, 6))), tf.variable(tf.tensor1d(init.slice(6)))];
    const extra = name === 'rmsprop' ? { momentum: 0.5 } : {};
    const reference = new Optimizer({ name, learningRate: 0.05, ...extra });
    const flat = new FlatOptimizer({ name, learningRate: 0.05, ...extra }, sizes);
    const params = Float32Array.from(init);
    for (let step = 0; step < 4; step++) {
      const g = randomArray(9, rng, 2);
      const tfNorm = tf.tidy(() => reference.apply(vars, [tf.tensor1d(g.slice(0, 6)), tf.tensor1d(g.slice(6))], { maxGradNorm: 1.5 }));
      flat.apply(params, Float32Array.from(g), { maxGradNorm: 1.5 });
      expect(flat.gradNorm).toBeCloseTo(tfNorm, 4);
      const expected = [...vars[0].dataSync(), ...vars[1].dataSync()];
      expect(relativeError(params, expected)).toBeLessThan(1e-5);
    }
    // state moves both ways: a flat optimizer resumed from its own state continues bit for bit, and one resumed
    // from the TF.js optimizer's state continues to float32 rounding (TF.js keeps its moments in float32 ops)
    const g = randomArray(9, rng);
    const next = (opt: FlatOptimizer): Float32Array => {
      const p = Float32Array.from(params);
      opt.apply(p, Float32Array.from(g));
      return p;
    };
    const own = new FlatOptimizer({ name, learningRate: 0.05, ...extra }, sizes);
    own.setState(flat.getState());
    const fromTf = new FlatOptimizer({ name, learningRate: 0.05, ...extra }, sizes);
    fromTf.setState(reference.getState());
    expect(Object.keys(fromTf.getState().slots).sort()).toEqual(Object.keys(reference.getState().slots).sort());
    const expectedNext = next(flat);
    expect(Array.from(next(own))).toEqual(Array.from(expectedNext));
    expect(relativeError(next(fromTf), expectedNext)).toBeLessThan(1e-6);
    reference.dispose();
    tf.dispose(vars);
  });

  it('rejects state of another optimizer or size, naming it', () => {
    const flat = new FlatOptimizer({ name: 'adam', learningRate: 1e-3 }, [4]);
    expect(() => flat.setState({ name: 'sgd', step: 1, learningRate: 1e-3, slots: {} })).toThrow(/holds sgd state/);
    expect(() => flat.setState({ name: 'adam', step: 1, learningRate: 1e-3, slots: { '0/m': new Float32Array(3) } })).toThrow(/slot 0\/m does not match/);
  });
});

describe('a full update', () => {
  it('allocates nothing per update: the heap does not grow over repeated updates', () => {
    const [batch, inputSize, numActions] = [8, 4, 2];
    const online = new MlpEngine({ inputSize, hidden: [16, 16], outputSize: numActions }, new Rng(1), batch);
    const target = new MlpEngine({ inputSize, hidden: [16, 16], outputSize: numActions }, new Rng(1), batch);
    const opt = new FlatOptimizer({ name: 'adam', learningRate: 1e-3 }, online.segmentSizes);
    const lossFn = new TdLoss('huber', numActions, batch);
    const { x, actions, targets } = tdProblem(2, batch, inputSize, numActions);
    const y = new Float32Array(batch);
    const notDone = new Float32Array(batch).fill(1);
    const clip = { maxGradNorm: 10 };
    const update = (): void => {
      bootstrapTargets(target.forward(x, batch), null, numActions, batch, targets, 0.99, notDone, y);
      lossFn.compute(online.forward(x, batch), batch, actions, y, null);
      online.backward(lossFn.gradQ);
      opt.apply(online.params, online.grads, clip);
      target.polyakFrom(online, 0.01);
    };
    for (let i = 0; i < 3000; i++) update(); // JIT warm-up
    // Median heap growth over chunks of 500 updates: a GC inside a chunk makes that chunk's figure negative, so
    // the median is a chunk without one, and any allocation per update (>= 16 bytes) would show as >= 8 KB.
    const growth: number[] = [];
    for (let chunk = 0; chunk < 21; chunk++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 500; i++) update();
      growth.push(process.memoryUsage().heapUsed - before);
    }
    growth.sort((a, b) => a - b);
    expect(growth[10]).toBeLessThan(2048);
  });
});

const GRID = FOUR_ROOMS_DQN;

function weightsOf(agent: DQN): Float32Array {
  return Float32Array.from(Object.values(agent.online.getWeights()).flatMap((w) => Array.from(w)));
}

describe('DQN on the mlp engine', () => {
  it('learns the optimal FourRooms path (return 0.81) within 14k steps, seed 1, as on tfjs', async () => {
    const agent = new DQN(make('GridWorld-FourRooms-v0'), { ...GRID, engine: 'mlp' });
    expect(agent.engine.kind).toBe('mlp');
    await agent.learn({ totalTimesteps: 14_000 });
    expect(evaluate(agent, make('GridWorld-FourRooms-v0'), { episodes: 1 }).mean).toBeGreaterThan(0.8);
  });

  it('is reproducible: the same seed gives the same network', async () => {
    const run = async (): Promise<number[]> => {
      const agent = new DQN(make('CartPole-v1'), { learningStarts: 100, network: { hidden: [16] }, engine: 'mlp', seed: 3 });
      await agent.learn({ totalTimesteps: 800 });
      return Array.from(weightsOf(agent));
    };
    expect(await run()).toEqual(await run());
  });

  it('picks the engine from the config: auto runs small MLPs on mlp, wide or dueling nets on tfjs; mlp refuses what it cannot run', () => {
    expect(new DQN(make('CartPole-v1'), { engine: 'auto' }).engine.kind).toBe('mlp');
    const wide = new DQN(make('CartPole-v1'), { engine: 'auto', network: { hidden: [256, 256] } });
    expect(wide.engine.kind).toBe('tfjs');
    wide.dispose();
    setDefaultSgemm(referenceSgemm); // a "native" sgemm: auto then runs every MLP on mlp
    expect(new DQN(make('CartPole-v1'), { engine: 'auto', network: { hidden: [256, 256] } }).engine.kind).toBe('mlp');
    setDefaultSgemm(null);
    const dueling = new DQN(make('CartPole-v1'), { engine: 'auto', dueling: true });
    expect(dueling.engine.kind).toBe('tfjs');
    dueling.dispose();
    expect(new DQN(make('CartPole-v1')).engine.kind).toBe('tfjs');
    expect(() => resolveDQNConfig({ engine: 'mlp', dueling: true })).toThrow(/engine: 'mlp' runs plain MLPs only/);
    expect(() => resolveDQNConfig({ engine: 'fast' as never })).toThrow(/engine/);
  });

  it('takes the same update as tfjs (Double DQN, 2-step returns, prioritized replay, L2, clipping) from the same seed', async () => {
    const config: Partial<DQNConfig> = { learningStarts: 10_000, batchSize: 16, network: { hidden: [24, 24], activation: 'tanh' }, doubleQ: true, nStep: 2, prioritized: true, l2: 1e-3, maxGradNorm: 0.5, learningRate: 1e-2, seed: 5 };
    const onTf = new DQN(make('CartPole-v1'), { ...config, engine: 'tfjs' });
    const onMlp = new DQN(make('CartPole-v1'), { ...config, engine: 'mlp' });
    expect(weightsOf(onMlp)).toEqual(weightsOf(onTf));
    await onTf.learn({ totalTimesteps: 300 });
    await onMlp.learn({ totalTimesteps: 300 });
    for (let step = 0; step < 5; step++) {
      const a = onTf.train(1);
      const b = onMlp.train(1);
      expect(Math.abs(b.loss - a.loss) / Math.abs(a.loss)).toBeLessThan(1e-4);
      expect(b.qMean).toBeCloseTo(a.qMean, 4);
    }
    expect(relativeError(weightsOf(onMlp), weightsOf(onTf))).toBeLessThan(1e-4);
    expect(onMlp.optimizer.getState().step).toBe(5);
    onTf.dispose();
  });

  it('checkpoints move between engines: weights, target and optimizer state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlp-engine-'));
    const agent = new DQN(make('CartPole-v1'), { learningStarts: 100, network: { hidden: [16] }, engine: 'mlp', seed: 4 });
    await agent.learn({ totalTimesteps: 600 });
    await agent.save(join(dir, 'mlp.ckpt'));
    const onTf = await DQN.load(join(dir, 'mlp.ckpt'), make('CartPole-v1'), { engine: 'tfjs' });
    expect(onTf.engine.kind).toBe('tfjs');
    const obs = Float32Array.of(0.01, -0.02, 0.03, 0.04);
    expect(relativeError(onTf.qValues(obs), agent.qValues(obs))).toBeLessThan(1e-5);
    expect(onTf.optimizer.getState()).toEqual(agent.optimizer.getState());
    expect(onTf.target.getWeights()).toEqual(agent.target.getWeights());
    await onTf.save(join(dir, 'tf.ckpt'));
    const back = await DQN.load(join(dir, 'tf.ckpt'), make('CartPole-v1'), { engine: 'mlp' });
    expect(back.online.getWeights()).toEqual(agent.online.getWeights());
    // both continue training from the same state to the same weights
    const x = onTf.train(3);
    const y = back.train(3);
    expect(Math.abs(x.loss - y.loss) / Math.abs(x.loss)).toBeLessThan(1e-4);
    expect(relativeError(weightsOf(back), weightsOf(onTf))).toBeLessThan(1e-4);
    onTf.dispose();
  });
});

describe('policy-gradient losses', () => {
  /** CleanRL ppo.py's loss on TF.js ops: the reference for values and gradients with respect to the logits. */
  function tfPolicyLoss(logits: Float32Array, batch: number, n: number, actions: Int32Array, adv: Float32Array, oldLogProbs: Float32Array, clip: number | null, entCoef: number) {
    return tf.tidy(() => {
      const z = tf.tensor2d(logits, [batch, n]);
      const lossOf = (x: tf.Tensor): tf.Scalar => {
        const logp = tf.logSoftmax(x as tf.Tensor2D);
        const logpA = logp.mul(tf.oneHot(tf.tensor1d(actions, 'int32'), n)).sum(1);
        const entropy = logp.exp().mul(logp).sum(1).neg().mean();
        const a = tf.tensor1d(adv);
        let pg: tf.Tensor;
        if (clip === null) pg = logpA.mul(a).mean().neg();
        else {
          const ratio = logpA.sub(tf.tensor1d(oldLogProbs)).exp();
          pg = tf.maximum(a.neg().mul(ratio), a.neg().mul(ratio.clipByValue(1 - clip, 1 + clip))).mean();
        }
        return pg.sub(entropy.mul(entCoef)) as tf.Scalar;
      };
      const { value, grad } = tf.valueAndGrad(lossOf)(z);
      return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
    });
  }

  it.each([0.2, null])('the categorical policy loss (clip %s) with entropy matches TF.js in value and gradient', (clip) => {
    const [batch, n] = [24, 4];
    const rng = new Rng(12);
    const logits = randomArray(batch * n, rng, 2);
    const actions = Int32Array.from({ length: batch }, () => rng.int(n));
    const adv = randomArray(batch, rng, 1.5);
    // old log-probs near the current ones, some far enough that their ratio leaves [0.8, 1.2]
    const oldLogProbs = Float32Array.from({ length: batch }, (_, i) => {
      const row = Array.from(logits.subarray(i * n, (i + 1) * n));
      const logZ = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      return row[actions[i]] - logZ + (rng.random() - 0.5) * 0.8;
    });
    const expected = tfPolicyLoss(logits, batch, n, actions, adv, oldLogProbs, clip, 0.01);
    const loss = new CategoricalPolicyLoss(n, 32);
    loss.compute(logits, batch, actions, adv, clip === null ? null : oldLogProbs, clip, 0.01);
    expect(Math.abs(loss.loss - expected.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.loss)));
    expect(relativeError(loss.gradLogits.subarray(0, batch * n), expected.grad)).toBeLessThan(1e-4);
    expect(loss.entropy).toBeGreaterThan(0);
    if (clip !== null) {
      expect(loss.clipfrac).toBeGreaterThan(0);
      expect(loss.clipfrac).toBeLessThan(1);
      expect(loss.approxKl).toBeGreaterThan(0);
    }
  });

  it.each([0.2, null])('the value loss (clip %s) matches TF.js in value and gradient', (clip) => {
    const batch = 20;
    const rng = new Rng(13);
    const values = randomArray(batch, rng, 2);
    const returns = randomArray(batch, rng, 2);
    const oldValues = Float32Array.from(values, (v) => v + (rng.random() - 0.5));
    const expected = tf.tidy(() => {
      const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => {
        const r = tf.tensor1d(returns);
        const unclipped = v.sub(r).square();
        if (clip === null) return unclipped.mean().mul(0.5).mul(0.5) as tf.Scalar;
        const old = tf.tensor1d(oldValues);
        const clippedV = old.add(v.sub(old).clipByValue(-clip, clip));
        return tf.maximum(unclipped, clippedV.sub(r).square()).mean().mul(0.5).mul(0.5) as tf.Scalar;
      })(tf.tensor1d(values));
      return { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
    });
    const loss = new ValueLoss(batch);
    loss.compute(values, batch, returns, oldValues, clip, 0.5);
    expect(loss.loss).toBeCloseTo(expected.loss, 5);
    expect(relativeError(loss.gradValues, expected.grad)).toBeLessThan(1e-4);
  });
});

/**
 * Policy gradient on CartPole-v1 with the engine alone: a 4-32-2 tanh policy, ~2,000 steps per iteration,
 * normalised discounted returns as advantages, Adam; `clip` null is REINFORCE, else PPO's clipped loss over
 * `epochs` passes. Returns the mean greedy return over 5 evaluation episodes.
 */
function trainCartPolePolicy(clip: number | null, epochs: number, iterations: number): number {
  const [maxBatch, gamma] = [2600, 0.99];
  const env = make('CartPole-v1');
  const policy = new MlpEngine({ inputSize: 4, hidden: [32], outputSize: 2, activation: 'tanh' }, new Rng(1), maxBatch);
  const opt = new FlatOptimizer({ name: 'adam', learningRate: 0.01 }, policy.segmentSizes);
  const loss = new CategoricalPolicyLoss(2, maxBatch);
  const rng = new Rng(2);
  const obs = new Float32Array(maxBatch * 4);
  const actions = new Int32Array(maxBatch);
  const rewards = new Float32Array(maxBatch);
  const adv = new Float32Array(maxBatch);
  const oldLogProbs = new Float32Array(maxBatch);
  let o = env.reset({ seed: 3 }).observation;
  for (let iter = 0; iter < iterations; iter++) {
    let t = 0;
    let episodeStart = 0;
    while ((t < 2000 || episodeStart < t) && t < maxBatch) {
      obs.set(o, t * 4);
      const z = policy.forward(o, 1);
      const a = rng.random() < 1 / (1 + Math.exp(z[0] - z[1])) ? 1 : 0;
      const r = env.step(a);
      actions[t] = a;
      rewards[t++] = r.reward;
      if (r.terminated || r.truncated) {
        for (let i = t - 1, g = 0; i >= episodeStart; i--) adv[i] = g = rewards[i] + gamma * g;
        episodeStart = t;
        o = env.reset().observation;
      } else {
        o = r.observation;
      }
    }
    const n = episodeStart; // whole episodes only
    let mean = 0;
    for (let i = 0; i < n; i++) mean += adv[i] / n;
    let sd = 0;
    for (let i = 0; i < n; i++) sd += (adv[i] - mean) ** 2 / (n - 1);
    for (let i = 0; i < n; i++) adv[i] = (adv[i] - mean) / (Math.sqrt(sd) + 1e-8);
    const logits = policy.forward(obs, n);
    for (let i = 0; i < n; i++) {
      const [z0, z1] = [logits[2 * i], logits[2 * i + 1]];
      const m = Math.max(z0, z1);
      oldLogProbs[i] = logits[2 * i + actions[i]] - m - Math.log(Math.exp(z0 - m) + Math.exp(z1 - m));
    }
    for (let e = 0; e < epochs; e++) {
      loss.compute(policy.forward(obs, n), n, actions, adv, clip === null ? null : oldLogProbs, clip, 0);
      policy.backward(loss.gradLogits);
      opt.apply(policy.params, policy.grads, { maxGradNorm: 1 });
    }
  }
  let total = 0;
  for (let ep = 0; ep < 5; ep++) {
    let ob = env.reset({ seed: 100 + ep }).observation;
    for (let done = false; !done; ) {
      const z = policy.forward(ob, 1);
      const r = env.step(z[1] > z[0] ? 1 : 0);
      total += r.reward / 5;
      done = r.terminated || r.truncated;
      ob = r.observation;
    }
  }
  return total;
}

describe('policy gradients on the engine', () => {
  it.each([
    ['REINFORCE', null, 1],
    ['PPO clipped loss, 4 epochs', 0.2, 4],
  ] as const)('%s balances CartPole-v1 (greedy return > 300 of 500) within 50 iterations of 2,000 steps, seed 1', (_name, clip, epochs) => {
    expect(trainCartPolePolicy(clip, epochs, 50)).toBeGreaterThan(300);
  });
});
