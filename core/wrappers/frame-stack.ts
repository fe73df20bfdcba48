import type { Env, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { Box, type BoxDtype } from '../spaces/box.ts';
import type { Space } from '../spaces/space.ts';
import { Wrapper, envName } from './wrapper.ts';

export interface FrameStackOptions {
  /** Where the frames go: `first` adds a leading axis `[k, ...shape]` (Gymnasium); `last` multiplies the
   * last axis by k, `[h, w, c*k]`, which is what channels-last conv nets (TF.js) want. Default `first`. */
  axis?: 'first' | 'last';
  /** What fills the stack after reset: copies of the reset observation (Gymnasium 1.x default) or zeros. */
  padding?: 'reset' | 'zero';
}

/** Stacks the last `k` observations of a Box env, oldest first (Gymnasium `FrameStackObservation`). */
export class FrameStack<O extends Float32Array | Uint8Array, A> extends Wrapper<O, A> {
  private readonly space: Box<BoxDtype>;
  private readonly frames: O[];
  private readonly frameSize: number;
  private readonly channels: number;
  private next = 0;
  readonly axis: 'first' | 'last';
  readonly padding: 'reset' | 'zero';

  constructor(
    env: Env<O, A>,
    readonly k: number,
    opts: FrameStackOptions = {},
  ) {
    super(env);
    const inner = env.observationSpace;
    if (!(inner instanceof Box)) throw new TypeError(`FrameStack: ${envName(env)} must have a Box observation space, has ${inner.toString()}`);
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`FrameStack: k must be a positive integer, received ${k}`);
    this.axis = opts.axis ?? 'first';
    this.padding = opts.padding ?? 'reset';
    const box = inner as unknown as Box<BoxDtype>;
    this.frameSize = box.size;
    const shape = box.shape;
    this.channels = shape[shape.length - 1];
    const outShape = this.axis === 'first' ? [k, ...shape] : [...shape.slice(0, -1), this.channels * k];
    this.space = new Box({ shape: outShape, dtype: box.dtype, low: this.stackBound(box.low), high: this.stackBound(box.high) });
    this.frames = Array.from({ length: k }, () => box.zeros() as O);
  }

  override get observationSpace(): Space<O> {
    return this.space as unknown as Space<O>;
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    const r = this.env.reset(opts);
    for (const f of this.frames) {
      if (this.padding === 'reset') f.set(r.observation);
      else f.fill(0);
    }
    this.next = 0;
    this.frames[this.k - 1].set(r.observation);
    return { observation: this.stacked(), info: r.info };
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    this.frames[this.next].set(r.observation);
    this.next = (this.next + 1) % this.k;
    return { observation: this.stacked(), reward: r.reward, terminated: r.terminated, truncated: r.truncated, info: r.info };
  }

  /** Frame `next` is the oldest; frames are laid out oldest first. */
  private stacked(): O {
    const out = this.space.zeros() as O;
    const { k, frameSize, channels } = this;
    for (let j = 0; j < k; j++) {
      const f = this.frames[(this.next + j) % k];
      if (this.axis === 'first') {
        out.set(f, j * frameSize);
      } else {
        for (let p = 0, q = j * channels; p < frameSize; p += channels, q += channels * k) {
          for (let c = 0; c < channels; c++) out[q + c] = f[p + c];
        }
      }
    }
    return out;
  }

  private stackBound(b: Float32Array): Float32Array {
    const out = new Float32Array(b.length * this.k);
    for (let j = 0; j < this.k; j++) {
      if (this.axis === 'first') out.set(b, j * b.length);
      else for (let p = 0, q = j * this.channels; p < b.length; p += this.channels, q += this.channels * this.k) for (let c = 0; c < this.channels; c++) out[q + c] = b[p + c];
    }
    return out;
  }
}
