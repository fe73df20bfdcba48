import { currentBackend, tf } from '../backend/index.ts';
import { ArcadeError } from '../errors.ts';
import type { Rng } from '../rng.ts';
import { orthogonal, torchDefaultUniform } from './init.ts';

export type Activation = 'relu' | 'tanh' | 'elu' | 'sigmoid' | 'linear';

/** A convolution layer: NHWC, 'same' or 'valid' padding. */
export interface ConvLayerConfig {
  filters: number;
  kernel: number;
  stride: number;
  padding?: 'same' | 'valid';
}

/** A network from a typed config: optional conv layers (image inputs), then dense layers, then the output. */
export interface NetworkConfig {
  /** Conv layers applied first when the input is an image `[h, w, c]`; empty for an MLP. */
  conv?: ConvLayerConfig[];
  /** Sizes of the hidden dense layers, e.g. `[64, 64]`. */
  hidden: number[];
  /** Activation of every hidden layer. */
  activation?: Activation;
  /** Dueling head (Wang et al. 2016): Q = V + A - mean(A). Only for Q-networks. */
  dueling?: boolean;
  /** Weight initialisation: `torch` (PyTorch's default, as CleanRL/SB3 DQN) or `orthogonal` (PPO). */
  init?: 'torch' | 'orthogonal';
  /** Orthogonal init only: the output layer's gain (0.01 for policy heads, 1 for values). */
  outputGain?: number;
}

interface Dense {
  w: tf.Variable;
  b: tf.Variable;
}

interface Conv {
  w: tf.Variable;
  b: tf.Variable;
  stride: number;
  padding: 'same' | 'valid';
}

/**
 * A feed-forward network whose parameters are named `tf.Variable`s, so that weights and optimizer state can be
 * checkpointed by name. `apply` must be called inside `tf.tidy` (or `optimizer.minimize`).
 */
export class Network {
  readonly variables: tf.Variable[] = [];
  readonly names: string[] = [];
  private readonly convs: Conv[] = [];
  private readonly dense: Dense[] = [];
  private readonly heads: Dense[] = [];
  private readonly activation: Activation;
  readonly inputShape: readonly number[];
  readonly outputSize: number;

  constructor(
    inputShape: readonly number[],
    outputSize: number,
    readonly config: NetworkConfig,
    rng: Rng,
    private readonly prefix = 'net',
  ) {
    if (currentBackend() === undefined) {
      throw new ArcadeError('no TF.js backend is set up: call `await useBackend()` (from arcade-rl) before building networks or agents');
    }
    this.inputShape = [...inputShape];
    this.outputSize = outputSize;
    this.activation = config.activation ?? 'relu';
    const conv = config.conv ?? [];
    if (conv.length > 0 && inputShape.length !== 3) throw new RangeError(`Network: conv layers need an [h, w, c] input, received [${inputShape.join(', ')}]`);
    let [h, w, c] = inputShape.length === 3 ? inputShape : [1, 1, inputShape.reduce((a, b) => a * b, 1)];
    const ortho = config.init === 'orthogonal';
    const gainRelu = Math.SQRT2;
    conv.forEach((layer, i) => {
      const fanIn = layer.kernel * layer.kernel * c;
      const size = layer.kernel * layer.kernel * c * layer.filters;
      const wInit = ortho ? orthogonal(layer.kernel * layer.kernel * c, layer.filters, gainRelu, rng) : torchDefaultUniform(size, fanIn, rng);
      const bInit = ortho ? new Float32Array(layer.filters) : torchDefaultUniform(layer.filters, fanIn, rng);
      const padding = layer.padding ?? 'valid';
      this.convs.push({
        w: this.add(`conv${i}/w`, tf.tensor4d(wInit, [layer.kernel, layer.kernel, c, layer.filters])),
        b: this.add(`conv${i}/b`, tf.tensor1d(bInit)),
        stride: layer.stride,
        padding,
      });
      h = padding === 'same' ? Math.ceil(h / layer.stride) : Math.floor((h - layer.kernel) / layer.stride) + 1;
      w = padding === 'same' ? Math.ceil(w / layer.stride) : Math.floor((w - layer.kernel) / layer.stride) + 1;
      c = layer.filters;
      if (h <= 0 || w <= 0) throw new RangeError(`Network: conv layer ${i} shrinks the input to nothing`);
    });
    let fan = h * w * c;
    config.hidden.forEach((units, i) => {
      this.dense.push(this.makeDense(`dense${i}`, fan, units, ortho ? gainRelu : 0, rng));
      fan = units;
    });
    const gain = config.outputGain ?? 1;
    if (config.dueling === true) {
      this.heads.push(this.makeDense('value', fan, 1, ortho ? 1 : 0, rng), this.makeDense('advantage', fan, outputSize, ortho ? gain : 0, rng));
    } else {
      this.heads.push(this.makeDense('out', fan, outputSize, ortho ? gain : 0, rng));
    }
  }

