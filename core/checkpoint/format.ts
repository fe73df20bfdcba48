/**
 * The checkpoint file format (version 1): one binary file, little-endian.
 *
 * | bytes                  | holds                                                                     |
 * |------------------------|---------------------------------------------------------------------------|
 * | 0..8                   | magic `ARCADECK` (ASCII)                                                  |
 * | 8..12                  | format version, u32                                                       |
 * | 12..16                 | header length H in bytes, u32                                             |
 * | 16..16+H               | header: UTF-8 JSON `{ kind, createdAt, meta, entries, dataLength }`       |
 * | ..D                    | zero padding to D = the next multiple of 8                                |
 * | D..D+dataLength        | the arrays' bytes; entry `e` at D + e.offset (offsets multiples of 8)     |
 * | last 4 bytes           | CRC-32 (zlib's) of every byte before it, u32                              |
 *
 * `entries` is `[{ name, dtype, length, offset, byteLength }]`, `length` in elements. The magic and the version
 * stay where they are in every future version; everything after them may change with the version.
 */
import { z } from 'zod';

export const CHECKPOINT_MAGIC = 'ARCADECK';
export const CHECKPOINT_FORMAT_VERSION = 1;
/** Magic, version, header length. */
export const PREFIX_BYTES = 16;
export const CRC_BYTES = 4;
export const ALIGN = 8;

/** The typed arrays a checkpoint holds, by dtype name. */
export const CHECKPOINT_DTYPES = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint32: Uint32Array,
} as const;

export type CheckpointDtype = keyof typeof CHECKPOINT_DTYPES;
interface DtypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  uint8: Uint8Array;
  uint32: Uint32Array;
}
/** The typed array of a dtype: `CheckpointArrayOf<'float32'>` is `Float32Array` (over any buffer, shared ones included). */
export type CheckpointArrayOf<D extends CheckpointDtype> = DtypeArrays[D];
export type CheckpointArray = DtypeArrays[CheckpointDtype];

export const DTYPE_NAMES = Object.keys(CHECKPOINT_DTYPES) as CheckpointDtype[];

/** The dtype of `x`, or undefined when it is not one of the five typed arrays a checkpoint holds. */
export function dtypeOf(x: unknown): CheckpointDtype | undefined {
  // Exact classes: a Uint8ClampedArray or a subclass would read back as something else.
  if (typeof x !== 'object' || x === null) return undefined;
  const proto = Object.getPrototypeOf(x) as unknown;
  for (const name of DTYPE_NAMES) if (proto === CHECKPOINT_DTYPES[name].prototype) return name;
  return undefined;
}

export function alignUp(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

const count = z.number().int().nonnegative();

export const checkpointEntrySchema = z.object({
  name: z.string(),
  dtype: z.enum(DTYPE_NAMES as [CheckpointDtype, ...CheckpointDtype[]]),
  length: count,
  offset: count,
  byteLength: count,
});

export const checkpointHeaderSchema = z.object({
  kind: z.string().min(1),
  createdAt: z.string(),
  // Any JSON object; parsed JSON holds nothing else, so the values need no deeper check.
  meta: z.record(z.string(), z.unknown()),
  entries: z.array(checkpointEntrySchema),
  dataLength: count,
});

export type CheckpointEntry = z.infer<typeof checkpointEntrySchema>;
export type CheckpointHeader = z.infer<typeof checkpointHeaderSchema>;
