import { Box, flatDim, flattenInto, type Space } from '../../core/index.ts';

/**
 * Turns env observations into network inputs: a Float32Array row per observation.
 * Discrete observations become one-hot vectors, uint8 images are scaled to [0, 1], Box values are copied, and
 * Dict, Tuple and MultiDiscrete are flattened (one-hot where discrete).
 * `inputShape` is what the network sees: `[h, w, c]` for images (when `keepImageShape`), else `[size]`.
 */
export class ObservationEncoder {
  readonly size: number;
  readonly inputShape: readonly number[];
  private readonly scale: number;

  constructor(
    readonly space: Space<unknown>,
    keepImageShape = false,
  ) {
    this.size = flatDim(space);
    this.scale = space instanceof Box && space.dtype === 'uint8' ? 1 / 255 : 1;
    this.inputShape = keepImageShape && space instanceof Box && space.shape.length === 3 ? [...space.shape] : [this.size];
  }

  /** Scales raw stored values (e.g. uint8 pixels from a replay batch, many rows) into network inputs in `out`. */
  scaleInto(raw: ArrayLike<number>, out: Float32Array): void {
    const scale = this.scale;
    for (let i = 0; i < out.length; i++) out[i] = raw[i] * scale;
  }

  /** Writes `observation` encoded into `out` at row `row`. */
  encode(observation: unknown, out: Float32Array, row = 0): void {
    const offset = row * this.size;
    flattenInto(this.space, observation, out, offset);
    if (this.scale !== 1) for (let i = offset; i < offset + this.size; i++) out[i] *= this.scale;
  }
}
