import { z } from 'zod';
import { ArcadeError, InvalidInputError, Rng, formatZodError, type RngState } from '../core/index.ts';
import { copyRow, makeStorage, rowViews } from './copy.ts';
import { FrameStore, type FrameAxis, type FramePadding } from './frame-store.ts';
import type { ActionArray, ActionInput, ActionKind, Flag, ObsArray, ObsDtype, ObsStorage, ReplayBatch } from './types.ts';

/** Frame-stacked observations: each frame is stored once and stacks are rebuilt at sample time. */
export interface ReplayFrameStackOptions {
  /** k, frames per stacked observation. */
  frames: number;
  /** Shape of one frame, e.g. [84, 84] or [84, 84, 1]. Give this or `frameSize`. */
  frameShape?: readonly number[];
  /** Elements per frame (when `frameShape` is not given). */
  frameSize?: number;
  /** Layout of the stack, as core's `FrameStack` wrapper: `first` = [k, ...frameShape] (default); `last` =
   * [...frameShape[:-1], channels * k], channels = frameShape's last dimension (1 when only frameSize is given). */
  axis?: FrameAxis;
  /** What precedes an episode's first frame in its stacks: copies of it (`reset`, default, Gymnasium's
   * FrameStack) or zeros. Match the wrapper to store one frame per episode start (a mismatch costs memory, not
   * correctness). */
  padding?: FramePadding;
  /** Frames kept in the ring. Default `capacity + ceil(capacity / 16) + 32 * frames`. Every env step writes one
   * frame and every episode start one more (up to k), so with very short episodes the ring fills before the
   * transition ring does and the oldest transitions are dropped early (`size` stays below `capacity`). */
  frameCapacity?: number;
  /** Verify on every `add` that the observation really is the previous next-observation of its stream (slow;
   * for tests and debugging). */
  checkFrames?: boolean;
}

export interface ReplayBufferOptions<D extends ObsDtype = ObsDtype, K extends ActionKind = ActionKind> {
  /** Transitions kept; the oldest is overwritten first. */
  capacity: number;
  /** Shape of one observation (ignored with `frameStack`, which implies it). Give this or `observationSize`. */
  observationShape?: readonly number[];
  observationSize?: number;
  /** `float32` (default) or `uint8` (pixels: 4x less memory). */
  dtype?: D;
  /** `discrete` (default, Int32Array) or `continuous` (Float32Array of `actionDim` per transition). */
  actionType?: K;
  /** Floats per continuous action (default 1). */
  actionDim?: number;
  /** Keep a per-transition `discounts` column (gamma^m of an m-step transition; see NStepAccumulator). */
  storeDiscounts?: boolean;
  frameStack?: ReplayFrameStackOptions;
  /** Seed of the sampling stream, or an Rng to draw from (shared, not copied). Default: OS entropy. */
  seed?: number | Rng;
}

/** The resolved, JSON-serialisable layout of a buffer (stored in `serialize().meta`). */
export interface ReplayBufferConfig {
  capacity: number;
  observationShape: number[];
  dtype: ObsDtype;
  actionType: ActionKind;
  actionDim: number;
  storeDiscounts: boolean;
  frameStack: {
    frames: number;
    frameShape: number[] | null;
    frameSize: number;
    channels: number;
    axis: FrameAxis;
    padding: FramePadding;
    frameCapacity: number;
    checkFrames: boolean;
  } | null;
}

/** Settings of a prioritized buffer, kept in `serialize().meta`. */
export interface PrioritizedMeta {
  alpha: number;
  beta: number;
  epsilon: number;
  maxPriority: number;
}

export interface ReplayBufferMeta {
  format: 'arcade-rl/replay-buffer';
  version: 1;
  kind: 'ReplayBuffer' | 'PrioritizedReplayBuffer';
  config: ReplayBufferConfig;
  /** Transitions stored (rows of every column array, oldest first). */
  size: number;
  /** Ring slot of the oldest transition: row i goes back to slot (start + i) % capacity, so slot indices (and
   * a prioritized buffer's sampling) are the same after a restore. */
  start?: number;
  rng: RngState;
  /** Frame-stacked buffers: frames written so far, and each stream's current observation (-1: none). */
  framesWritten?: number;
  streamHeads?: number[];
  prioritized?: PrioritizedMeta;
}

