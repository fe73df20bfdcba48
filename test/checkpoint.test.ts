import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectInvalid } from './helpers/expect-invalid.ts';
import { z } from 'zod';
import {
  CHECKPOINT_FORMAT_VERSION,
  checkpointArray,
  checkpointFileName,
  latestCheckpoint,
  listCheckpoints,
  readCheckpoint,
  saveRotating,
  writeCheckpoint,
  type CheckpointData,
} from '../core/checkpoint/index.ts';
import { crc32, tableCrc32 } from '../core/checkpoint/crc32.ts';
import { Rng } from '../core/rng.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arcade-ckpt-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function sample(): CheckpointData {
  const rng = new Rng(7);
  return {
    kind: 'dqn',
    meta: { config: { lr: 2.5e-4, gamma: 0.99, hidden: [64, 64], name: 'q' }, step: 1200, rng: { ...rng.getState() }, done: false, note: null },
    arrays: {
      weights: Float32Array.from([1.5, -2.25, Math.fround(0.1), 0]),
      moments: Float64Array.from([Math.PI, -1e-300, 1e300]),
      actions: Int32Array.from([-1, 0, 2147483647, -2147483648]),
      frames: Uint8Array.from([0, 1, 255]),
      ids: Uint32Array.from([0, 4294967295]),
      empty: new Float32Array(0),
      emptyBytes: new Uint8Array(0),
    },
  };
}


