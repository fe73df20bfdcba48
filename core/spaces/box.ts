import type { Rng } from '../rng.ts';
import { SpaceBase, checkShape, describeValue, multiIndex, shapeSize } from './space.ts';
import type { SpaceJSON } from './space-json.ts';

/** Element types a Box can hold, and the typed array of each. */
export interface BoxArrays {
  float32: Float32Array;
  uint8: Uint8Array;
}
export type BoxDtype = keyof BoxArrays;

export interface BoxOptions<D extends BoxDtype> {
  /** Lower bound: one number for every element, or one per element (row-major). `-Infinity` for unbounded. */
  low: number | ArrayLike<number>;
  /** Upper bound, as `low`. */
  high: number | ArrayLike<number>;
  /** Shape of a value; defaults to the length of `low`/`high` when they are arrays. */
  shape?: readonly number[];
  /** Element type; `float32` unless said. `uint8` suits pixels. */
  dtype?: D;
}

const ARRAY_TYPES = { float32: Float32Array, uint8: Uint8Array } as const;

/**
 * A (possibly unbounded) box in R^n, stored row-major in a typed array (Gymnasium `Box`).
 * Values are `Float32Array` (default) or `Uint8Array` (`dtype: 'uint8'`).
 */
export class Box<D extends BoxDtype = 'float32'> extends SpaceBase<BoxArrays[D]> {
  readonly shape: readonly number[];
  readonly dtype: D;
  /** Number of elements in one value. */
  readonly size: number;
  readonly low: Float32Array;
  readonly high: Float32Array;

  constructor(opts: BoxOptions<D>) {
    super();
    this.dtype = (opts.dtype ?? 'float32') as D;
    if (!(this.dtype in ARRAY_TYPES)) throw new RangeError(`Box: dtype must be float32 or uint8, received ${describeValue(this.dtype)}`);
    const inferred = typeof opts.low !== 'number' ? [opts.low.length] : typeof opts.high !== 'number' ? [opts.high.length] : undefined;
    const shape = opts.shape ?? inferred;
    if (shape === undefined) throw new RangeError('Box: give a shape, or low/high as arrays');
    checkShape(shape, 'Box');
    this.shape = [...shape];
    this.size = shapeSize(shape);
    this.low = broadcast(opts.low, this.size, 'low');
    this.high = broadcast(opts.high, this.size, 'high');
    for (let i = 0; i < this.size; i++) {
      if (Number.isNaN(this.low[i]) || Number.isNaN(this.high[i]) || this.low[i] > this.high[i]) {
        throw new RangeError(`Box: low[${i}]=${this.low[i]} must be <= high[${i}]=${this.high[i]}`);
      }
    }
  }

  /** A zero-filled value of the right type and length (zeros need not lie inside the box). */
  zeros(): BoxArrays[D] {
    return new ARRAY_TYPES[this.dtype](this.size) as BoxArrays[D];
  }

  /** Uniform where bounded on both sides, shifted exponential where bounded on one, normal where unbounded. */
  sample(rng: Rng = this.rng): BoxArrays[D] {
    const out = this.zeros();
    const isInt = this.dtype === 'uint8';
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      let v: number;
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        v = isInt ? lo + rng.int(hi - lo + 1) : rng.uniform(lo, hi);
      } else if (Number.isFinite(lo)) {
        v = lo - Math.log(1 - rng.random());
      } else if (Number.isFinite(hi)) {
        v = hi + Math.log(1 - rng.random());
      } else {
        v = rng.normal();
      }
      out[i] = v;
    }
    return out;
  }

  override contains(x: unknown): x is BoxArrays[D] {
    if (!(x instanceof ARRAY_TYPES[this.dtype]) || x.length !== this.size) return false;
    const low = this.low;
    const high = this.high;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!(v >= low[i] && v <= high[i])) return false;
    }
    return true;
  }

  explain(x: unknown): string | null {
    const Ctor = ARRAY_TYPES[this.dtype];
    if (!(x instanceof Ctor)) return `expected a ${Ctor.name} of length ${this.size} (shape [${this.shape.join(', ')}]), received ${describeValue(x)}`;
    if (x.length !== this.size) return `expected length ${this.size} (shape [${this.shape.join(', ')}]), received length ${x.length}`;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!(v >= this.low[i] && v <= this.high[i])) {
        const at = this.shape.length > 1 ? ` (position [${multiIndex(i, this.shape).join(', ')}])` : '';
        return `index ${i}${at} has value ${v}, outside [${this.low[i]}, ${this.high[i]}]`;
      }
    }
    return null;
  }

  /** True when every element has finite bounds on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.size; i++) if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) return false;
    return true;
  }

  toJSON(): SpaceJSON {
    return { type: 'Box', shape: [...this.shape], dtype: this.dtype, low: bound(this.low), high: bound(this.high) };
  }

  override toString(): string {
    const b = (a: Float32Array): string => {
      const j = bound(a);
      return Array.isArray(j) ? '[...]' : String(j);
    };
    return `Box(${b(this.low)}, ${b(this.high)}, [${this.shape.join(', ')}], ${this.dtype})`;
  }
}

function broadcast(v: number | ArrayLike<number>, size: number, name: string): Float32Array {
  if (typeof v === 'number') return new Float32Array(size).fill(v);
  if (v.length !== size) throw new RangeError(`Box: ${name} has length ${v.length}, shape needs ${size}`);
  return Float32Array.from(v);
}

/** Bounds as JSON: a single number when all equal; infinities as the strings "inf"/"-inf". */
function bound(a: Float32Array): number | string | Array<number | string> {
  const enc = (x: number): number | string => (x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x);
  if (a.every((x) => x === a[0])) return enc(a[0]);
  return Array.from(a, enc);
}