/**
 * A buffer as plain data: JSON-able `meta` plus typed arrays (each a fresh copy) — write the arrays as binary
 * blobs next to the meta in a checkpoint. Only stored transitions are written (oldest first) and only the frames
 * they can still read; a restore puts them back in the same slots.
 */
export interface SerializedReplayBuffer {
  meta: ReplayBufferMeta;
  arrays: Record<string, ArrayBufferView>;
}

const frameStackSchema = z.object({
  frames: z.number().int().positive(),
  frameShape: z.array(z.number().int().positive()).nullable(),
  frameSize: z.number().int().positive(),
  channels: z.number().int().positive(),
  axis: z.enum(['first', 'last']),
  padding: z.enum(['reset', 'zero']),
  frameCapacity: z.number().int().positive(),
  checkFrames: z.boolean(),
});

const metaSchema = z.object({
  format: z.literal('arcade-rl/replay-buffer'),
  version: z.literal(1),
  kind: z.enum(['ReplayBuffer', 'PrioritizedReplayBuffer']),
  config: z.object({
    capacity: z.number().int().positive(),
    observationShape: z.array(z.number().int().positive()),
    dtype: z.enum(['float32', 'uint8']),
    actionType: z.enum(['discrete', 'continuous']),
    actionDim: z.number().int().positive(),
    storeDiscounts: z.boolean(),
    frameStack: frameStackSchema.nullable(),
  }),
  size: z.number().int().nonnegative(),
  start: z.number().int().nonnegative().optional(),
  rng: z.object({ algorithm: z.literal('alea'), c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() }),
  framesWritten: z.number().int().nonnegative().optional(),
  streamHeads: z.array(z.number().int().min(-1)).optional(),
  prioritized: z.object({ alpha: z.number(), beta: z.number(), epsilon: z.number(), maxPriority: z.number() }).optional(),
});

/** Validates the meta of a serialised buffer (throws InvalidInputError). */
export function parseReplayMeta(meta: unknown): ReplayBufferMeta {
  const r = metaSchema.safeParse(meta);
  if (!r.success) throw new InvalidInputError(`replay buffer checkpoint: ${formatZodError(r.error)}`);
  return r.data;
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`ReplayBuffer: ${name} must be a positive integer, received ${v}`);
  return v;
}

function product(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) n *= positiveInt(`${what} dimension`, d);
  return n;
}

function resolveConfig(o: ReplayBufferOptions): ReplayBufferConfig {
  const capacity = positiveInt('capacity', o.capacity);
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'uint8') throw new RangeError(`ReplayBuffer: dtype must be 'float32' or 'uint8', received ${String(dtype)}`);
  const actionType = o.actionType ?? 'discrete';
  if (actionType !== 'discrete' && actionType !== 'continuous') throw new RangeError(`ReplayBuffer: actionType must be 'discrete' or 'continuous', received ${String(actionType)}`);
  const actionDim = actionType === 'continuous' ? positiveInt('actionDim', o.actionDim ?? 1) : 1;
  let observationShape: number[];
  let frameStack: ReplayBufferConfig['frameStack'] = null;
  if (o.frameStack) {
    const fs = o.frameStack;
    const k = positiveInt('frameStack.frames', fs.frames);
    const frameShape = fs.frameShape ? [...fs.frameShape] : null;
    const frameSize = frameShape ? product(frameShape, 'frameShape') : positiveInt('frameStack.frameSize', fs.frameSize ?? NaN);
    if (frameShape && fs.frameSize !== undefined && fs.frameSize !== frameSize) throw new RangeError(`ReplayBuffer: frameSize ${fs.frameSize} does not match frameShape [${frameShape.join(', ')}]`);
    const axis = fs.axis ?? 'first';
    if (axis !== 'first' && axis !== 'last') throw new RangeError(`ReplayBuffer: frameStack.axis must be 'first' or 'last', received ${String(axis)}`);
    const padding = fs.padding ?? 'reset';
    if (padding !== 'reset' && padding !== 'zero') throw new RangeError(`ReplayBuffer: frameStack.padding must be 'reset' or 'zero', received ${String(padding)}`);
    const channels = axis === 'last' && frameShape ? frameShape[frameShape.length - 1] : 1;
    const frameCapacity = fs.frameCapacity ?? capacity + Math.ceil(capacity / 16) + 32 * k;
    positiveInt('frameStack.frameCapacity', frameCapacity);
    if (frameCapacity < 2 * k + 2) throw new RangeError(`ReplayBuffer: frameStack.frameCapacity must be at least 2 * frames + 2 = ${2 * k + 2}, received ${frameCapacity}`);
    frameStack = { frames: k, frameShape, frameSize, channels, axis, padding, frameCapacity, checkFrames: fs.checkFrames ?? false };
    if (axis === 'first') observationShape = frameShape ? [k, ...frameShape] : [k, frameSize];
    else observationShape = frameShape ? [...frameShape.slice(0, -1), channels * k] : [frameSize * k];
  } else if (o.observationShape) {
    observationShape = [...o.observationShape];
    const size = product(observationShape, 'observationShape');
    if (o.observationSize !== undefined && o.observationSize !== size) throw new RangeError(`ReplayBuffer: observationSize ${o.observationSize} does not match observationShape [${observationShape.join(', ')}]`);
  } else {
    observationShape = [positiveInt('observationSize', o.observationSize ?? NaN)];
  }
  return { capacity, observationShape, dtype, actionType, actionDim, storeDiscounts: o.storeDiscounts ?? false, frameStack };
}

