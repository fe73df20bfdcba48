/** Types shared by the replay layer's buffers and accumulators. */

/** How observations are stored: `float32` for feature vectors, `uint8` for pixels. */
export type ObsDtype = 'float32' | 'uint8';

/** The typed array that holds observations of dtype `D`. */
export type ObsArray<D extends ObsDtype> = D extends 'uint8' ? Uint8Array : Float32Array;

/** `discrete`: one integer action per transition; `continuous`: a vector of `actionDim` floats. */
export type ActionKind = 'discrete' | 'continuous';

/** The typed array that holds actions of kind `K` (Int32Array for discrete, Float32Array for continuous). */
export type ActionArray<K extends ActionKind> = K extends 'continuous' ? Float32Array : Int32Array;

/** One action as passed to `add`: a number for discrete, `actionDim` numbers for continuous. */
export type ActionInput<K extends ActionKind> = K extends 'continuous' ? ArrayLike<number> : number;

/** A boolean flag as environments and vector envs give it: `true`/`false` or `1`/`0`. */
export type Flag = number | boolean;

/** Storage for observations or frames. */
export type ObsStorage = Float32Array | Uint8Array;

/**
 * A fixed-size batch of transitions, filled in place by `sample` (row `i` of every column is transition `i`).
 * The arrays belong to the buffer and are overwritten by the next `sample` call with the same batch size:
 * copy what must outlive it.
 */
export interface ReplayBatch<D extends ObsDtype = ObsDtype, K extends ActionKind = ActionKind> {
  /** Number of transitions (rows). */
  readonly size: number;
  /** `[size, observationSize]`, row-major. */
  readonly observations: ObsArray<D>;
  /** `[size]` for discrete actions, `[size, actionDim]` for continuous. */
  readonly actions: ActionArray<K>;
  readonly rewards: Float32Array;
  /** `[size, observationSize]`: the observation the transition led to (for n-step transitions, `n` steps later). */
  readonly nextObservations: ObsArray<D>;
  /** 1 where the episode terminated (no bootstrap from `nextObservations`). */
  readonly terminated: Uint8Array;
  /** 1 where the episode was truncated (bootstrap from `nextObservations` as usual). */
  readonly truncated: Uint8Array;
  /** The discount to apply to the bootstrap value (gamma^m of an m-step transition), or null when the buffer
   * does not store discounts. */
  readonly discounts: Float32Array | null;
  /** Buffer slots the rows came from: pass them back to `PrioritizedReplayBuffer.updatePriorities`. */
  readonly indices: Int32Array;
  /** Importance-sampling weights (all 1 for uniform sampling). */
  readonly weights: Float32Array;
}