describe('crc32', () => {
  it('the table fallback agrees with zlib, also when continued', () => {
    const data = new Uint8Array(1000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
    expect(tableCrc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(tableCrc32(data)).toBe(zlib.crc32(data));
    expect(tableCrc32(data.subarray(400), tableCrc32(data.subarray(0, 400)))).toBe(zlib.crc32(data));
    expect(crc32(data)).toBe(zlib.crc32(data));
    // An empty view of an empty buffer continues the CRC (Node 20's zlib.crc32 alone would return 0).
    expect(crc32(new Uint8Array(new Float32Array(0).buffer), 12345)).toBe(12345);
  });
});

describe('writeCheckpoint / readCheckpoint', () => {
  it('round-trips meta and every dtype, empty arrays included', () => {
    const file = path.join(dir, 'a.ckpt');
    const data = sample();
    writeCheckpoint(file, { ...data, createdAt: '2024-01-02T03:04:05.000Z' });
    const ck = readCheckpoint(file, { expectKind: 'dqn' });
    expect(ck.kind).toBe('dqn');
    expect(ck.version).toBe(CHECKPOINT_FORMAT_VERSION);
    expect(ck.createdAt).toBe('2024-01-02T03:04:05.000Z');
    expect(ck.path).toBe(file);
    expect(ck.meta).toEqual(data.meta);
    expect(Object.keys(ck.arrays)).toEqual(Object.keys(data.arrays ?? {}));
    for (const [name, a] of Object.entries(data.arrays ?? {})) {
      const b = ck.arrays[name];
      expect(b.constructor).toBe(a.constructor);
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(b.byteOffset).toBe(0); // a fresh, aligned copy
      expect(b.buffer.byteLength).toBe(b.byteLength);
    }
    // The RNG state restores the exact stream.
    const r = new Rng(0);
    r.setState(ck.meta.rng as never);
    const ref = new Rng(7);
    expect(r.random()).toBe(ref.random());
  });

  it('lays the file out as documented: magic, version, header length, aligned data, CRC32 of the rest', () => {
    const file = path.join(dir, 'layout.ckpt');
    writeCheckpoint(file, { kind: 'x', meta: {}, arrays: { a: Uint8Array.of(1, 2, 3), b: Float64Array.of(1) } });
    const buf = fs.readFileSync(file);
    expect(buf.toString('latin1', 0, 8)).toBe('ARCADECK');
    expect(buf.readUInt32LE(8)).toBe(1);
    const h = buf.readUInt32LE(12);
    const header = JSON.parse(buf.toString('utf8', 16, 16 + h)) as { entries: Array<{ name: string; offset: number; byteLength: number; dtype: string; length: number }>; dataLength: number };
    expect(header.entries).toEqual([
      { name: 'a', dtype: 'uint8', length: 3, offset: 0, byteLength: 3 },
      { name: 'b', dtype: 'float64', length: 1, offset: 8, byteLength: 8 },
    ]);
    const dataStart = Math.ceil((16 + h) / 8) * 8;
    expect(buf.length).toBe(dataStart + header.dataLength + 4);
    expect(buf.readDoubleLE(dataStart + 8)).toBe(1);
    expect(buf.readUInt32LE(buf.length - 4)).toBe(zlib.crc32(buf.subarray(0, buf.length - 4)));
  });

  it('reads views into larger buffers as their own elements only', () => {
    const file = path.join(dir, 'view.ckpt');
    const big = Float32Array.from([9, 1, 2, 3, 9]);
    writeCheckpoint(file, { kind: 'x', meta: {}, arrays: { v: big.subarray(1, 4) } });
    expect(Array.from(readCheckpoint(file).arrays.v)).toEqual([1, 2, 3]);
  });

  it('round-trips a 10 MB array', () => {
    const file = path.join(dir, 'big.ckpt');
    const n = (10 * 1024 * 1024) / 4;
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (i % 1000) * 0.5 - i;
    writeCheckpoint(file, { kind: 'dqn', meta: { n }, arrays: { a } });
    const b = checkpointArray(readCheckpoint(file), 'a', 'float32', n);
    expect(b.length).toBe(n);
    expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
  });

  it('validates meta against a schema', () => {
    const file = path.join(dir, 'm.ckpt');
    writeCheckpoint(file, sample());
    const schema = z.object({ step: z.number(), config: z.object({ lr: z.number() }) });
    const ck = readCheckpoint(file, { metaSchema: schema });
    expect(ck.meta.config.lr).toBe(2.5e-4);
    expectInvalid(() => readCheckpoint(file, { metaSchema: z.object({ config: z.object({ lr: z.string() }) }) }), /m\.ckpt: meta does not match .*meta\.config\.lr: .*expected string, received number/);
  });

  it('checkpointArray checks presence, dtype and length', () => {
    const file = path.join(dir, 'c.ckpt');
    writeCheckpoint(file, sample());
    const ck = readCheckpoint(file);
    const w: Float32Array = checkpointArray(ck, 'weights', 'float32');
    expect(w.length).toBe(4);
    expectInvalid(() => checkpointArray(ck, 'nope', 'float32'), /c\.ckpt: no array 'nope' in this 'dqn' checkpoint \(it has weights, /);
    expectInvalid(() => checkpointArray(ck, 'weights', 'float64'), /array 'weights': expected float64, received float32/);
    expectInvalid(() => checkpointArray(ck, 'weights', 'float32', 5), /expected 5 values, received 4/);
  });

  it('rejects what it cannot write exactly, and writes nothing', () => {
    const file = path.join(dir, 'bad.ckpt');
    expectInvalid(() => writeCheckpoint(file, { kind: 'dqn', meta: { config: { lr: Number.NaN } } }), /writeCheckpoint\(.*bad\.ckpt\): meta\.config\.lr is NaN/);
    expectInvalid(() => writeCheckpoint(file, { kind: 'dqn', meta: { when: new Date() } }), /meta\.when is a Date/);
    expectInvalid(() => writeCheckpoint(file, { kind: 'dqn', meta: { w: new Float32Array(2) } }), /meta\.w is a Float32Array; typed arrays go in `arrays`/);
    expectInvalid(() => writeCheckpoint(file, { kind: '', meta: {} }), /kind must be a non-empty string/);
    expectInvalid(
      () => writeCheckpoint(file, { kind: 'dqn', meta: {}, arrays: { x: new Int16Array(2) as unknown as Int32Array } }),
      /arrays\.x: expected one of Float32Array, Float64Array, Int32Array, Uint8Array, Uint32Array, received a Int16Array/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectInvalid(() => writeCheckpoint(file, { kind: 'dqn', meta: cyclic }), /meta\.self refers back to itself/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('readCheckpoint errors', () => {
  function good(): { file: string; bytes: Buffer } {
    const file = path.join(dir, 'good.ckpt');
    writeCheckpoint(file, sample());
    return { file, bytes: fs.readFileSync(file) };
  }

  it('a flipped byte anywhere is a CRC32 mismatch', () => {
    const { file, bytes } = good();
    const dataByte = bytes.length - 10; // in the arrays
    // A data byte, a byte in the header that leaves it readable, one that breaks its JSON, the CRC itself.
    for (const at of [dataByte, 40, 16, bytes.length - 1]) {
      const copy = Buffer.from(bytes);
      copy[at] ^= 0x01;
      fs.writeFileSync(file, copy);
      expectInvalid(() => readCheckpoint(file), /good\.ckpt: corrupt: CRC32 mismatch/);
    }
  });

  it('bytes appended after the checksum are corruption', () => {
    const { file, bytes } = good();
    fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from('extra')]));
    expectInvalid(() => readCheckpoint(file), /corrupt: CRC32 mismatch .*\(and the file is 5 bytes longer than its header says\)/);
  });

  it('a cut-off file is truncated', () => {
    const { file, bytes } = good();
    for (const len of [bytes.length - 1, bytes.length - 20, 30, 12]) {
      fs.writeFileSync(file, bytes.subarray(0, len));
      expectInvalid(() => readCheckpoint(file), /good\.ckpt: truncated: the file is \d+ bytes/);
    }
    fs.writeFileSync(file, bytes.subarray(0, 5)); // a prefix of the magic
    expectInvalid(() => readCheckpoint(file), /truncated/);
  });

  it('garbage, an empty file and other formats are not checkpoints', () => {
    const file = path.join(dir, 'x.ckpt');
    fs.writeFileSync(file, '{"type":"header"}\n');
    expectInvalid(() => readCheckpoint(file), /x\.ckpt: not an arcade-rl checkpoint \(bad magic: it starts with "\{\\"type\\":", expected "ARCADECK"\)/);
    fs.writeFileSync(file, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    expectInvalid(() => readCheckpoint(file), /bad magic: it starts with bytes 00 01 02/);
    fs.writeFileSync(file, '');
    expectInvalid(() => readCheckpoint(file), /not an arcade-rl checkpoint: the file is empty/);
  });

  it('a newer format version is refused by name', () => {
    const { file, bytes } = good();
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(CHECKPOINT_FORMAT_VERSION + 1, 8);
    fs.writeFileSync(file, copy);
    expectInvalid(() => readCheckpoint(file), /checkpoint format version 2 is newer than this arcade-rl reads \(up to 1\)/);
  });

  it('a malformed header (with a valid CRC) names the path', () => {
    const file = path.join(dir, 'h.ckpt');
    const write = (header: unknown, data = Buffer.alloc(0)): void => {
      const h = Buffer.from(JSON.stringify(header), 'utf8');
      const start = Math.ceil((16 + h.length) / 8) * 8;
      const body = Buffer.alloc(start + data.length);
      body.write('ARCADECK', 0, 'latin1');
      body.writeUInt32LE(1, 8);
      body.writeUInt32LE(h.length, 12);
      h.copy(body, 16);
      data.copy(body, start);
      const crc = Buffer.alloc(4);
      crc.writeUInt32LE(zlib.crc32(body), 0);
      fs.writeFileSync(file, Buffer.concat([body, crc]));
    };
    const base = { kind: 'dqn', createdAt: 'now', meta: {}, entries: [], dataLength: 0 };
    write(base);
    expect(readCheckpoint(file).kind).toBe('dqn');
    write({ ...base, entries: [{ name: 'a', dtype: 'float16', length: 1, offset: 0, byteLength: 2 }], dataLength: 8 }, Buffer.alloc(8));
    expectInvalid(() => readCheckpoint(file), /h\.ckpt: malformed header: entries\[0\]\.dtype: /);
    write({ ...base, meta: [] });
    expectInvalid(() => readCheckpoint(file), /malformed header: meta: .*expected record, received array/);
    write({ ...base, entries: [{ name: 'a', dtype: 'float32', length: 3, offset: 0, byteLength: 8 }], dataLength: 16 }, Buffer.alloc(16));
    expectInvalid(() => readCheckpoint(file), /entries\[0\] \('a'\)\.byteLength: expected 12 \(3 float32 values\), received 8/);
    write({ ...base, entries: [{ name: 'a', dtype: 'uint8', length: 8, offset: 8, byteLength: 8 }], dataLength: 8 }, Buffer.alloc(8));
    expectInvalid(() => readCheckpoint(file), /ends at 16, past dataLength 8/);
    write({ ...base, dataLength: 8 });
    expectInvalid(() => readCheckpoint(file), /malformed header: the file is \d+ bytes, its header describes/);
    write('not an object');
    expectInvalid(() => readCheckpoint(file), /malformed header: \(root\): .*expected object/);
  });

  it('the wrong kind is named', () => {
    const file = path.join(dir, 'ppo.ckpt');
    writeCheckpoint(file, { kind: 'ppo', meta: {} });
    expectInvalid(() => readCheckpoint(file, { expectKind: 'dqn' }), /ppo\.ckpt: checkpoint holds a 'ppo' agent, expected 'dqn'/);
  });
});

describe('atomic writes', () => {
  it('leaves no temporary file after success, and replaces the previous checkpoint', () => {
    const file = path.join(dir, 'a.ckpt');
    writeCheckpoint(file, { kind: 'dqn', meta: { v: 1 } });
    writeCheckpoint(file, { kind: 'dqn', meta: { v: 2 } });
    expect(fs.readdirSync(dir)).toEqual(['a.ckpt']);
    expect(readCheckpoint(file).meta).toEqual({ v: 2 });
  });

  it('a failure mid-write leaves the previous checkpoint untouched and no temporary file', () => {
    const file = path.join(dir, 'a.ckpt');
    writeCheckpoint(file, sample());
    const before = fs.readFileSync(file);

    // An array whose bytes cannot be read: the failure comes while the temporary file is being written.
    let sawTmp = false;
    const poisoned = new Float32Array(4);
    Object.defineProperty(poisoned, 'buffer', {
      get() {
        sawTmp = fs.readdirSync(dir).some((n) => n.startsWith('a.ckpt.tmp-'));
        throw new Error('disk full (simulated)');
      },
    });
    expect(() => writeCheckpoint(file, { kind: 'dqn', meta: { v: 2 }, arrays: { ok: new Float32Array(1000), poisoned } })).toThrow('disk full (simulated)');
    expect(sawTmp).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['a.ckpt']);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(readCheckpoint(file).meta).toEqual(sample().meta);
  });

  it('creates the parent folder', () => {
    const file = path.join(dir, 'a', 'b', 'c.ckpt');
    writeCheckpoint(file, { kind: 'x', meta: {} });
    expect(readCheckpoint(file).kind).toBe('x');
  });
});

describe('rotating checkpoints', () => {
  it('names files by step and finds the latest by number, not by text', () => {
    expect(checkpointFileName(123456)).toBe('step-000123456.ckpt');
    expect(checkpointFileName(12345678901)).toBe('step-12345678901.ckpt');
    expect(latestCheckpoint(path.join(dir, 'missing'))).toBeUndefined();
    expect(latestCheckpoint(dir)).toBeUndefined();
    for (const name of ['step-000000900.ckpt', 'step-1000000000.ckpt', 'step-000005000.ckpt', 'step-000009999.ckpt.tmp-1-ab', 'notes.txt', 'step-x.ckpt']) {
      fs.writeFileSync(path.join(dir, name), '');
    }
    expect(latestCheckpoint(dir)).toEqual({ step: 1000000000, path: path.join(dir, 'step-1000000000.ckpt') });
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([900, 5000, 1000000000]);
  });

  it('saveRotating keeps the newest `keep` and writes nothing else', () => {
    const run = path.join(dir, 'run', 'checkpoints');
    for (const step of [100, 200, 300, 400, 500]) {
      const p = saveRotating(run, step, { kind: 'dqn', meta: { step } }, { keep: 3 });
      expect(p).toBe(path.join(run, checkpointFileName(step)));
    }
    expect(fs.readdirSync(run).sort()).toEqual(['step-000000300.ckpt', 'step-000000400.ckpt', 'step-000000500.ckpt']);
    const latest = latestCheckpoint(run);
    expect(latest?.step).toBe(500);
    expect(readCheckpoint(latest?.path ?? '').meta).toEqual({ step: 500 });
    // Default keep is 3; a run resumed from an older checkpoint does not delete the newer ones.
    saveRotating(run, 350, { kind: 'dqn', meta: {} });
    expect(listCheckpoints(run).map((c) => c.step)).toEqual([350, 400, 500]);
    expectInvalid(() => saveRotating(run, 600, { kind: 'dqn', meta: {} }, { keep: 0 }), /keep: expected a positive integer, received 0/);
    expectInvalid(() => saveRotating(run, -1, { kind: 'dqn', meta: {} }), /step: expected a non-negative integer, received -1/);
  });
});