/** Options that rebuild a buffer with `config`'s layout. */
export function optionsFromConfig(config: ReplayBufferConfig): ReplayBufferOptions {
  const fs = config.frameStack;
  return {
    capacity: config.capacity,
    observationShape: config.observationShape,
    dtype: config.dtype,
    actionType: config.actionType,
    actionDim: config.actionDim,
    storeDiscounts: config.storeDiscounts,
    frameStack: fs ? { frames: fs.frames, frameShape: fs.frameShape ?? undefined, frameSize: fs.frameSize, axis: fs.axis, padding: fs.padding, frameCapacity: fs.frameCapacity, checkFrames: fs.checkFrames } : undefined,
    seed: 0,
  };
}

type ArrayCtor = Float32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor | Int32ArrayConstructor;

/** `arrays[name]`, checked to be a `ctor` of `length` elements (throws InvalidInputError otherwise). */
export function expectArray<C extends ArrayCtor>(arrays: Record<string, ArrayBufferView>, name: string, ctor: C, length: number): InstanceType<C> {
  const a = arrays[name];
  if (!(a instanceof ctor)) throw new InvalidInputError(`replay buffer checkpoint: arrays.${name} must be a ${ctor.name}, received ${a === undefined ? 'nothing' : a.constructor.name}`);
  if (a.length !== length) throw new InvalidInputError(`replay buffer checkpoint: arrays.${name} has ${a.length} elements, expected ${length}`);
  return a as InstanceType<C>;
}

/** Copies `size` rows of `rowSize` elements starting at ring slot `start` into a fresh array, oldest first. */
function ringRows<A extends ObsStorage | Float64Array | Int32Array>(src: A, start: number, size: number, capacity: number, rowSize: number): A {
  const out = new (src.constructor as new (n: number) => A)(size * rowSize);
  const firstRun = Math.min(size, capacity - start);
  out.set(src.subarray(start * rowSize, (start + firstRun) * rowSize), 0);
  if (firstRun < size) out.set(src.subarray(0, (size - firstRun) * rowSize), firstRun * rowSize);
  return out;
}

/** Inverse of `ringRows`: puts row i of `src` into ring slot (start + i) % capacity of `dst`. */
export function unringRows(dst: ObsStorage | Float64Array | Int32Array, src: ArrayLike<number>, start: number, size: number, capacity: number, rowSize: number): void {
  for (let i = 0; i < size; i++) {
    const base = ((start + i) % capacity) * rowSize;
    for (let e = 0; e < rowSize; e++) dst[base + e] = src[i * rowSize + e];
  }
}

/**
 * Experience replay on typed arrays (Lin 1992; Mnih et al. 2015): a ring of transitions
 * (o, a, r, o', terminated, truncated[, discount]) with O(1) `add` and O(1)-per-row uniform `sample`.
 *
 * - Columns are typed arrays sized once at construction; no object per transition.
 * - `terminated` and `truncated` are kept apart: only `terminated` stops bootstrapping from `o'`.
 * - Sampling is uniform with replacement and draws from a seeded Rng: the same seed and the same adds give the
 *   same batches.
 * - `sample(b)` fills a batch object that is allocated on the first call for size `b` and reused after: a batch
 *   is valid until the next `sample` call with the same size.
 * - With `frameStack`, observations are stacks of k frames; each frame is stored once in a frame ring and stacks
 *   are rebuilt at sample time, never reaching across an episode start (see `add` for the contract).
 */
