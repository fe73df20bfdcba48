import * as fs from 'node:fs';
import * as os from 'node:os';
import type { z } from 'zod';
import { InvalidInputError } from '../errors.ts';
import { describeValue } from '../spaces/space.ts';
import { formatZodError } from '../validation.ts';
import { writeAllSync, writeFileAtomicSync } from './atomic.ts';
import { crc32 } from './crc32.ts';
import {
  ALIGN,
  CHECKPOINT_DTYPES,
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_MAGIC,
  CRC_BYTES,
  DTYPE_NAMES,
  PREFIX_BYTES,
  alignUp,
  checkpointHeaderSchema,
  dtypeOf,
  type CheckpointArray,
  type CheckpointArrayOf,
  type CheckpointDtype,
  type CheckpointEntry,
  type CheckpointHeader,
} from './format.ts';
import { assertJson, type JsonObject } from './json.ts';

/** What `writeCheckpoint` stores. */
export interface CheckpointData {
  /** What the checkpoint holds, e.g. `'dqn'`; `readCheckpoint(path, { expectKind })` checks it. */
  kind: string;
  /** Anything JSON: config, counters, RNG states. Checked: non-finite numbers, class instances, cycles are errors. */
  meta: Readonly<Record<string, unknown>>;
  /** Named typed arrays (weights, optimizer moments, replay storage), stored as raw little-endian bytes. */
  arrays?: Readonly<Record<string, CheckpointArray>>;
  /** ISO time; default now. */
  createdAt?: string;
}

/** A checkpoint read back. */
export interface Checkpoint<M = JsonObject> {
  /** The file it was read from. */
  path: string;
  kind: string;
  /** The format version of the file. */
  version: number;
  createdAt: string;
  meta: M;
  /** Fresh, aligned typed arrays of the dtypes they were written with. */
  arrays: Record<string, CheckpointArray>;
}

export interface ReadCheckpointOptions<M> {
  /** Throw unless the checkpoint's `kind` is this. */
  expectKind?: string;
  /** Validate `meta` with this schema (errors name the file and the path in meta); its output becomes `meta`. */
  metaSchema?: z.ZodType<M>;
}

const MAGIC_BYTES = Buffer.from(CHECKPOINT_MAGIC, 'latin1');

/**
 * Writes a checkpoint to `path` atomically (see `format.ts` for the layout): a temporary file in the same folder is
 * written, fsynced and renamed onto `path`, so `path` holds the previous checkpoint or the new one, never a part;
 * on error nothing is left behind. The parent folder is created if missing.
 * Throws `InvalidInputError` for a `meta` JSON cannot hold exactly or an array of an unsupported type.
 */
