import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib/PNG one) of `data`, continuing from `previous` (the CRC of the bytes before it).
 * Node's own `zlib.crc32` where it exists (Node >= 20.15); a table-driven version otherwise.
 */
export function crc32(data: Uint8Array, previous = 0): number {
  // Node 20's zlib.crc32 returns 0, dropping `previous`, for a view of a zero-length ArrayBuffer
  // (`new Uint8Array(new Float32Array(0).buffer)`); an empty chunk changes nothing anyway.
  if (data.length === 0) return previous >>> 0;
  return nativeCrc32 !== undefined ? nativeCrc32(data, previous) : tableCrc32(data, previous);
}

type Crc32Fn = (data: Uint8Array, value?: number) => number;
const nativeCrc32: Crc32Fn | undefined = typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? zlib.crc32 : undefined;

let table: Uint32Array | undefined;

/** The portable fallback; exported for the test that checks it against `zlib.crc32`. */
export function tableCrc32(data: Uint8Array, previous = 0): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
