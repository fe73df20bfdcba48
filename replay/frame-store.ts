import { copyRun, makeStorage } from './copy.ts';
import type { ObsDtype, ObsStorage } from './types.ts';

/** Where the k frames sit in a stacked observation (same meaning as core's `FrameStack` wrapper). */
export type FrameAxis = 'first' | 'last';
/** What fills a stack before an episode's first frame: copies of that frame (Gymnasium default) or zeros. */
export type FramePadding = 'reset' | 'zero';

export interface FrameStoreConfig {
  dtype: ObsDtype;
  /** k, frames per stacked observation. */
  frames: number;
  /** Elements per frame. */
  frameSize: number;
  /** Size of the last axis of a frame; `last` stacking interleaves per group of this many elements. */
  channels: number;
  axis: FrameAxis;
  padding: FramePadding;
  /** Frames kept (ring size). */
  capacity: number;
}

/**
 * A ring of single frames for stacked observations, each stored once (the Dopamine / DQN-Zoo layout).
 *
 * Frames get consecutive absolute ids (0, 1, 2, ...); id `f` lives in slot `f % capacity` until `capacity` more
 * frames have been written. Each frame records the id of the frame before it in its episode (`prev`, -1 for the
 * episode's first stored frame), so a stacked observation is one id — its newest frame — and is rebuilt by
 * following `prev` k-1 times, padding before the episode's first frame (with that frame, or zeros). Links rather
 * than "the previous slot" let several envs (streams) write into one ring interleaved, and let n-step transitions
 * refer to observations several steps apart.
 *
 * Before each write the store calls `beforeWrite(oldestLiveAfter)` so the owner can drop transitions that refer
 * to the frame about to be overwritten.
 */
export class FrameStore {
  readonly config: FrameStoreConfig;
  readonly data: ObsStorage;
  readonly prev: Float64Array;
  /** Frames written so far: the next frame's id. Ids are never reused, not even after `clear`. */
  written = 0;
  /** Ids below this were dropped by `clear` (or not restored by `import`). */
  private floor = 0;
  private readonly views: ObsStorage[];
  private readonly chain: Float64Array;
  private readonly k: number;
  private readonly frameSize: number;
  private readonly cap: number;

  constructor(
    config: FrameStoreConfig,
    private readonly beforeWrite: (oldestLiveAfter: number) => void,
  ) {
    this.config = config;
    this.k = config.frames;
    this.frameSize = config.frameSize;
    this.cap = config.capacity;
    this.data = makeStorage(config.dtype, config.capacity * config.frameSize);
    this.prev = new Float64Array(config.capacity).fill(-1);
    this.views = new Array<ObsStorage>(config.capacity);
    for (let s = 0; s < config.capacity; s++) this.views[s] = this.data.subarray(s * config.frameSize, (s + 1) * config.frameSize);
    this.chain = new Float64Array(config.frames);
  }

  /** Elements in one stacked observation. */
  get stackSize(): number {
    return this.k * this.frameSize;
  }

  /** Smallest id still stored. */
  get oldestLive(): number {
    const ringStart = this.written - this.cap;
    return ringStart > this.floor ? ringStart : this.floor;
  }

  /** Forgets every frame; ids keep counting, so handles taken before stay invalid. */
  clear(): void {
    this.floor = this.written;
    this.prev.fill(-1);
  }

  /**
   * The oldest frame id the stack whose newest frame is `id` reads, or -1 when some frame it needs has been
   * overwritten (or `id` was never written).
   */
  oldestNeeded(id: number): number {
    const lo = this.oldestLive;
    if (!(id >= lo && id < this.written)) return -1;
    let cur = id;
    for (let j = 1; j < this.k; j++) {
      const p = this.prev[cur % this.cap];
      if (p < 0) break;
      if (p < lo) return -1;
      cur = p;
    }
    return cur;
  }

  /** Whether the stack ending at `id` will still be whole after `writes` more frames are written. */
  survives(id: number, writes: number): boolean {
    const oldest = this.oldestNeeded(id);
    return oldest >= 0 && oldest >= this.written + writes - this.cap;
  }

  /**
   * Stores a stacked observation that continues the one ending at `after` (its frames 0..k-2 are frames 1..k-1
   * of `after`'s stack): only its newest frame is written. Returns the new frame's id.
   */
  writeNext(stack: ArrayLike<number>, after: number): number {
    return this.writeFrame(stack, this.k - 1, after);
  }

  /**
   * Stores a stacked observation that continues nothing (an episode start): its leading padding is detected and
   * skipped (a reset stack [f, f, f, f] costs one frame), the remaining frames are written as a chain.
   * Returns the id of its newest frame.
   */
  writeFresh(stack: ArrayLike<number>): number {
    const k = this.k;
    let first = 0;
    if (this.config.padding === 'reset') {
      while (first < k - 1 && this.stackFramesEqual(stack, first, first + 1)) first++;
    } else {
      while (first < k - 1 && this.stackFrameIsZero(stack, first)) first++;
    }
    let id = -1;
    for (let j = first; j < k; j++) id = this.writeFrame(stack, j, id);
    return id;
  }

