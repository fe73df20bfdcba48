import { Box } from '../spaces/box.ts';
import { Dict, Tuple } from '../spaces/composite.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import { MultiDiscrete } from '../spaces/multi-discrete.ts';
import type { Space } from '../spaces/space.ts';

/** Length of the flat float vector of a space's values (Gymnasium `flatdim`): Discrete and MultiDiscrete one-hot. */
export function flatDim(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiBinary) return space.n;
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof Dict || space instanceof Tuple) return subSpaces(space).reduce((a, s) => a + flatDim(s), 0);
  throw new TypeError(`flatDim: cannot flatten ${space.toString()}`);
}

/** The Box that flattened values live in. */
export function flattenSpace(space: Space<unknown>): Box {
  if (space instanceof Box) return new Box({ shape: [space.size], low: space.low, high: space.high });
  const low = new Float32Array(flatDim(space));
  const high = new Float32Array(low.length).fill(1);
  return new Box({ shape: [low.length], low, high });
}

/** Writes `x` flattened into `out` at `offset`; returns the offset after it. */
export function flattenInto(space: Space<unknown>, x: unknown, out: Float32Array, offset = 0): number {
  if (space instanceof Box) {
    out.set(x as ArrayLike<number>, offset);
    return offset + space.size;
  }
  if (space instanceof Discrete) {
    out.fill(0, offset, offset + space.n);
    out[offset + (x as number) - space.start] = 1;
    return offset + space.n;
  }
  if (space instanceof MultiBinary) {
    out.set(x as Uint8Array, offset);
    return offset + space.n;
  }
  if (space instanceof MultiDiscrete) {
    const v = x as Int32Array;
    for (let i = 0; i < space.nvec.length; i++) {
      out.fill(0, offset, offset + space.nvec[i]);
      out[offset + v[i]] = 1;
      offset += space.nvec[i];
    }
    return offset;
  }
  if (space instanceof Dict) {
    const rec = x as Record<string, unknown>;
    for (const [k, s] of Object.entries(space.spaces as Record<string, Space<unknown>>)) offset = flattenInto(s, rec[k], out, offset);
    return offset;
  }
  if (space instanceof Tuple) {
    const arr = x as unknown[];
    subSpaces(space).forEach((s, i) => {
      offset = flattenInto(s, arr[i], out, offset);
    });
    return offset;
  }
  throw new TypeError(`flattenInto: cannot flatten ${space.toString()}`);
}

/** A new Float32Array holding `x` flattened (Gymnasium `flatten`). */
export function flatten(space: Space<unknown>, x: unknown): Float32Array {
  const out = new Float32Array(flatDim(space));
  flattenInto(space, x, out, 0);
  return out;
}

function subSpaces(space: Dict<Record<string, Space<unknown>>> | Tuple<readonly Space<unknown>[]>): Space<unknown>[] {
  return space instanceof Dict ? Object.values(space.spaces) : [...space.spaces];
}
