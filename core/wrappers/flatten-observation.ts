import type { Env } from '../env.ts';
import { Discrete } from '../spaces/discrete.ts';
import { envName } from './wrapper.ts';
import { flatten, flattenSpace } from './flatten.ts';
import { TransformObservation } from './transform-observation.ts';

/**
 * Flattens any observation into a 1-D Float32Array: Box reshaped, Discrete and MultiDiscrete one-hot, Dict and
 * Tuple concatenated in key order (Gymnasium `FlattenObservation`).
 */
export class FlattenObservation<O, A> extends TransformObservation<O, A, Float32Array> {
  constructor(env: Env<O, A>) {
    const space = env.observationSpace;
    super(env, (obs) => flatten(space, obs), flattenSpace(space));
  }
}

/** Turns a Discrete observation into a one-hot Float32Array (for MLP agents on tabular envs). */
export class OneHotObservation<A> extends TransformObservation<number, A, Float32Array> {
  constructor(env: Env<number, A>) {
    const space = env.observationSpace;
    if (!(space instanceof Discrete)) throw new TypeError(`OneHotObservation: ${envName(env)} must have a Discrete observation space, has ${space.toString()}`);
    super(env, (obs) => flatten(space, obs), flattenSpace(space));
  }
}
