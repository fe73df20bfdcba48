import { ArcadeError, InvalidInputError } from '../core/index.ts';
import { ReplayBuffer, expectArray, optionsFromConfig, parseReplayMeta, unringRows, type ReplayBufferMeta, type ReplayBufferOptions, type SerializedReplayBuffer } from './replay-buffer.ts';
import { MinTree, SumTree } from './sum-tree.ts';
import type { ActionKind, ObsDtype, ReplayBatch } from './types.ts';

export interface PrioritizedReplayBufferOptions<D extends ObsDtype = ObsDtype, K extends ActionKind = ActionKind> extends ReplayBufferOptions<D, K> {
  /** How much prioritisation is used: P(i) = p_i^alpha / sum_k p_k^alpha (0 = uniform). Default 0.6. */
  alpha?: number;
  /** Default importance-sampling exponent for `sample` when none is passed (anneal it towards 1). Default 0.4. */
  beta?: number;
  /** Added to |TD error| so no transition gets priority 0. Default 1e-6. */
  epsilon?: number;
}

function checkUnit(name: string, v: number): number {
  if (!(v >= 0 && v <= 1)) throw new RangeError(`PrioritizedReplayBuffer: ${name} must be in [0, 1], received ${v}`);
  return v;
}

/**
 * Proportional prioritized experience replay (Schaul et al. 2016, "Prioritized Experience Replay"):
 *
 *   p_i  = |delta_i| + epsilon                     (priority, from the last TD error of transition i)
 *   P(i) = p_i^alpha / sum_k p_k^alpha             (sampling probability)
 *   w_i  = (N * P(i))^-beta / max_j w_j = (p_i^alpha / min_k p_k^alpha)^-beta    (importance weight, N = size)
 *
 * A sum tree over p^alpha makes sampling and `updatePriorities` O(log n); a min tree gives min_k p_k^alpha, hence
 * the largest weight. Sampling is stratified: the total is cut into `batchSize` equal segments and one uniform
 * draw is made in each. New transitions get the largest priority seen so far (1 at first), so each is likely
 * to be replayed at least once.
 */
export class PrioritizedReplayBuffer<D extends ObsDtype = 'float32', K extends ActionKind = 'discrete'> extends ReplayBuffer<D, K> {
  readonly alpha: number;
  /** The exponent `sample` uses when none is passed. */
  beta: number;
  readonly epsilon: number;
  private readonly sums: SumTree;
  private readonly mins: MinTree;
  /** Largest p_i = |delta| + epsilon seen so far (before the alpha power). */
  private maxPriority = 1;

  constructor(options: PrioritizedReplayBufferOptions<D, K>) {
    super(options);
    this.alpha = options.alpha ?? 0.6;
    if (!(this.alpha >= 0)) throw new RangeError(`PrioritizedReplayBuffer: alpha must be >= 0, received ${this.alpha}`);
    this.beta = checkUnit('beta', options.beta ?? 0.4);
    this.epsilon = options.epsilon ?? 1e-6;
    if (!(this.epsilon >= 0)) throw new RangeError(`PrioritizedReplayBuffer: epsilon must be >= 0, received ${this.epsilon}`);
    this.sums = new SumTree(this.capacity);
    this.mins = new MinTree(this.capacity);
  }

  /**
   * Draws `batchSize` transitions with probability P(i), one per equal segment of the priority mass, and fills
   * `weights` with w_i for this `beta` (default: the `beta` property). The batch is reused as in `ReplayBuffer`.
   */
  override sample(batchSize: number, beta: number = this.beta): ReplayBatch<D, K> {
    checkUnit('beta', beta);
    const batch = this.prepareBatch(batchSize);
    const { indices, weights } = batch;
    const total = this.sums.total();
    if (!(total > 0)) throw new ArcadeError('PrioritizedReplayBuffer.sample: every stored transition has priority 0 (use epsilon > 0)');
    const minP = this.mins.min();
    const segment = total / batchSize;
    for (let i = 0; i < batchSize; i++) {
      let u = (i + this.rng.random()) * segment;
      if (u >= total) u = total * (1 - Number.EPSILON);
      const slot = this.sums.find(u);
      indices[i] = slot;
      weights[i] = Math.pow(this.sums.get(slot) / minP, -beta);
    }
    this.gather(batch);
    return batch;
  }