export class ReplayBuffer<D extends ObsDtype = 'float32', K extends ActionKind = 'discrete'> {
  readonly capacity: number;
  readonly dtype: D;
  readonly actionType: K;
  /** Floats per action (1 for discrete). */
  readonly actionDim: number;
  /** Elements per (stacked) observation. */
  readonly observationSize: number;
  readonly observationShape: readonly number[];
  readonly storesDiscounts: boolean;
  /** The resolved layout, as `serialize` records it. */
  readonly config: ReplayBufferConfig;

  protected rng: Rng;
  /** Ring slot of the oldest transition. */
  protected start = 0;
  /** Transitions stored. */
  protected count = 0;

  private readonly obs: ObsStorage | null;
  private readonly nextObs: ObsStorage | null;
  private readonly obsViews: ObsStorage[] | null;
  private readonly nextObsViews: ObsStorage[] | null;
  private readonly actions: Int32Array | Float32Array;
  private readonly rewards: Float32Array;
  private readonly terminated: Uint8Array;
  private readonly truncated: Uint8Array;
  private readonly discounts: Float32Array | null;

  private readonly frames: FrameStore | null;
  /** Frame mode: id of the newest frame of each transition's observation / next observation. */
  private readonly obsFrame: Float64Array | null;
  private readonly nextFrame: Float64Array | null;
  /** Frame mode: oldest frame id a transition (or any younger one) reads; non-decreasing from oldest to newest. */
  private readonly evictKey: Float64Array | null;
  /** Frame mode: per stream, the id of the last next-observation if its episode goes on, else -1. */
  private heads: number[] = [];

  private readonly batches = new Map<number, ReplayBatch<D, K>>();

  constructor(options: ReplayBufferOptions<D, K>) {
    const config = resolveConfig(options);
    this.config = config;
    this.capacity = config.capacity;
    this.dtype = config.dtype as D;
    this.actionType = config.actionType as K;
    this.actionDim = config.actionDim;
    this.observationShape = config.observationShape;
    this.observationSize = product(config.observationShape, 'observationShape');
    this.storesDiscounts = config.storeDiscounts;
    this.rng = options.seed instanceof Rng ? options.seed : new Rng(options.seed);
    const cap = this.capacity;
    this.actions = config.actionType === 'continuous' ? new Float32Array(cap * config.actionDim) : new Int32Array(cap);
    this.rewards = new Float32Array(cap);
    this.terminated = new Uint8Array(cap);
    this.truncated = new Uint8Array(cap);
    this.discounts = config.storeDiscounts ? new Float32Array(cap) : null;
    const fs = config.frameStack;
    if (fs) {
      this.frames = new FrameStore(
        { dtype: config.dtype, frames: fs.frames, frameSize: fs.frameSize, channels: fs.channels, axis: fs.axis, padding: fs.padding, capacity: fs.frameCapacity },
        (oldestLiveAfter) => this.dropTransitionsBefore(oldestLiveAfter),
      );
      this.obsFrame = new Float64Array(cap);
      this.nextFrame = new Float64Array(cap);
      this.evictKey = new Float64Array(cap);
      this.obs = this.nextObs = this.obsViews = this.nextObsViews = null;
    } else {
      this.frames = this.obsFrame = this.nextFrame = this.evictKey = null;
      const obs = makeStorage(config.dtype, cap * this.observationSize);
      const nextObs = makeStorage(config.dtype, cap * this.observationSize);
      this.obs = obs;
      this.nextObs = nextObs;
      this.obsViews = rowViews(obs, cap, this.observationSize);
      this.nextObsViews = rowViews(nextObs, cap, this.observationSize);
    }
  }

  /** Transitions stored (at most `capacity`). */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the transition (and frame) storage. */
  get byteLength(): number {
    let n = this.actions.byteLength + this.rewards.byteLength + this.terminated.byteLength + this.truncated.byteLength;
    if (this.discounts) n += this.discounts.byteLength;
    if (this.obs && this.nextObs) n += this.obs.byteLength + this.nextObs.byteLength;
    if (this.frames && this.obsFrame && this.nextFrame && this.evictKey) {
      n += this.frames.data.byteLength + this.frames.prev.byteLength + this.obsFrame.byteLength + this.nextFrame.byteLength + this.evictKey.byteLength;
    }
    return n;
  }

