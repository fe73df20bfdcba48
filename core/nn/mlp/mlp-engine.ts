import { ArcadeError, InvalidInputError } from '../../errors.ts';
import type { Rng } from '../../rng.ts';
import { orthogonal, torchDefaultUniform } from '../init.ts';
import type { Activation, NetworkConfig } from '../network.ts';
import { getDefaultSgemm, type Sgemm } from './sgemm.ts';

/** The shape of an MLP: `inputSize -> hidden... -> outputSize`, `activation` after every hidden layer, linear output. */
export interface MlpSpec {
  inputSize: number;
  hidden: readonly number[];
  outputSize: number;
  /** Activation of every hidden layer. Default relu (as `Network`). */
  activation?: Activation;
  /** Weight initialisation, as `NetworkConfig.init`. Default torch (as `Network`). */
  init?: 'torch' | 'orthogonal';
  /** Orthogonal init only: the output layer's gain. Default 1 (as `Network`). */
  outputGain?: number;
}

interface Layer {
  fanIn: number;
  units: number;
  activation: Activation;
  w: Float32Array;
  b: Float32Array;
  dw: Float32Array;
  db: Float32Array;
  /** Post-activation output, `[maxBatch, units]`. */
  out: Float32Array;
  /** Gradient of the loss with respect to the pre-activation, `[maxBatch, units]`. */
  delta: Float32Array;
}

/**
 * A multilayer perceptron on flat Float32Arrays: forward, backward and parameters in one array, every buffer
 * allocated once for batches up to `maxBatch`, so an update allocates nothing.
 *
 * Why: for the small networks RL uses, TF.js spends most of an update in per-kernel framework overhead (~144
 * kernels at ~8 us each for a 4-64-64-2 DQN update, measured on the 2-core machines), not in the maths.
 * Interchangeable with `Network`'s MLP: the same parameter names (`dense0/w`, `dense0/b`, ..., `out/w`, `out/b`),
 * shapes (`w` is `[fanIn, units]`, row-major) and order, and the same initial values from the same `Rng`.
 */