export function writeCheckpoint(path: string, data: CheckpointData): void {
  assertLittleEndian();
  const where = `writeCheckpoint(${path})`;
  if (typeof data.kind !== 'string' || data.kind === '') throw new InvalidInputError(`${where}: kind must be a non-empty string, received ${describeValue(data.kind)}`);
  if (typeof data.meta !== 'object' || data.meta === null || Array.isArray(data.meta)) {
    throw new InvalidInputError(`${where}: meta must be a plain object, received ${describeValue(data.meta)}`);
  }
  assertJson(data.meta, 'meta', where);

  const arrays: Array<[CheckpointEntry, CheckpointArray]> = [];
  let dataLength = 0;
  for (const [name, array] of Object.entries(data.arrays ?? {})) {
    const dtype = dtypeOf(array);
    if (dtype === undefined) {
      const what = ArrayBuffer.isView(array) ? `a ${array.constructor.name}` : describeValue(array);
      throw new InvalidInputError(`${where}: arrays.${name}: expected one of ${DTYPE_NAMES.map((d) => CHECKPOINT_DTYPES[d].name).join(', ')}, received ${what}`);
    }
    const byteLength = array.length * array.BYTES_PER_ELEMENT;
    arrays.push([{ name, dtype, length: array.length, offset: dataLength, byteLength }, array]);
    dataLength = alignUp(dataLength + byteLength);
  }

  const header: CheckpointHeader = {
    kind: data.kind,
    createdAt: data.createdAt ?? new Date().toISOString(),
    meta: data.meta as Record<string, unknown>,
    entries: arrays.map(([e]) => e),
    dataLength,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = alignUp(PREFIX_BYTES + headerBytes.length);
  const prefix = Buffer.alloc(dataStart); // zero padding included
  MAGIC_BYTES.copy(prefix, 0);
  prefix.writeUInt32LE(CHECKPOINT_FORMAT_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  headerBytes.copy(prefix, PREFIX_BYTES);
  const zeros = new Uint8Array(ALIGN);

  writeFileAtomicSync(path, (fd) => {
    let crc = 0;
    const put = (bytes: Uint8Array): void => {
      writeAllSync(fd, bytes);
      crc = crc32(bytes, crc);
    };
    put(prefix);
    let written = 0;
    for (const [entry, array] of arrays) {
      if (entry.offset > written) put(zeros.subarray(0, entry.offset - written));
      put(new Uint8Array(array.buffer, array.byteOffset, entry.byteLength));
      written = entry.offset + entry.byteLength;
    }
    if (dataLength > written) put(zeros.subarray(0, dataLength - written));
    const tail = Buffer.alloc(CRC_BYTES);
    tail.writeUInt32LE(crc, 0);
    writeAllSync(fd, tail);
  });
}

/**
 * Reads a checkpoint written by `writeCheckpoint`, checking everything before returning anything: the magic, the
 * format version, the size, the CRC-32, the header, and (with `expectKind`) what it holds. Every problem is an
 * `InvalidInputError` starting with the file name: not a checkpoint, truncated, corrupt (CRC32 mismatch), a newer
 * format version, a malformed header, or the wrong kind. Errors opening the file (ENOENT) are fs's own.
 * The arrays are read straight from the file into their typed arrays: no copy of the whole file is held.
 */
export function readCheckpoint<M = JsonObject>(path: string, opts: ReadCheckpointOptions<M> = {}): Checkpoint<M> {
  assertLittleEndian();
  const fail: (msg: string) => never = (msg) => {
    throw new InvalidInputError(`${path}: ${msg}`);
  };
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) fail('not an arcade-rl checkpoint: the file is empty');
    const prefix = readAt(fd, 0, Math.min(size, PREFIX_BYTES));
    const magic = prefix.subarray(0, Math.min(size, MAGIC_BYTES.length));
    if (!magic.equals(MAGIC_BYTES.subarray(0, magic.length))) {
      fail(`not an arcade-rl checkpoint (bad magic: it starts with ${describeBytes(magic)}, expected "${CHECKPOINT_MAGIC}")`);
    }
    if (size < PREFIX_BYTES) fail(`truncated: the file is ${size} bytes, shorter than the ${PREFIX_BYTES}-byte prefix of every checkpoint`);

    const version = prefix.readUInt32LE(8);
    if (version > CHECKPOINT_FORMAT_VERSION) {
      fail(`checkpoint format version ${version} is newer than this arcade-rl reads (up to ${CHECKPOINT_FORMAT_VERSION}); update arcade-rl`);
    }
    if (version === 0) fail('unknown checkpoint format version 0 (the file is corrupt)');

    const headerLength = prefix.readUInt32LE(12);
    const headerEnd = PREFIX_BYTES + headerLength;
    if (headerEnd + CRC_BYTES > size) fail(`truncated: the file is ${size} bytes, but its header alone says at least ${headerEnd + CRC_BYTES}`);
    const dataStart = alignUp(headerEnd);
    const headerBytes = readAt(fd, PREFIX_BYTES, headerLength);
    const stored = readAt(fd, size - CRC_BYTES, CRC_BYTES).readUInt32LE(0);

    // Nothing is trusted until the CRC matches. A header that reads well and agrees with the file's size is used to
    // read the arrays and the CRC in one pass; otherwise the CRC alone decides between corrupt (or truncated) and malformed.
    const header = parseHeader(headerBytes);
    const declared = typeof header === 'string' ? declaredSize(headerBytes, dataStart) : dataStart + header.dataLength + CRC_BYTES;
    if (typeof header === 'string' || declared !== size) {
      const actual = crc32Range(fd, prefix, headerBytes, size - CRC_BYTES);
      if (actual !== stored) crcFailure(fail, stored, actual, size, declared);
      fail(`malformed header: ${typeof header === 'string' ? header : `the file is ${size} bytes, its header describes ${declared}`}`);
    }

    let crc = crc32(headerBytes, crc32(prefix));
    let pos = headerEnd;
    const arrays: Record<string, CheckpointArray> = {};
    const scratch = Buffer.alloc(ALIGN);
    const skipTo = (to: number): void => {
      while (pos < to) {
        const n = Math.min(ALIGN, to - pos);
        crc = crc32(readInto(fd, scratch.subarray(0, n), pos), crc);
        pos += n;
      }
    };
    for (const e of header.entries) {
      skipTo(dataStart + e.offset);
      const out = new CHECKPOINT_DTYPES[e.dtype](e.length);
      crc = crc32(readInto(fd, new Uint8Array(out.buffer), pos), crc);
      pos += e.byteLength;
      arrays[e.name] = out;
    }
    skipTo(size - CRC_BYTES);
    if (crc !== stored) crcFailure(fail, stored, crc, size, declared);

    if (opts.expectKind !== undefined && header.kind !== opts.expectKind) {
      fail(`checkpoint holds a '${header.kind}' agent, expected '${opts.expectKind}'`);
    }
    let meta: M;
    if (opts.metaSchema !== undefined) {
      const m = opts.metaSchema.safeParse(header.meta);
      if (!m.success) fail(`meta does not match what a '${header.kind}' checkpoint holds: ${prefixPaths(formatZodError(m.error))}`);
      meta = (m as { data: M }).data;
    } else {
      meta = header.meta as M;
    }
    return { path, kind: header.kind, version, createdAt: header.createdAt, meta, arrays };
  } catch (err) {
    if (err instanceof ShortReadError) fail(err.message);
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The array `name` of a checkpoint, checked to exist and to be of `dtype` (and, with `length`, that long);
 * otherwise an `InvalidInputError` naming the file.
 */
export function checkpointArray<D extends CheckpointDtype>(checkpoint: Checkpoint<unknown>, name: string, dtype: D, length?: number): CheckpointArrayOf<D> {
  const a = Object.hasOwn(checkpoint.arrays, name) ? checkpoint.arrays[name] : undefined;
  if (a === undefined) {
    const have = Object.keys(checkpoint.arrays);
    throw new InvalidInputError(`${checkpoint.path}: no array '${name}' in this '${checkpoint.kind}' checkpoint (it has ${have.length === 0 ? 'none' : have.join(', ')})`);
  }
  const actual = dtypeOf(a);
  if (actual !== dtype) throw new InvalidInputError(`${checkpoint.path}: array '${name}': expected ${dtype}, received ${actual}`);
  if (length !== undefined && a.length !== length) {
    throw new InvalidInputError(`${checkpoint.path}: array '${name}': expected ${length} values, received ${a.length}`);
  }
  return a as CheckpointArrayOf<D>;
}

/** The header, or a message saying what is wrong with it. */
function parseHeader(bytes: Buffer): CheckpointHeader | string {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  const parsed = checkpointHeaderSchema.safeParse(raw);
  if (!parsed.success) return formatZodError(parsed.error);
  const header = parsed.data as CheckpointHeader;
  const names = new Set<string>();
  let end = 0;
  for (let i = 0; i < header.entries.length; i++) {
    const e = header.entries[i];
    const at = `entries[${i}] ('${e.name}')`;
    if (names.has(e.name)) return `${at}: the name appears twice`;
    names.add(e.name);
    const bytes = e.length * CHECKPOINT_DTYPES[e.dtype].BYTES_PER_ELEMENT;
    if (e.byteLength !== bytes) return `${at}.byteLength: expected ${bytes} (${e.length} ${e.dtype} values), received ${e.byteLength}`;
    if (e.offset % ALIGN !== 0) return `${at}.offset: expected a multiple of ${ALIGN}, received ${e.offset}`;
    if (e.offset < end) return `${at}.offset: overlaps the entry before it (which ends at ${end}), received ${e.offset}`;
    end = e.offset + e.byteLength;
    if (end > header.dataLength) return `${at}: ends at ${end}, past dataLength ${header.dataLength}`;
  }
  return header;
}

/** The file size a header declares, or undefined when not even `dataLength` can be read from it. */
function declaredSize(headerBytes: Buffer, dataStart: number): number | undefined {
  try {
    const h = JSON.parse(headerBytes.toString('utf8')) as { dataLength?: unknown };
    return typeof h.dataLength === 'number' && Number.isSafeInteger(h.dataLength) && h.dataLength >= 0 ? dataStart + h.dataLength + CRC_BYTES : undefined;
  } catch {
    return undefined;
  }
}

/** Throws the error for a CRC that does not match: truncated when the header declares more bytes than there are, else corrupt. */
function crcFailure(fail: (msg: string) => never, stored: number, actual: number, size: number, declared: number | undefined): never {
  if (declared !== undefined && size < declared) {
    fail(`truncated: the file is ${size} bytes, its header says ${declared} (was the write cut off, or the copy incomplete?)`);
  }
  const extra = declared !== undefined && size > declared ? ` (and the file is ${size - declared} bytes longer than its header says)` : '';
  return fail(`corrupt: CRC32 mismatch (stored ${hex32(stored)}, computed ${hex32(actual)})${extra}`);
}

/** CRC-32 of the file's bytes [0, end), the prefix and header already in memory. */
function crc32Range(fd: number, prefix: Buffer, headerBytes: Buffer, end: number): number {
  let crc = crc32(headerBytes, crc32(prefix));
  const chunk = Buffer.alloc(Math.min(1 << 24, Math.max(1, end)));
  for (let pos = prefix.length + headerBytes.length; pos < end; ) {
    const n = Math.min(chunk.length, end - pos);
    crc = crc32(readInto(fd, chunk.subarray(0, n), pos), crc);
    pos += n;
  }
  return crc;
}

/** The file got shorter while being read; `readCheckpoint` turns it into an error naming the file. */
class ShortReadError extends Error {}

function readAt(fd: number, position: number, length: number): Buffer {
  return readInto(fd, Buffer.alloc(length), position) as Buffer;
}

/** Fills all of `into` from the file at `position` (in chunks: one read call is limited to 2 GiB); returns `into`. */
function readInto(fd: number, into: Uint8Array, position: number): Uint8Array {
  const max = 1 << 30;
  for (let off = 0; off < into.length; ) {
    const n = fs.readSync(fd, into, off, Math.min(max, into.length - off), position + off);
    if (n === 0) throw new ShortReadError(`truncated: the file ended at byte ${position + off} while being read (was it changed meanwhile?)`);
    off += n;
  }
  return into;
}

function prefixPaths(zodMessage: string): string {
  return zodMessage.replace(/(^|; )(?!\(root\))/g, '$1meta.').replace(/\(root\)/g, 'meta');
}

function describeBytes(bytes: Uint8Array): string {
  const printable = Array.from(bytes).every((b) => b >= 0x20 && b < 0x7f);
  return printable ? JSON.stringify(Buffer.from(bytes).toString('latin1')) : `bytes ${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new InvalidInputError('arcade-rl checkpoints are little-endian; big-endian hosts are not supported');
}
