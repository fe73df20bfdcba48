import type { Rng } from '../rng.ts';
import { SpaceBase, describeValue, type Space, type SpaceValue } from './space.ts';
import type { SpaceJSON } from './space-json.ts';

type DictValue<S extends Record<string, Space<unknown>>> = { [K in keyof S]: SpaceValue<S[K]> };

/** A record of named sub-spaces (Gymnasium `Dict`). */
export class Dict<S extends Record<string, Space<unknown>>> extends SpaceBase<DictValue<S>> {
  readonly shape: readonly number[] = [];
  readonly dtype = 'object' as const;

  constructor(readonly spaces: S) {
    super();
    if (Object.keys(spaces).length === 0) throw new RangeError('Dict: needs at least one sub-space');
  }

  sample(rng: Rng = this.rng): DictValue<S> {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(this.spaces)) out[k] = s.sample(rng);
    return out as DictValue<S>;
  }

  override seed(seed?: number): number {
    const used = super.seed(seed);
    let i = 0;
    for (const s of Object.values(this.spaces)) s.seed(used + ++i);
    return used;
  }

  explain(x: unknown): string | null {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return `expected an object with keys [${Object.keys(this.spaces).join(', ')}], received ${describeValue(x)}`;
    const rec = x as Record<string, unknown>;
    for (const [k, s] of Object.entries(this.spaces)) {
      if (!(k in rec)) return `missing key "${k}"`;
      const why = s.explain(rec[k]);
      if (why !== null) return `at key "${k}": ${why}`;
    }
    for (const k of Object.keys(rec)) if (!(k in this.spaces)) return `unexpected key "${k}"`;
    return null;
  }

  toJSON(): SpaceJSON {
    const spaces: Record<string, SpaceJSON> = {};
    for (const [k, s] of Object.entries(this.spaces)) spaces[k] = s.toJSON();
    return { type: 'Dict', spaces };
  }

  override toString(): string {
    return `Dict(${Object.entries(this.spaces).map(([k, s]) => `${k}: ${s.toString()}`).join(', ')})`;
  }
}

type TupleValue<S extends readonly Space<unknown>[]> = { [K in keyof S]: SpaceValue<S[K]> };

/** A fixed-length list of sub-spaces (Gymnasium `Tuple`). */
export class Tuple<S extends readonly Space<unknown>[]> extends SpaceBase<TupleValue<S>> {
  readonly shape: readonly number[] = [];
  readonly dtype = 'object' as const;

  constructor(readonly spaces: S) {
    super();
    if (spaces.length === 0) throw new RangeError('Tuple: needs at least one sub-space');
  }

  sample(rng: Rng = this.rng): TupleValue<S> {
    return this.spaces.map((s) => s.sample(rng)) as unknown as TupleValue<S>;
  }

  override seed(seed?: number): number {
    const used = super.seed(seed);
    this.spaces.forEach((s, i) => s.seed(used + i + 1));
    return used;
  }

  explain(x: unknown): string | null {
    if (!Array.isArray(x)) return `expected an array of length ${this.spaces.length}, received ${describeValue(x)}`;
    if (x.length !== this.spaces.length) return `expected length ${this.spaces.length}, received length ${x.length}`;
    for (let i = 0; i < x.length; i++) {
      const why = this.spaces[i].explain(x[i]);
      if (why !== null) return `at element ${i}: ${why}`;
    }
    return null;
  }

  toJSON(): SpaceJSON {
    return { type: 'Tuple', spaces: this.spaces.map((s) => s.toJSON()) };
  }

  override toString(): string {
    return `Tuple(${this.spaces.map((s) => s.toString()).join(', ')})`;
  }
}
