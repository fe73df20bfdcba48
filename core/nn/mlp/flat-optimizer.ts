import { InvalidInputError } from '../../errors.ts';
import type { ApplyOptions, OptimizerConfig, OptimizerName, OptimizerState } from '../optimizers.ts';

type SlotKind = 'm' | 'v' | 'momentum' | 'square';

/**
 * `Optimizer`'s five update rules (torch semantics, the same defaults) on one flat parameter array, in place, with
 * no allocation per step. Its `getState`/`setState` use `Optimizer`'s format (slots named `<variable index>/<slot>`),
 * so optimizer state moves between the TF.js and the typed-array engines through a checkpoint.
 */
export class FlatOptimizer {
  learningRate: number;
  /** Updates applied so far (Adam's bias correction uses it). */
  step = 0;
  /** The gradient norm before clipping, of the last `apply`. */
  gradNorm = NaN;
  private readonly cfg: Required<OptimizerConfig>;
  private readonly slots = new Map<SlotKind, Float32Array>();
  /** Slots exist once an update ran or a state was loaded (as `Optimizer` creates them on its first `apply`). */
  private slotsLive = false;
  private readonly offsets: number[] = [];
  private readonly size: number;

  constructor(
    config: OptimizerConfig,
    /** Sizes of the variables laid end to end in the parameter array (`MlpEngine.segmentSizes`). */
    readonly segmentSizes: readonly number[],
  ) {
    if (!(config.learningRate > 0)) throw new InvalidInputError(`optimizer: learningRate must be positive, received ${config.learningRate}`);
    // The defaults of core/nn/optimizers.ts (torch.optim).
    this.cfg = { momentum: config.name === 'momentum' ? 0.9 : 0, nesterov: false, beta1: 0.9, beta2: 0.999, rho: 0.99, epsilon: 1e-8, weightDecay: config.name === 'adamw' ? 0.01 : 0, fused: true, ...config };
    this.learningRate = config.learningRate;
    let total = 0;
    for (const s of segmentSizes) {
      this.offsets.push(total);
      total += s;
    }
    this.size = total;
    for (const kind of this.slotKinds()) this.slots.set(kind, new Float32Array(total));
  }

  get name(): OptimizerName {
    return this.cfg.name;
  }

  /**
   * One update of `params` with `grads` (same layout), after clipping the gradients' global norm when asked (the
   * gradients are scaled in place). The norm before clipping goes to `gradNorm` (a field, not a return value:
   * V8 boxes a double returned from a call it does not inline, which would allocate on every update).
   */
  apply(params: Float32Array, grads: Float32Array, opts: ApplyOptions = {}): void {
    if (params.length !== this.size || grads.length !== this.size) throw new InvalidInputError(`optimizer: expected ${this.size} parameters and gradients, received ${params.length} and ${grads.length}`);
    const norm = clipByGlobalNormInPlace(grads, opts.maxGradNorm ?? Infinity);
    this.step++;
    this.slotsLive = true;
    const { name, beta1, beta2, epsilon, momentum, nesterov, rho, weightDecay } = this.cfg;
    const lr = this.learningRate;
    const n = this.size;
    switch (name) {
      case 'sgd':
        for (let i = 0; i < n; i++) params[i] -= lr * grads[i];
        break;
      case 'momentum': {
        const buf = this.slot('momentum');
        for (let i = 0; i < n; i++) {
          const next = momentum * buf[i] + grads[i];
          buf[i] = next;
          params[i] -= lr * (nesterov ? grads[i] + momentum * next : next);
        }
        break;
      }
      case 'rmsprop': {
        const sq = this.slot('square');
        const buf = momentum > 0 ? this.slot('momentum') : sq;
        for (let i = 0; i < n; i++) {
          const g = grads[i];
          const s = rho * sq[i] + (1 - rho) * g * g;
          sq[i] = s;
          const update = g / (Math.sqrt(s) + epsilon);
          if (momentum > 0) {
            const next = momentum * buf[i] + update;
            buf[i] = next;
            params[i] -= lr * next;
          } else {
            params[i] -= lr * update;
          }
        }
        break;
      }
      case 'adam':
      case 'adamw': {
        const m = this.slot('m');
        const v = this.slot('v');
        const stepSize = lr / (1 - beta1 ** this.step);
        const sqrtC2 = Math.sqrt(1 - beta2 ** this.step);
        const decay = name === 'adamw' ? 1 - lr * weightDecay : 1;
        for (let i = 0; i < n; i++) {
          const g = grads[i];
          const mi = beta1 * m[i] + (1 - beta1) * g;
          const vi = beta2 * v[i] + (1 - beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          params[i] = params[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + epsilon);
        }
        break;
      }
    }
    this.gradNorm = norm;
  }

  /** `Optimizer.getState`'s format: slots per variable, named `<variable index>/<slot>` (none before the first step). */
  getState(): OptimizerState {
    const slots: Record<string, Float32Array> = {};
    if (this.slotsLive) {
      for (const [kind, data] of this.slots) {
        this.segmentSizes.forEach((size, i) => {
          slots[`${i}/${kind}`] = data.slice(this.offsets[i], this.offsets[i] + size);
        });
      }
    }
    return { name: this.cfg.name, step: this.step, learningRate: this.learningRate, slots };
  }

  /** Restores a state from `getState` of either engine; slots it lacks start at zero. */
  setState(state: OptimizerState): void {
    if (state.name !== this.cfg.name) throw new InvalidInputError(`optimizer: checkpoint holds ${state.name} state, this optimizer is ${this.cfg.name}`);
    const parsed = Object.entries(state.slots).map(([key, data]) => {
      const [indexText, kind] = key.split('/');
      const index = Number(indexText);
      const target = this.slots.get(kind as SlotKind);
      if (target === undefined || !(index >= 0 && index < this.segmentSizes.length) || this.segmentSizes[index] !== data.length) {
        throw new InvalidInputError(`optimizer: slot ${key} does not match the variables (${data.length} values)`);
      }
      return { target, at: this.offsets[index], data };
    });
    for (const slot of this.slots.values()) slot.fill(0);
    for (const { target, at, data } of parsed) target.set(data, at);
    this.step = state.step;
    this.learningRate = state.learningRate;
    this.slotsLive = parsed.length > 0;
  }

  private slotKinds(): SlotKind[] {
    switch (this.cfg.name) {
      case 'sgd':
        return [];
      case 'momentum':
        return ['momentum'];
      case 'rmsprop':
        return this.cfg.momentum > 0 ? ['square', 'momentum'] : ['square'];
      case 'adam':
      case 'adamw':
        return ['m', 'v'];
    }
  }

  private slot(kind: SlotKind): Float32Array {
    return this.slots.get(kind) as Float32Array;
  }
}

/**
 * Scales `grads` in place so that their L2 norm is at most `maxNorm` (torch `clip_grad_norm_`, the same 1e-6 as
 * `clipByGlobalNorm`); returns the norm before clipping. `maxNorm` Infinity only measures.
 */
export function clipByGlobalNormInPlace(grads: Float32Array, maxNorm: number): number {
  let sq = 0;
  for (let i = 0; i < grads.length; i++) sq += grads[i] * grads[i];
  const norm = Math.sqrt(sq);
  const scale = Number.isFinite(maxNorm) ? Math.min(1, maxNorm / (norm + 1e-6)) : 1;
  if (scale < 1) for (let i = 0; i < grads.length; i++) grads[i] *= scale;
  return norm;
}