  /** Frame-stacked buffers: frames written since construction (0 otherwise). */
  get framesWritten(): number {
    return this.frames ? this.frames.written : 0;
  }

  /** Whether observations are frame stacks (and the handle methods below are available). */
  get frameStacked(): boolean {
    return this.frames !== null;
  }

  /**
   * Stores one transition and returns its slot. `observation` and `nextObservation` have `observationSize`
   * elements (values are converted to `dtype`: pixels given as floats are truncated into 0..255 by Uint8Array
   * rules). `discount` is required when the buffer stores discounts and ignored otherwise.
   *
   * Frame-stacked buffers store only the newest frame of `nextObservation` and take `observation` from the
   * previous call for the same `stream` (one stream per env of a vector env): for each stream, call `add` in
   * step order with `observation` equal to the previous `nextObservation` unless the previous transition ended
   * its episode (terminated or truncated). With `next-step` autoreset, skip the reset step. The first call of a
   * stream, or the first after an episode end, stores `observation` in full (its leading padding excepted).
   * An n-step accumulator in front of the buffer does not follow this order: it goes through
   * `storeObservation`/`addByHandles` itself.
   */
  add(
    observation: ArrayLike<number>,
    action: ActionInput<K>,
    reward: number,
    nextObservation: ArrayLike<number>,
    terminated: Flag,
    truncated: Flag,
    discount?: number,
    stream = 0,
  ): number {
    this.checkObservation('observation', observation);
    this.checkObservation('nextObservation', nextObservation);
    this.checkColumns(action, discount);
    const frames = this.frames;
    if (frames) {
      if (!Number.isInteger(stream) || stream < 0) throw new RangeError(`ReplayBuffer.add: stream must be a non-negative integer, received ${stream}`);
      const head = this.heads[stream] ?? -1;
      let obsId: number;
      if (head >= 0 && frames.survives(head, 1)) {
        if (this.config.frameStack?.checkFrames && !frames.matches(observation, head, 0)) {
          throw new ArcadeError(`ReplayBuffer.add: observation of stream ${stream} is not the previous nextObservation of that stream, yet the previous transition did not end the episode`);
        }
        obsId = head;
      } else {
        obsId = frames.writeFresh(observation);
      }
      const nextId = this.storeObservation(nextObservation, obsId);
      this.heads[stream] = terminated || truncated ? -1 : nextId;
      return this.addByHandles(obsId, action, reward, nextId, terminated, truncated, discount);
    }
    const obs = this.obs as ObsStorage;
    const nextObs = this.nextObs as ObsStorage;
    const slot = this.claimSlot();
    obs.set(observation, slot * this.observationSize);
    nextObs.set(nextObservation, slot * this.observationSize);
    this.writeColumns(slot, action, reward, terminated, truncated, discount);
    this.commit(slot);
    return slot;
  }

  /**
   * Frame-stacked buffers: stores a stacked observation and returns a handle to it (the id of its newest frame).
   * With `after`, the handle of the observation one step earlier in the same episode, only the newest frame is
   * written; without it (or when `after` is no longer stored) the whole stack is, less its leading padding.
   * Handles stay valid while their frames are in the frame ring (`isObservationStored`).
   */
  storeObservation(stack: ArrayLike<number>, after = -1): number {
    const frames = this.requireFrames('storeObservation');
    this.checkObservation('stack', stack);
    if (after >= 0 && frames.survives(after, 1)) {
      if (this.config.frameStack?.checkFrames && !frames.matches(stack, after, 1)) {
        throw new ArcadeError('ReplayBuffer.storeObservation: stack does not continue the observation it is stored after');
      }
      return frames.writeNext(stack, after);
    }
    return frames.writeFresh(stack);
  }

  /** Whether the observation behind `handle` can still be read. */
  isObservationStored(handle: number): boolean {
    return this.requireFrames('isObservationStored').oldestNeeded(handle) >= 0;
  }

