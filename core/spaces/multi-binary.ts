import type { Rng } from '../rng.ts';
import { SpaceBase, describeValue } from './space.ts';
import type { SpaceJSON } from './space-json.ts';

/** `n` bits, each 0 or 1, as a `Uint8Array` (Gymnasium `MultiBinary`). */
export class MultiBinary extends SpaceBase<Uint8Array> {
  readonly shape: readonly number[];
  readonly dtype = 'uint8' as const;

  constructor(readonly n: number) {
    super();
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`MultiBinary: n must be a positive integer, received ${n}`);
    this.shape = [n];
  }

  sample(rng: Rng = this.rng): Uint8Array {
    const out = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = rng.random() < 0.5 ? 1 : 0;
    return out;
  }

  explain(x: unknown): string | null {
    if (!(x instanceof Uint8Array)) return `expected a Uint8Array of length ${this.n}, received ${describeValue(x)}`;
    if (x.length !== this.n) return `expected length ${this.n}, received length ${x.length}`;
    for (let i = 0; i < x.length; i++) if (x[i] > 1) return `index ${i} has value ${x[i]}, expected 0 or 1`;
    return null;
  }

  toJSON(): SpaceJSON {
    return { type: 'MultiBinary', n: this.n };
  }

  override toString(): string {
    return `MultiBinary(${this.n})`;
  }
}
