import { z } from 'zod';

/** JSON form of a space (version 1), as written into episode headers and checkpoints. */
export type SpaceJSON =
  | { type: 'Discrete'; n: number; start: number }
  | { type: 'Box'; shape: number[]; dtype: 'float32' | 'uint8'; low: BoundJSON; high: BoundJSON }
  | { type: 'MultiBinary'; n: number }
  | { type: 'MultiDiscrete'; nvec: number[] }
  | { type: 'Dict'; spaces: Record<string, SpaceJSON> }
  | { type: 'Tuple'; spaces: SpaceJSON[] };

/** A bound: one number for all elements or one per element; infinities as "inf" / "-inf". */
export type BoundJSON = number | string | Array<number | string>;

const scalarBound = z.union([z.number(), z.enum(['inf', '-inf'])]);
const positiveInt = z.number().int().positive();

export const spaceJSONSchema: z.ZodType<SpaceJSON> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('Discrete'), n: positiveInt, start: z.number().int() }),
    z.object({
      type: z.literal('Box'),
      shape: z.array(positiveInt),
      dtype: z.enum(['float32', 'uint8']),
      low: z.union([scalarBound, z.array(scalarBound)]),
      high: z.union([scalarBound, z.array(scalarBound)]),
    }),
    z.object({ type: z.literal('MultiBinary'), n: positiveInt }),
    z.object({ type: z.literal('MultiDiscrete'), nvec: z.array(positiveInt).min(1) }),
    z.object({ type: z.literal('Dict'), spaces: z.record(z.string(), spaceJSONSchema) }),
    z.object({ type: z.literal('Tuple'), spaces: z.array(spaceJSONSchema).min(1) }),
  ]),
);