export class MlpEngine {
  /** Every parameter, in `names` order. */
  readonly params: Float32Array;
  /** Gradients from the last `backward`, laid out as `params`. */
  readonly grads: Float32Array;
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  /** Start of each named parameter in `params`. */
  readonly offsets: readonly number[];
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly layers: Layer[] = [];
  private readonly input: Float32Array;
  private lastBatch = 0;

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
    /** Largest batch `forward` accepts; buffers are sized for it. */
    readonly maxBatch: number,
    /** The matrix multiply; a native BLAS can be passed here. Default: `getDefaultSgemm()`. */
    private readonly sgemm: Sgemm = getDefaultSgemm(),
  ) {
    const sizes = [spec.inputSize, ...spec.hidden, spec.outputSize];
    if (sizes.some((s) => !Number.isInteger(s) || s <= 0)) throw new InvalidInputError(`MlpEngine: layer sizes must be positive integers, received [${sizes.join(', ')}]`);
    if (!Number.isInteger(maxBatch) || maxBatch <= 0) throw new InvalidInputError(`MlpEngine: maxBatch must be a positive integer, received ${maxBatch}`);
    this.inputSize = spec.inputSize;
    this.outputSize = spec.outputSize;
    const names: string[] = [];
    const shapes: number[][] = [];
    const offsets: number[] = [];
    let total = 0;
    for (let l = 1; l < sizes.length; l++) {
      const prefix = l === sizes.length - 1 ? 'out' : `dense${l - 1}`;
      for (const [suffix, shape] of [['w', [sizes[l - 1], sizes[l]]], ['b', [sizes[l]]]] as const) {
        names.push(`${prefix}/${suffix}`);
        shapes.push([...shape]);
        offsets.push(total);
        total += shape.reduce((a, b) => a * b, 1);
      }
    }
    this.names = names;
    this.shapes = shapes;
    this.offsets = offsets;
    this.params = new Float32Array(total);
    this.grads = new Float32Array(total);
    this.input = new Float32Array(maxBatch * spec.inputSize);
    const activation = spec.activation ?? 'relu';
    for (let l = 1; l < sizes.length; l++) {
      const [fanIn, units] = [sizes[l - 1], sizes[l]];
      const wAt = offsets[2 * (l - 1)];
      const bAt = offsets[2 * (l - 1) + 1];
      this.layers.push({
        fanIn,
        units,
        activation: l === sizes.length - 1 ? 'linear' : activation,
        w: this.params.subarray(wAt, wAt + fanIn * units),
        b: this.params.subarray(bAt, bAt + units),
        dw: this.grads.subarray(wAt, wAt + fanIn * units),
        db: this.grads.subarray(bAt, bAt + units),
        out: new Float32Array(maxBatch * units),
        delta: new Float32Array(maxBatch * units),
      });
    }
    this.initialise(rng);
  }

  /** An engine for `Network`'s MLP of the same config: same names, shapes and initial weights from the same rng. */
  static fromNetworkConfig(inputShape: readonly number[], outputSize: number, config: NetworkConfig, rng: Rng, maxBatch: number, sgemm: Sgemm = getDefaultSgemm()): MlpEngine {
    if (!MlpEngine.supports(config)) throw new ArcadeError('MlpEngine: only plain MLPs (no conv layers, no dueling head) run on the mlp engine; use the tfjs engine for this network');
    const inputSize = inputShape.reduce((a, b) => a * b, 1);
    return new MlpEngine({ inputSize, hidden: config.hidden, outputSize, activation: config.activation, init: config.init, outputGain: config.outputGain }, rng, maxBatch, sgemm);
  }

  /** Whether `config` is a network this engine can run: dense layers only. */
  static supports(config: NetworkConfig): boolean {
    return (config.conv ?? []).length === 0 && config.dueling !== true;
  }

  /**
   * Runs `batch` rows of `input` (`[batch, inputSize]`, row-major) through the net. Returns the engine's output
   * buffer, `[maxBatch, outputSize]`, of which the first `batch` rows are this call's; it is overwritten by the
   * next `forward`. `backward` uses the activations of the last `forward`.
   */
  forward(input: Float32Array, batch: number): Float32Array {
    if (!(batch >= 1 && batch <= this.maxBatch)) throw new InvalidInputError(`MlpEngine.forward: batch must be in [1, ${this.maxBatch}], received ${batch}`);
    if (input.length < batch * this.inputSize) throw new InvalidInputError(`MlpEngine.forward: input has ${input.length} values, a batch of ${batch} needs ${batch * this.inputSize}`);
    copyPrefix(input, this.input, batch * this.inputSize);
    let x = this.input;
    for (const layer of this.layers) {
      const { units, out, b } = layer;
      for (let r = 0; r < batch; r++) out.set(b, r * units);
      this.sgemm(false, false, batch, units, layer.fanIn, x, layer.w, out, true);
      activate(layer.activation, out, batch * units);
      x = out;
    }
    this.lastBatch = batch;
    return x;
  }

  /**
   * Gradients of the loss into `grads` (overwritten), from `outputGrad` (`[batch, outputSize]`, d loss / d output)
   * for the batch of the last `forward`.
   */
  backward(outputGrad: Float32Array): void {
    const batch = this.lastBatch;
    if (batch === 0) throw new ArcadeError('MlpEngine.backward: call forward first');
    const last = this.layers.length - 1;
    if (outputGrad.length < batch * this.outputSize) throw new InvalidInputError(`MlpEngine.backward: outputGrad has ${outputGrad.length} values, the batch needs ${batch * this.outputSize}`);
    copyPrefix(outputGrad, this.layers[last].delta, batch * this.outputSize);
    for (let l = last; l >= 0; l--) {
      const layer = this.layers[l];
      const { units, delta, db } = layer;
      const x = l === 0 ? this.input : this.layers[l - 1].out;
      this.sgemm(true, false, layer.fanIn, units, batch, x, delta, layer.dw, false);
      db.fill(0);
      for (let r = 0; r < batch; r++) {
        const row = r * units;
        for (let j = 0; j < units; j++) db[j] += delta[row + j];
      }
      if (l > 0) {
        const below = this.layers[l - 1];
        this.sgemm(false, true, batch, layer.fanIn, units, delta, layer.w, below.delta, false);
        multiplyByDerivative(below.activation, below.out, below.delta, batch * below.units);
      }
    }
  }

  /** Hard target update: copies every parameter of an engine of the same shape. */
  copyFrom(other: MlpEngine): void {
    this.checkSameShape(other);
    this.params.set(other.params);
  }

  /** Polyak averaging: `this = tau * other + (1 - tau) * this`. */
  polyakFrom(other: MlpEngine, tau: number): void {
    this.checkSameShape(other);
    const p = this.params;
    const q = other.params;
    for (let i = 0; i < p.length; i++) p[i] = tau * q[i] + (1 - tau) * p[i];
  }

  /** Parameters by name, as copies (checkpoints; the format of `Network.getWeights`). */
  getWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    this.names.forEach((name, i) => {
      out[name] = this.params.slice(this.offsets[i], this.offsets[i] + sizeOf(this.shapes[i]));
    });
    return out;
  }

  /** Loads parameters by name (the format of `Network.setWeights`); every name must be present with the right size. */
  setWeights(weights: Record<string, Float32Array>): void {
    this.names.forEach((name, i) => {
      const data = weights[name];
      const size = sizeOf(this.shapes[i]);
      if (data === undefined) throw new InvalidInputError(`MlpEngine.setWeights: missing parameter ${name}`);
      if (data.length !== size) throw new InvalidInputError(`MlpEngine.setWeights: ${name} has ${data.length} values, expected ${size} (shape [${this.shapes[i].join(', ')}])`);
    });
    this.names.forEach((name, i) => this.params.set(weights[name], this.offsets[i]));
  }

  /** Sizes of the named parameters, in order (what an optimizer over `params` needs). */
  get segmentSizes(): number[] {
    return this.shapes.map(sizeOf);
  }

  get parameterCount(): number {
    return this.params.length;
  }

  /** Draws weights in `Network`'s order: per layer the weight matrix, then the bias. */
  private initialise(rng: Rng): void {
    const ortho = this.spec.init === 'orthogonal';
    const last = this.layers.length - 1;
    this.layers.forEach((layer, l) => {
      const gain = l === last ? (this.spec.outputGain ?? 1) : Math.SQRT2;
      if (ortho) {
        layer.w.set(orthogonal(layer.fanIn, layer.units, gain, rng));
        layer.b.fill(0);
      } else {
        layer.w.set(torchDefaultUniform(layer.fanIn * layer.units, layer.fanIn, rng));
        layer.b.set(torchDefaultUniform(layer.units, layer.fanIn, rng));
      }
    });
  }

  private checkSameShape(other: MlpEngine): void {
    if (other.params.length !== this.params.length || other.names.length !== this.names.length || other.shapes.some((s, i) => sizeOf(s) !== sizeOf(this.shapes[i]))) {
      throw new ArcadeError('MlpEngine: the two networks have different shapes');
    }
  }
}

/** `to[0..n) = from[0..n)` without making a view (a `subarray` would allocate). */
function copyPrefix(from: Float32Array, to: Float32Array, n: number): void {
  if (from.length === n) to.set(from);
  else for (let i = 0; i < n; i++) to[i] = from[i];
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function activate(kind: Activation, x: Float32Array, n: number): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) if (x[i] < 0) x[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) x[i] = Math.tanh(x[i]);
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (x[i] < 0) x[i] = Math.expm1(x[i]);
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
      return;
    case 'linear':
      return;
  }
}

/** `delta *= f'(pre-activation)`, written in terms of the post-activation `y` (all five allow it). */
function multiplyByDerivative(kind: Activation, y: Float32Array, delta: Float32Array, n: number): void {
  switch (kind) {
    case 'relu':
      for (let i = 0; i < n; i++) if (y[i] <= 0) delta[i] = 0;
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) delta[i] *= 1 - y[i] * y[i];
      return;
    case 'elu':
      for (let i = 0; i < n; i++) if (y[i] < 0) delta[i] *= y[i] + 1;
      return;
    case 'sigmoid':
      for (let i = 0; i < n; i++) delta[i] *= y[i] * (1 - y[i]);
      return;
    case 'linear':
      return;
  }
}
