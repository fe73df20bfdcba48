import { Rng, entropySeed } from '../rng.ts';
import type { SpaceJSON } from './space-json.ts';

/** Element types a space can hold. */
export type Dtype = 'int64' | 'float32' | 'uint8' | 'int32' | 'object';

/**
 * A set of valid values (Gymnasium `Space`): actions an env accepts, observations it returns.
 * `contains` is the fast yes/no; `explain` says in words why a value is not in the space.
 */
export interface Space<T> {
  /** Shape of one value; `[]` for a scalar. */
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  /** A uniformly random value, from the space's own RNG or the one given. */
  sample(rng?: Rng): T;
  contains(x: unknown): x is T;
  /** `null` when `x` is in the space, otherwise one sentence naming the first offending index and value. */
  explain(x: unknown): string | null;
  /** Seeds the space's own RNG (used by `sample()` without an argument); returns the seed used. */
  seed(seed?: number): number;
  /** A JSON description (episode headers, checkpoints); `spaceFromJSON` reads it back. */
  toJSON(): SpaceJSON;
  /** Human-readable form, e.g. `Box(0, 1, [4], float32)`. */
  toString(): string;
}

/** The value type of a space: `SpaceValue<Discrete>` is `number`. */
export type SpaceValue<S> = S extends Space<infer T> ? T : never;

/** Shared RNG handling for the built-in spaces. */
export abstract class SpaceBase<T> implements Space<T> {
  abstract readonly shape: readonly number[];
  abstract readonly dtype: Dtype;
  private ownRng: Rng | undefined;

  protected get rng(): Rng {
    if (this.ownRng === undefined) this.ownRng = new Rng(entropySeed());
    return this.ownRng;
  }

  seed(seed: number = entropySeed()): number {
    this.ownRng = new Rng(seed);
    return seed;
  }

  abstract sample(rng?: Rng): T;
  abstract explain(x: unknown): string | null;
  abstract toJSON(): SpaceJSON;
  abstract toString(): string;

  contains(x: unknown): x is T {
    return this.explain(x) === null;
  }
}

/** Short description of any received value for error messages. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}(${(x as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(x)) return `Array(${x.length})`;
  if (typeof x === 'object') return `object with keys [${Object.keys(x).slice(0, 8).join(', ')}]`;
  return typeof x;
}

/** Flat index -> `[i, j, ...]` for a row-major shape. */
export function multiIndex(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return out;
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function checkShape(shape: readonly number[], who: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d <= 0) {
      throw new RangeError(`${who}: shape must be positive integers, received [${shape.join(', ')}]`);
    }
  }
}