  /**
   * Sets p_i = |tdErrors[j]| + epsilon for slot i = indices[j] (O(log n) each), as returned in `batch.indices`.
   * Slots no longer holding a transition are skipped. If a slot was overwritten since it was sampled, the new
   * transition gets the priority (as in the reference implementations).
   */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    if (indices.length !== tdErrors.length) throw new RangeError(`PrioritizedReplayBuffer.updatePriorities: ${indices.length} indices but ${tdErrors.length} TD errors`);
    for (let j = 0; j < indices.length; j++) {
      const slot = indices[j];
      if (!Number.isInteger(slot) || slot < 0 || slot >= this.capacity) throw new RangeError(`PrioritizedReplayBuffer.updatePriorities: index ${slot} is not a slot of a buffer of capacity ${this.capacity}`);
      const p = Math.abs(tdErrors[j]) + this.epsilon;
      if (!Number.isFinite(p)) throw new RangeError(`PrioritizedReplayBuffer.updatePriorities: TD error ${tdErrors[j]} at position ${j} is not finite`);
      if ((slot - this.start + this.capacity) % this.capacity >= this.count) continue;
      if (p > this.maxPriority) this.maxPriority = p;
      this.setPriority(slot, Math.pow(p, this.alpha));
    }
  }

  /** p_i^alpha of `slot` (0 when the slot is empty). */
  priority(slot: number): number {
    return this.sums.get(slot);
  }

  override clear(): void {
    super.clear();
    this.sums.clear();
    this.mins.clear();
    this.maxPriority = 1;
  }

  static override deserialize(data: SerializedReplayBuffer): PrioritizedReplayBuffer<ObsDtype, ActionKind> {
    const meta = parseReplayMeta(data.meta);
    if (meta.kind !== 'PrioritizedReplayBuffer' || !meta.prioritized) throw new InvalidInputError(`replay buffer checkpoint: holds a ${meta.kind}; use ${meta.kind}.deserialize`);
    const { alpha, beta, epsilon } = meta.prioritized;
    const buffer = new PrioritizedReplayBuffer<ObsDtype, ActionKind>({ ...optionsFromConfig(meta.config), alpha, beta, epsilon });
    buffer.restore(meta, data.arrays);
    return buffer;
  }

  protected override restore(meta: ReplayBufferMeta, arrays: Record<string, ArrayBufferView>): void {
    super.restore(meta, arrays);
    const rows = expectArray(arrays, 'priorities', Float64Array, meta.size);
    const sums = new Float64Array(this.capacity);
    unringRows(sums, rows, this.start, this.count, this.capacity, 1);
    for (let i = 0; i < rows.length; i++) if (!(rows[i] >= 0 && Number.isFinite(rows[i]))) throw new InvalidInputError(`replay buffer checkpoint: priority ${rows[i]} at row ${i}`);
    const mins = new Float64Array(this.capacity).fill(Infinity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (sums[slot] > 0) mins[slot] = sums[slot];
    }
    this.sums.load(sums);
    this.mins.load(mins);
    this.maxPriority = meta.prioritized?.maxPriority ?? 1;
  }

  protected override serializeExtra(meta: ReplayBufferMeta, arrays: Record<string, ArrayBufferView>): void {
    meta.kind = 'PrioritizedReplayBuffer';
    meta.prioritized = { alpha: this.alpha, beta: this.beta, epsilon: this.epsilon, maxPriority: this.maxPriority };
    const priorities = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) priorities[i] = this.sums.get((this.start + i) % this.capacity);
    arrays.priorities = priorities;
  }

  protected override onAdd(slot: number): void {
    this.setPriority(slot, Math.pow(this.maxPriority, this.alpha));
  }

  protected override onEvict(slot: number): void {
    this.sums.set(slot, 0);
    this.mins.set(slot, Infinity);
  }

  private setPriority(slot: number, pAlpha: number): void {
    this.sums.set(slot, pAlpha);
    // a zero priority (epsilon = 0, zero error) is never sampled, so it must not set the largest weight
    this.mins.set(slot, pAlpha > 0 ? pAlpha : Infinity);
  }
}
