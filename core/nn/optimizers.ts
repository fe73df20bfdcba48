import { tf } from '../backend/index.ts';
import { fusedAdamWasm } from './fused-adam.ts';

export type OptimizerName = 'sgd' | 'momentum' | 'rmsprop' | 'adam' | 'adamw';

/** An optimizer by name with its hyper-parameters; defaults are PyTorch's (`torch.optim`), which CleanRL and SB3 use. */
export interface OptimizerConfig {
  name: OptimizerName;
  /** Step size (initial value; a schedule may change `optimizer.learningRate` later). */
  learningRate: number;
  /** momentum, rmsprop: momentum factor. Default 0.9 for `momentum`, 0 for `rmsprop` (torch). */
  momentum?: number;
  /** momentum: Nesterov's variant. Default false (torch). */
  nesterov?: boolean;
  /** adam, adamw: decay of the first moment. Default 0.9 (Kingma & Ba 2015). */
  beta1?: number;
  /** adam, adamw: decay of the second moment. Default 0.999 (Kingma & Ba 2015). */
  beta2?: number;
  /** rmsprop: decay of the squared-gradient average. Default 0.99 (torch). */
  rho?: number;
  /** adam, adamw, rmsprop: added to the denominator. Default 1e-8 (torch). */
  epsilon?: number;
  /** adamw: decoupled weight decay (Loshchilov & Hutter 2019). Default 0.01 (torch AdamW). */
  weightDecay?: number;
  /** adam, adamw on wasm: update in one JavaScript pass over the wasm heap instead of op by op. Default true. */
  fused?: boolean;
}

export interface ApplyOptions {
  /** Clip the global gradient norm to this first (torch `clip_grad_norm_`). Default: no clipping. */
  maxGradNorm?: number;
}

/** Optimizer state as plain arrays, for checkpoints. */
export interface OptimizerState {
  name: OptimizerName;
  step: number;
  learningRate: number;
  slots: Record<string, Float32Array>;
}

/**
 * Updates variables from their gradients. Slot variables (moments) are created on the first `apply` and
 * are named `<variable index>/<slot>` in `getState`.
 */
export class Optimizer {
  learningRate: number;
  /** Updates applied so far (Adam's bias correction uses it). */
  step = 0;
  private slots: Map<string, tf.Variable> = new Map();
  private readonly cfg: Required<OptimizerConfig>;

  constructor(config: OptimizerConfig) {
    if (!(config.learningRate > 0)) throw new RangeError(`optimizer: learningRate must be positive, received ${config.learningRate}`);
    this.cfg = {
      momentum: config.name === 'momentum' ? 0.9 : 0,
      nesterov: false,
      beta1: 0.9,
      beta2: 0.999,
      rho: 0.99,
      epsilon: 1e-8,
      weightDecay: config.name === 'adamw' ? 0.01 : 0,
      fused: true,
      ...config,
    };
    this.learningRate = config.learningRate;
  }

  get name(): OptimizerName {
    return this.cfg.name;
  }