  /** Rebuilds the stack whose newest frame is `id` into `out` at `offset` (stackSize elements). */
  read(id: number, out: ObsStorage, offset: number): void {
    const { k, frameSize, chain } = this;
    this.fillChain(id);
    if (this.config.axis === 'first') {
      for (let j = 0; j < k; j++) {
        const f = chain[j];
        if (f < 0) out.fill(0, offset + j * frameSize, offset + (j + 1) * frameSize);
        else out.set(this.views[f % this.cap], offset + j * frameSize);
      }
    } else {
      const c = this.config.channels;
      const stride = c * k;
      const data = this.data;
      for (let j = 0; j < k; j++) {
        const f = chain[j];
        const base = f < 0 ? -1 : (f % this.cap) * frameSize;
        for (let p = 0, q = offset + j * c; p < frameSize; p += c, q += stride) {
          for (let ch = 0; ch < c; ch++) out[q + ch] = base < 0 ? 0 : data[base + p + ch];
        }
      }
    }
  }

  /**
   * Whether `stack` equals the stored stack ending at `id` shifted by `shift` frames: shift 0 compares the whole
   * stack, shift 1 checks that `stack` continues it (stack frames 0..k-2 against stored frames 1..k-1).
   */
  matches(stack: ArrayLike<number>, id: number, shift: 0 | 1): boolean {
    const { k, frameSize, chain } = this;
    this.fillChain(id);
    for (let j = 0; j + shift < k; j++) {
      const f = chain[j + shift];
      const base = f < 0 ? -1 : (f % this.cap) * frameSize;
      for (let e = 0; e < frameSize; e++) {
        const stored = base < 0 ? 0 : this.data[base + e];
        if (stored !== this.stackElement(stack, j, e)) return false;
      }
    }
    return true;
  }

  /** chain[j] = id of frame j of the stack ending at `id` (oldest first); -1 for a zero-padding frame. */
  private fillChain(id: number): void {
    const zeroPad = this.config.padding === 'zero';
    let cur = id;
    for (let j = this.k - 1; j >= 0; j--) {
      this.chain[j] = cur;
      if (cur >= 0) {
        const p = this.prev[cur % this.cap];
        if (p >= 0) cur = p;
        else if (zeroPad) cur = -1;
        // reset padding: stay on the episode's first frame
      }
    }
  }

  private writeFrame(stack: ArrayLike<number>, j: number, prevId: number): number {
    this.beforeWrite(this.written + 1 - this.cap);
    const id = this.written;
    const slot = id % this.cap;
    const { frameSize } = this;
    if (this.config.axis === 'first') {
      copyRun(stack, j * frameSize, this.data, slot * frameSize, frameSize);
    } else {
      const c = this.config.channels;
      const stride = c * this.k;
      const data = this.data;
      for (let p = 0, q = j * c, d = slot * frameSize; p < frameSize; p += c, q += stride, d += c) {
        for (let ch = 0; ch < c; ch++) data[d + ch] = stack[q + ch];
      }
    }
    this.prev[slot] = prevId;
    this.written = id + 1;
    return id;
  }

  /** Element `e` of frame `j` of a stacked observation. */
  private stackElement(stack: ArrayLike<number>, j: number, e: number): number {
    if (this.config.axis === 'first') return stack[j * this.frameSize + e];
    const c = this.config.channels;
    const p = Math.floor(e / c);
    return stack[p * c * this.k + j * c + (e - p * c)];
  }

  private stackFramesEqual(stack: ArrayLike<number>, a: number, b: number): boolean {
    for (let e = 0; e < this.frameSize; e++) if (this.stackElement(stack, a, e) !== this.stackElement(stack, b, e)) return false;
    return true;
  }

  private stackFrameIsZero(stack: ArrayLike<number>, j: number): boolean {
    for (let e = 0; e < this.frameSize; e++) if (this.stackElement(stack, j, e) !== 0) return false;
    return true;
  }

  /** Live frames in id order: their data and `prev` links (for serialisation). */
  export(): { first: number; data: ObsStorage; prev: Float64Array } {
    const first = this.oldestLive;
    const n = this.written - first;
    const data = makeStorage(this.config.dtype, n * this.frameSize);
    const prev = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const slot = (first + i) % this.cap;
      data.set(this.views[slot], i * this.frameSize);
      prev[i] = this.prev[slot];
    }
    return { first, data, prev };
  }

  /** Inverse of `export`: the last `prev.length` frames before `written`, with their links. */
  import(written: number, data: ArrayLike<number>, prev: ArrayLike<number>): void {
    this.prev.fill(-1);
    this.written = written;
    this.floor = written - prev.length;
    const first = this.floor;
    for (let i = 0; i < prev.length; i++) {
      const slot = (first + i) % this.cap;
      copyRun(data, i * this.frameSize, this.data, slot * this.frameSize, this.frameSize);
      this.prev[slot] = prev[i];
    }
  }
}
