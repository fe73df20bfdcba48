/**
 * Hands out fresh typed arrays of one length, cut as consecutive views from a larger slab that is replaced when
 * full: no two overlap, and nothing is written to one once handed out. Allocating each small typed array on its own
 * costs Node microseconds (its memory lives outside the JS heap); slabs make observations several times cheaper.
 * A kept observation keeps its slab alive, and `obs.buffer` is the slab (use `byteOffset`/`length` for the bytes).
 */
export class Slab<T extends Float32Array | Uint8Array> {
  private slab: T;
  private offset = 0;
  private readonly slabLength: number;

  constructor(
    private readonly make: (length: number) => T,
    /** Elements in each array handed out. */
    readonly size: number,
    /** Bytes per element. */
    bytesPerElement: number,
  ) {
    // At least 64 KiB and 16 arrays a slab: few allocations, little memory held by a kept observation.
    this.slabLength = size * Math.max(16, Math.ceil(65536 / bytesPerElement / Math.max(1, size)));
    this.slab = make(0);
  }

  /** A fresh, zero-filled array of `size` elements. */
  next(): T {
    const n = this.size;
    if (this.offset + n > this.slab.length) {
      this.slab = this.make(this.slabLength);
      this.offset = 0;
    }
    const out = this.slab.subarray(this.offset, this.offset + n) as T;
    this.offset += n;
    return out;
  }
}
