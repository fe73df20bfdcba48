import type { Rng } from '../rng.ts';
import { SpaceBase, describeValue } from './space.ts';
import type { SpaceJSON } from './space-json.ts';

/** A vector of integers, element `i` in `[0, nvec[i])`, as an `Int32Array` (Gymnasium `MultiDiscrete`). */
export class MultiDiscrete extends SpaceBase<Int32Array> {
  readonly shape: readonly number[];
  readonly dtype = 'int32' as const;
  readonly nvec: Int32Array;

  constructor(nvec: ArrayLike<number>) {
    super();
    this.nvec = Int32Array.from(nvec);
    if (this.nvec.length === 0) throw new RangeError('MultiDiscrete: nvec must not be empty');
    for (let i = 0; i < this.nvec.length; i++) {
      if (!(this.nvec[i] > 0) || this.nvec[i] !== nvec[i]) throw new RangeError(`MultiDiscrete: nvec[${i}] must be a positive integer, received ${nvec[i]}`);
    }
    this.shape = [this.nvec.length];
  }

  sample(rng: Rng = this.rng): Int32Array {
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) out[i] = rng.int(this.nvec[i]);
    return out;
  }

  explain(x: unknown): string | null {
    if (!(x instanceof Int32Array)) return `expected an Int32Array of length ${this.nvec.length}, received ${describeValue(x)}`;
    if (x.length !== this.nvec.length) return `expected length ${this.nvec.length}, received length ${x.length}`;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < 0 || x[i] >= this.nvec[i]) return `index ${i} has value ${x[i]}, outside [0, ${this.nvec[i] - 1}]`;
    }
    return null;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec) };
  }

  override toString(): string {
    return `MultiDiscrete([${Array.from(this.nvec).join(', ')}])`;
  }
}