  /** Frame-stacked buffers: stores a transition whose observations were stored with `storeObservation`. */
  addByHandles(
    observationHandle: number,
    action: ActionInput<K>,
    reward: number,
    nextObservationHandle: number,
    terminated: Flag,
    truncated: Flag,
    discount?: number,
  ): number {
    const frames = this.requireFrames('addByHandles');
    this.checkColumns(action, discount);
    const a = frames.oldestNeeded(observationHandle);
    const b = frames.oldestNeeded(nextObservationHandle);
    if (a < 0 || b < 0) {
      throw new ArcadeError(
        `ReplayBuffer.addByHandles: observation ${a < 0 ? observationHandle : nextObservationHandle} is no longer stored; raise frameStack.frameCapacity (now ${frames.config.capacity})`,
      );
    }
    const key = a < b ? a : b;
    const slot = this.claimSlot();
    (this.obsFrame as Float64Array)[slot] = observationHandle;
    (this.nextFrame as Float64Array)[slot] = nextObservationHandle;
    const evictKey = this.evictKey as Float64Array;
    evictKey[slot] = key;
    // keep keys non-decreasing from oldest to newest, so dropping from the oldest end frees every stale frame
    for (let i = this.count - 1; i >= 0; i--) {
      const s = (this.start + i) % this.capacity;
      if (evictKey[s] <= key) break;
      evictKey[s] = key;
    }
    this.writeColumns(slot, action, reward, terminated, truncated, discount);
    this.commit(slot);
    return slot;
  }

  /**
   * Draws `batchSize` transitions uniformly with replacement into the reused batch for that size (weights 1).
   * The batch is overwritten by the next `sample(batchSize)`.
   */
  sample(batchSize: number): ReplayBatch<D, K> {
    const batch = this.prepareBatch(batchSize);
    const { indices } = batch;
    for (let i = 0; i < batchSize; i++) indices[i] = (this.start + this.rng.int(this.count)) % this.capacity;
    this.gather(batch);
    return batch;
  }

  /** Drops every transition (and pending frame-stack streams); keeps the Rng where it is. */
  clear(): void {
    this.start = 0;
    this.count = 0;
    this.heads = [];
    this.frames?.clear();
  }

  getRngState(): RngState {
    return this.rng.getState();
  }

  setRngState(state: RngState): void {
    this.rng.setState(state);
  }

  /** The buffer as JSON-able meta plus fresh typed arrays, transitions oldest first. */
  serialize(): SerializedReplayBuffer {
    const { start, count, capacity } = this;
    const arrays: Record<string, ArrayBufferView> = {
      actions: ringRows(this.actions, start, count, capacity, this.actionDim),
      rewards: ringRows(this.rewards, start, count, capacity, 1),
      terminated: ringRows(this.terminated, start, count, capacity, 1),
      truncated: ringRows(this.truncated, start, count, capacity, 1),
    };
    if (this.discounts) arrays.discounts = ringRows(this.discounts, start, count, capacity, 1);
    const meta: ReplayBufferMeta = {
      format: 'arcade-rl/replay-buffer',
      version: 1,
      kind: 'ReplayBuffer',
      config: structuredClone(this.config),
      size: count,
      start,
      rng: this.rng.getState(),
    };
    if (this.frames && this.obsFrame && this.nextFrame && this.evictKey) {
      arrays.obsFrame = ringRows(this.obsFrame, start, count, capacity, 1);
      arrays.nextFrame = ringRows(this.nextFrame, start, count, capacity, 1);
      arrays.evictKey = ringRows(this.evictKey, start, count, capacity, 1);
      const { data, prev } = this.frames.export();
      arrays.frames = data;
      arrays.framePrev = prev;
      meta.framesWritten = this.frames.written;
      meta.streamHeads = Array.from(this.heads, (h) => h ?? -1);
    } else if (this.obs && this.nextObs) {
      arrays.observations = ringRows(this.obs, start, count, capacity, this.observationSize);
      arrays.nextObservations = ringRows(this.nextObs, start, count, capacity, this.observationSize);
    }
    this.serializeExtra(meta, arrays);
    return { meta, arrays };
  }

  /** Rebuilds a buffer saved by `serialize` (its Rng continues where the saved one stopped). */
  static deserialize(data: SerializedReplayBuffer): ReplayBuffer<ObsDtype, ActionKind> {
    const meta = parseReplayMeta(data.meta);
    if (meta.kind !== 'ReplayBuffer') throw new InvalidInputError(`replay buffer checkpoint: holds a ${meta.kind}; use ${meta.kind}.deserialize`);
    const buffer = new ReplayBuffer<ObsDtype, ActionKind>(optionsFromConfig(meta.config));
    buffer.restore(meta, data.arrays);
    return buffer;
  }

