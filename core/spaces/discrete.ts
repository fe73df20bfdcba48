import type { Rng } from '../rng.ts';
import { SpaceBase, describeValue } from './space.ts';
import type { SpaceJSON } from './space-json.ts';

/** Integers `start, start+1, ..., start+n-1` (Gymnasium `Discrete`). */
export class Discrete extends SpaceBase<number> {
  readonly shape: readonly number[] = [];
  readonly dtype = 'int64' as const;

  constructor(
    /** Number of values. */
    readonly n: number,
    /** Smallest value. */
    readonly start = 0,
  ) {
    super();
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Discrete: n must be a positive integer, received ${n}`);
    if (!Number.isInteger(start)) throw new RangeError(`Discrete: start must be an integer, received ${start}`);
  }

  sample(rng: Rng = this.rng): number {
    return this.start + rng.int(this.n);
  }

  override contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  explain(x: unknown): string | null {
    if (this.contains(x)) return null;
    if (typeof x !== 'number') return `expected an integer in [${this.start}, ${this.start + this.n - 1}], received ${describeValue(x)}`;
    if (!Number.isInteger(x)) return `expected an integer, received ${x}`;
    return `value ${x} is outside [${this.start}, ${this.start + this.n - 1}]`;
  }

  toJSON(): SpaceJSON {
    return { type: 'Discrete', n: this.n, start: this.start };
  }

  override toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}