  /** `[batch, ...inputShape]` in, `[batch, outputSize]` out. */
  apply(x: tf.Tensor): tf.Tensor2D {
    let h: tf.Tensor = x;
    if (this.convs.length > 0) {
      let img = h as tf.Tensor4D;
      for (const layer of this.convs) {
        img = tf.fused.conv2d({ x: img, filter: layer.w as tf.Tensor4D, strides: layer.stride, pad: layer.padding, bias: layer.b, activation: this.fusedActivation() });
        if (this.activation !== 'relu' && this.activation !== 'linear') img = this.activate(img) as tf.Tensor4D;
      }
      h = img;
    }
    let flat = h.reshape([h.shape[0], -1]) as tf.Tensor2D;
    for (const layer of this.dense) flat = this.denseForward(flat, layer, this.activation);
    if (this.heads.length === 2) {
      const value = this.denseForward(flat, this.heads[0], 'linear');
      const adv = this.denseForward(flat, this.heads[1], 'linear');
      return value.add(adv.sub(adv.mean(1, true))) as tf.Tensor2D;
    }
    return this.denseForward(flat, this.heads[0], 'linear');
  }

  /** Copies every parameter from a network of the same shape (hard target update). */
  copyFrom(other: Network): void {
    this.checkSameShape(other);
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(other.variables[i])));
  }

  /** Polyak averaging: `this = tau * other + (1 - tau) * this`. */
  polyakFrom(other: Network, tau: number): void {
    this.checkSameShape(other);
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(other.variables[i].mul(tau).add(v.mul(1 - tau)))));
  }

  /** Parameters by name, as typed arrays (checkpoints). */
  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    this.variables.forEach((v, i) => {
      out[this.names[i]] = v.dataSync() as Float32Array;
    });
    return out;
  }

  /** Loads parameters by name; every name must be present with the right size. */
  setWeights(weights: Record<string, Float32Array>): void {
    this.variables.forEach((v, i) => {
      const name = this.names[i];
      const data = weights[name];
      if (data === undefined) throw new RangeError(`Network.setWeights: missing parameter ${name}`);
      if (data.length !== v.size) throw new RangeError(`Network.setWeights: ${name} has ${data.length} values, expected ${v.size} (shape [${v.shape.join(', ')}])`);
      tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
    });
  }

  /** Number of trainable scalars. */
  get parameterCount(): number {
    return this.variables.reduce((a, v) => a + v.size, 0);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    const v = tf.variable(init, true, `${this.prefix}/${name}/${uid()}`);
    init.dispose();
    this.variables.push(v);
    this.names.push(name);
    return v;
  }

  private makeDense(name: string, fanIn: number, units: number, orthoGain: number, rng: Rng): Dense {
    const w = orthoGain > 0 ? orthogonal(fanIn, units, orthoGain, rng) : torchDefaultUniform(fanIn * units, fanIn, rng);
    const b = orthoGain > 0 ? new Float32Array(units) : torchDefaultUniform(units, fanIn, rng);
    return { w: this.add(`${name}/w`, tf.tensor2d(w, [fanIn, units])), b: this.add(`${name}/b`, tf.tensor1d(b)) };
  }

  private denseForward(x: tf.Tensor2D, layer: Dense, activation: Activation): tf.Tensor2D {
    const fused = activation === 'relu' || activation === 'linear' || activation === 'elu' || activation === 'sigmoid';
    const y = tf.fused.matMul({ a: x, b: layer.w as tf.Tensor2D, bias: layer.b, activation: fused ? activation : 'linear' });
    return (fused ? y : this.activate(y)) as tf.Tensor2D;
  }

  private fusedActivation(): 'relu' | 'linear' {
    return this.activation === 'relu' ? 'relu' : 'linear';
  }

  private activate(x: tf.Tensor): tf.Tensor {
    return applyActivation(x, this.activation);
  }


  private checkSameShape(other: Network): void {
    if (other.variables.length !== this.variables.length || other.variables.some((v, i) => v.size !== this.variables[i].size)) {
      throw new RangeError('Network: the two networks have different shapes');
    }
  }
}

let counter = 0;
/** Variable names must be unique in TF.js's engine. */
function uid(): number {
  return counter++;
}

/** `x` through a named activation (`linear` returns `x` itself). */
export function applyActivation<T extends tf.Tensor>(x: T, activation: Activation): T {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'linear':
      return x;
  }
}