  /** Loads the state `serialize` saved into this (freshly built, same-config) buffer. */
  protected restore(meta: ReplayBufferMeta, arrays: Record<string, ArrayBufferView>): void {
    const n = meta.size;
    const start = meta.start ?? 0;
    const cap = this.capacity;
    if (n > cap) throw new InvalidInputError(`replay buffer checkpoint: size ${n} exceeds capacity ${cap}`);
    if (start >= cap) throw new InvalidInputError(`replay buffer checkpoint: start ${start} is not a slot of capacity ${cap}`);
    const put = (dst: ObsStorage | Float64Array | Int32Array, src: ArrayLike<number>, rowSize: number) => unringRows(dst, src, start, n, cap, rowSize);
    const actionCtor = this.actionType === 'continuous' ? Float32Array : Int32Array;
    put(this.actions, expectArray(arrays, 'actions', actionCtor, n * this.actionDim), this.actionDim);
    put(this.rewards, expectArray(arrays, 'rewards', Float32Array, n), 1);
    put(this.terminated, expectArray(arrays, 'terminated', Uint8Array, n), 1);
    put(this.truncated, expectArray(arrays, 'truncated', Uint8Array, n), 1);
    if (this.discounts) put(this.discounts, expectArray(arrays, 'discounts', Float32Array, n), 1);
    const obsCtor = this.dtype === 'uint8' ? Uint8Array : Float32Array;
    if (this.frames && this.obsFrame && this.nextFrame && this.evictKey) {
      const frames = this.frames;
      const written = meta.framesWritten ?? 0;
      const prev = arrays.framePrev;
      if (!(prev instanceof Float64Array) || prev.length > Math.min(written, frames.config.capacity)) {
        throw new InvalidInputError(`replay buffer checkpoint: arrays.framePrev must be a Float64Array of at most ${Math.min(written, frames.config.capacity)} elements`);
      }
      const frameData = expectArray(arrays, 'frames', obsCtor, prev.length * frames.config.frameSize);
      frames.import(written, frameData, prev);
      const obsFrame = expectArray(arrays, 'obsFrame', Float64Array, n);
      const nextFrame = expectArray(arrays, 'nextFrame', Float64Array, n);
      for (let i = 0; i < n; i++) {
        if (frames.oldestNeeded(obsFrame[i]) < 0 || frames.oldestNeeded(nextFrame[i]) < 0) {
          throw new InvalidInputError(`replay buffer checkpoint: transition ${i} refers to a frame that is not stored`);
        }
      }
      put(this.obsFrame, obsFrame, 1);
      put(this.nextFrame, nextFrame, 1);
      put(this.evictKey, expectArray(arrays, 'evictKey', Float64Array, n), 1);
      this.heads = (meta.streamHeads ?? []).map((h) => (h >= 0 && frames.oldestNeeded(h) >= 0 ? h : -1));
    } else if (this.obs && this.nextObs) {
      put(this.obs, expectArray(arrays, 'observations', obsCtor, n * this.observationSize), this.observationSize);
      put(this.nextObs, expectArray(arrays, 'nextObservations', obsCtor, n * this.observationSize), this.observationSize);
    }
    this.start = start;
    this.count = n;
    this.rng.setState(meta.rng);
  }

  /** Subclass hook: add fields to a serialisation. */
  protected serializeExtra(_meta: ReplayBufferMeta, _arrays: Record<string, ArrayBufferView>): void {}

  /** Subclass hook: a transition was stored in `slot`. */
  protected onAdd(_slot: number): void {}

  /** Subclass hook: the transition in `slot` was dropped (overwritten or its frames were). */
  protected onEvict(_slot: number): void {}