  /**
   * One update of `variables` with `grads` (same order), after clipping them when asked. Disposes nothing it was
   * given. Returns the gradient norm before clipping when clipping was asked (or the fused path ran), else NaN.
   */
  apply(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], opts: ApplyOptions = {}): number {
    if (variables.length !== grads.length) throw new RangeError(`optimizer: ${variables.length} variables but ${grads.length} gradients`);
    this.step++;
    const { name, beta1, beta2, epsilon, momentum, nesterov, rho, weightDecay } = this.cfg;
    const lr = this.learningRate;
    const maxGradNorm = opts.maxGradNorm ?? Infinity;
    if ((name === 'adam' || name === 'adamw') && this.cfg.fused) {
      const ms = variables.map((v, i) => this.slot(i, 'm', v));
      const vs = variables.map((v, i) => this.slot(i, 'v', v));
      const norm = fusedAdamWasm(variables, grads, ms, vs, { learningRate: lr, beta1, beta2, epsilon, weightDecay: name === 'adamw' ? weightDecay : 0, step: this.step, maxGradNorm });
      if (norm !== undefined) return norm;
    }
    let gradNorm = NaN;
    tf.tidy(() => {
      let clipped: readonly tf.Tensor[] = grads;
      if (Number.isFinite(maxGradNorm)) {
        const c = clipByGlobalNorm(grads, maxGradNorm);
        clipped = c.grads;
        gradNorm = c.norm.dataSync()[0];
      }
      variables.forEach((v, i) => {
        const g = clipped[i];
        switch (name) {
          case 'sgd':
            v.assign(v.sub(g.mul(lr)));
            break;
          case 'momentum': {
            const buf = this.slot(i, 'momentum', v);
            const next = buf.mul(momentum).add(g);
            buf.assign(next);
            v.assign(v.sub((nesterov ? g.add(next.mul(momentum)) : next).mul(lr)));
            break;
          }
          case 'rmsprop': {
            const sq = this.slot(i, 'square', v);
            const nextSq = sq.mul(rho).add(g.square().mul(1 - rho));
            sq.assign(nextSq);
            const update = g.div(nextSq.sqrt().add(epsilon));
            if (momentum > 0) {
              const buf = this.slot(i, 'momentum', v);
              const next = buf.mul(momentum).add(update);
              buf.assign(next);
              v.assign(v.sub(next.mul(lr)));
            } else {
              v.assign(v.sub(update.mul(lr)));
            }
            break;
          }
          case 'adam':
          case 'adamw': {
            const m = this.slot(i, 'm', v);
            const s = this.slot(i, 'v', v);
            const nextM = m.mul(beta1).add(g.mul(1 - beta1));
            const nextV = s.mul(beta2).add(g.square().mul(1 - beta2));
            m.assign(nextM);
            s.assign(nextV);
            const c1 = 1 - beta1 ** this.step;
            const c2 = 1 - beta2 ** this.step;
            // torch: w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps)
            const update = nextM.div(nextV.sqrt().div(Math.sqrt(c2)).add(epsilon)).mul(lr / c1);
            const decayed = name === 'adamw' && weightDecay > 0 ? v.mul(1 - lr * weightDecay) : v;
            v.assign(decayed.sub(update));
            break;
          }
        }
      });
    });
    return gradNorm;
  }

  getState(): OptimizerState {
    const slots: Record<string, Float32Array> = {};
    for (const [key, v] of this.slots) slots[key] = v.dataSync() as Float32Array;
    return { name: this.cfg.name, step: this.step, learningRate: this.learningRate, slots };
  }

  /** Restores a state from `getState`; the variables must be the ones this optimizer will update. */
  setState(state: OptimizerState, variables: readonly tf.Variable[]): void {
    if (state.name !== this.cfg.name) throw new RangeError(`optimizer: checkpoint holds ${state.name} state, this optimizer is ${this.cfg.name}`);
    this.dispose();
    this.step = state.step;
    this.learningRate = state.learningRate;
    for (const [key, data] of Object.entries(state.slots)) {
      const index = Number(key.split('/')[0]);
      const v = variables[index];
      if (v === undefined || v.size !== data.length) throw new RangeError(`optimizer: slot ${key} does not match the variables (${data.length} values)`);
      const init = tf.tensor(data, v.shape);
      this.slots.set(key, tf.variable(init, false));
      init.dispose();
    }
  }

  dispose(): void {
    for (const v of this.slots.values()) v.dispose();
    this.slots.clear();
  }

  private slot(index: number, kind: string, like: tf.Variable): tf.Variable {
    const key = `${index}/${kind}`;
    let s = this.slots.get(key);
    if (s === undefined) {
      const zeros = tf.zerosLike(like);
      s = tf.variable(zeros, false);
      zeros.dispose();
      this.slots.set(key, s);
    }
    return s;
  }
}

/**
 * Scales gradients so that their global L2 norm is at most `maxNorm` (torch `clip_grad_norm_`); returns the new
 * gradients and the norm before clipping. Call inside `tf.tidy`.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  const norm = tf.sqrt(tf.addN(grads.map((g) => g.square().sum()))) as tf.Scalar;
  const scale = tf.minimum(1, tf.div(maxNorm, norm.add(1e-6)));
  return { grads: grads.map((g) => g.mul(scale)), norm };
}

/** L2 regularisation as a loss term: `coef * sum of squared weights` (biases included unless filtered). */
export function l2Penalty(variables: readonly tf.Variable[], coef: number): tf.Scalar {
  return tf.mul(coef, tf.addN(variables.map((v) => v.square().sum()))) as tf.Scalar;
}
