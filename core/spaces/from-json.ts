import { InvalidInputError } from '../errors.ts';
import { formatZodError } from '../validation.ts';
import { Box } from './box.ts';
import { Dict, Tuple } from './composite.ts';
import { Discrete } from './discrete.ts';
import { MultiBinary } from './multi-binary.ts';
import { MultiDiscrete } from './multi-discrete.ts';
import type { Space } from './space.ts';
import { spaceJSONSchema, type BoundJSON, type SpaceJSON } from './space-json.ts';

/** Rebuilds a space from its `toJSON()` form; throws `InvalidInputError` naming the bad path. */
export function spaceFromJSON(json: unknown): Space<unknown> {
  const parsed = spaceJSONSchema.safeParse(json);
  if (!parsed.success) throw new InvalidInputError(`invalid space description: ${formatZodError(parsed.error)}`);
  return build(parsed.data);
}

function build(j: SpaceJSON): Space<unknown> {
  switch (j.type) {
    case 'Discrete':
      return new Discrete(j.n, j.start);
    case 'Box':
      return new Box({ shape: j.shape, dtype: j.dtype, low: decode(j.low), high: decode(j.high) });
    case 'MultiBinary':
      return new MultiBinary(j.n);
    case 'MultiDiscrete':
      return new MultiDiscrete(j.nvec);
    case 'Dict': {
      const spaces: Record<string, Space<unknown>> = {};
      for (const [k, s] of Object.entries(j.spaces)) spaces[k] = build(s);
      return new Dict(spaces);
    }
    case 'Tuple':
      return new Tuple(j.spaces.map(build));
  }
}

function decode(b: BoundJSON): number | number[] {
  const one = (x: number | string): number => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x));
  return Array.isArray(b) ? b.map(one) : one(b);
}
