import { Box, type BoxArrays, type BoxDtype } from '../spaces/box.ts';
import { Discrete } from '../spaces/discrete.ts';
import { MultiBinary } from '../spaces/multi-binary.ts';
import type { Space } from '../spaces/space.ts';

/**
 * How `n` observations of one env travel together: Box values concatenated in one typed array
 * (`[n, ...shape]`, row-major), Discrete values in an `Int32Array`, MultiBinary in a `Uint8Array`,
 * anything else as a plain array.
 */
export type Batch<O> = O extends number ? Int32Array : O extends Float32Array ? Float32Array : O extends Uint8Array ? Uint8Array : O[];

/** Writes single observations into a batch. */
export interface Batcher<O> {
  create(): Batch<O>;
  write(batch: Batch<O>, index: number, value: O): void;
  /** A fresh copy of element `index`. */
  read(batch: Batch<O>, index: number): O;
}

export function batcherFor<O>(space: Space<O>, n: number): Batcher<O> {
  if (space instanceof Box) return boxBatcher(space as Box<BoxDtype>, n) as unknown as Batcher<O>;
  if (space instanceof MultiBinary) return boxBatcher(new Box({ shape: [space.n], low: 0, high: 1, dtype: 'uint8' }), n) as unknown as Batcher<O>;
  if (space instanceof Discrete) {
    const b: Batcher<number> = {
      create: () => new Int32Array(n),
      write: (batch, i, v) => {
        batch[i] = v;
      },
      read: (batch, i) => batch[i],
    };
    return b as unknown as Batcher<O>;
  }
  const generic: Batcher<unknown> = {
    create: () => new Array<unknown>(n),
    write: (batch, i, v) => {
      (batch as unknown[])[i] = v;
    },
    read: (batch, i) => (batch as unknown[])[i],
  };
  return generic as unknown as Batcher<O>;
}

function boxBatcher<D extends BoxDtype>(space: Box<D>, n: number): Batcher<BoxArrays[D]> {
  const size = space.size;
  const Ctor = space.dtype === 'uint8' ? Uint8Array : Float32Array;
  return {
    create: () => new Ctor(n * size) as unknown as Batch<BoxArrays[D]>,
    write: (batch, i, v) => {
      (batch as unknown as BoxArrays[D]).set(v, i * size);
    },
    read: (batch, i) => (batch as unknown as BoxArrays[D]).slice(i * size, (i + 1) * size) as BoxArrays[D],
  };
}