  /** The reused batch for `batchSize`, after checking that sampling is possible. */
  protected prepareBatch(batchSize: number): ReplayBatch<D, K> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`ReplayBuffer.sample: batchSize must be a positive integer, received ${batchSize}`);
    if (this.count === 0) throw new ArcadeError('ReplayBuffer.sample: the buffer is empty');
    let batch = this.batches.get(batchSize);
    if (batch === undefined) {
      const obsLen = batchSize * this.observationSize;
      batch = {
        size: batchSize,
        observations: makeStorage(this.dtype, obsLen) as ObsArray<D>,
        actions: (this.actionType === 'continuous' ? new Float32Array(batchSize * this.actionDim) : new Int32Array(batchSize)) as ActionArray<K>,
        rewards: new Float32Array(batchSize),
        nextObservations: makeStorage(this.dtype, obsLen) as ObsArray<D>,
        terminated: new Uint8Array(batchSize),
        truncated: new Uint8Array(batchSize),
        discounts: this.discounts ? new Float32Array(batchSize) : null,
        indices: new Int32Array(batchSize),
        weights: new Float32Array(batchSize).fill(1),
      };
      this.batches.set(batchSize, batch);
    }
    return batch;
  }

  /** Fills every column of `batch` from the slots in `batch.indices`. */
  protected gather(batch: ReplayBatch<D, K>): void {
    const { indices, observations, nextObservations, actions, rewards, terminated, truncated, discounts } = batch;
    const size = this.observationSize;
    const dim = this.actionDim;
    for (let i = 0; i < batch.size; i++) {
      const slot = indices[i];
      if (this.frames && this.obsFrame && this.nextFrame) {
        this.frames.read(this.obsFrame[slot], observations, i * size);
        this.frames.read(this.nextFrame[slot], nextObservations, i * size);
      } else {
        copyRow(this.obs as ObsStorage, this.obsViews, slot, size, observations, i * size);
        copyRow(this.nextObs as ObsStorage, this.nextObsViews, slot, size, nextObservations, i * size);
      }
      if (dim === 1) actions[i] = this.actions[slot];
      else for (let d = 0; d < dim; d++) actions[i * dim + d] = this.actions[slot * dim + d];
      rewards[i] = this.rewards[slot];
      terminated[i] = this.terminated[slot];
      truncated[i] = this.truncated[slot];
      if (discounts && this.discounts) discounts[i] = this.discounts[slot];
    }
  }

  /** Frees the slot the next transition goes to (dropping the oldest when full) and returns it. */
  private claimSlot(): number {
    if (this.count === this.capacity) this.dropOldest();
    return (this.start + this.count) % this.capacity;
  }

  private commit(slot: number): void {
    this.count++;
    this.onAdd(slot);
  }

  private dropOldest(): void {
    this.onEvict(this.start);
    this.start = (this.start + 1) % this.capacity;
    this.count--;
  }

  /** Frame ring is about to overwrite frames below `oldestLiveAfter`: drop the transitions that read them. */
  private dropTransitionsBefore(oldestLiveAfter: number): void {
    const key = this.evictKey as Float64Array;
    while (this.count > 0 && key[this.start] < oldestLiveAfter) this.dropOldest();
  }

  /** Throws before anything is stored when the action or discount does not fit the buffer. */
  private checkColumns(action: ActionInput<K>, discount: number | undefined): void {
    if (typeof action === 'number') {
      if (this.actionType === 'continuous' && this.actionDim !== 1) throw new RangeError(`ReplayBuffer.add: continuous action must have ${this.actionDim} elements, received a number`);
    } else {
      const a = action as ArrayLike<number>;
      if (this.actionType !== 'continuous') throw new RangeError('ReplayBuffer.add: discrete action must be a number');
      if (a.length !== this.actionDim) throw new RangeError(`ReplayBuffer.add: action has ${a.length} elements, expected ${this.actionDim}`);
    }
    if (this.discounts && discount === undefined) throw new RangeError('ReplayBuffer.add: this buffer stores discounts; pass one (gamma^m of the transition)');
  }

  private writeColumns(slot: number, action: ActionInput<K>, reward: number, terminated: Flag, truncated: Flag, discount: number | undefined): void {
    if (typeof action === 'number') {
      this.actions[slot * this.actionDim] = action;
    } else {
      const a = action as ArrayLike<number>;
      const base = slot * this.actionDim;
      for (let d = 0; d < this.actionDim; d++) this.actions[base + d] = a[d];
    }
    this.rewards[slot] = reward;
    this.terminated[slot] = terminated ? 1 : 0;
    this.truncated[slot] = truncated ? 1 : 0;
    if (this.discounts) this.discounts[slot] = discount as number;
  }

  private checkObservation(what: string, o: ArrayLike<number>): void {
    if (o.length !== this.observationSize) throw new RangeError(`ReplayBuffer: ${what} has ${o.length} elements, expected ${this.observationSize}`);
  }

  private requireFrames(method: string): FrameStore {
    if (this.frames === null) throw new ArcadeError(`ReplayBuffer.${method}: only for buffers made with the frameStack option`);
    return this.frames;
  }
}
