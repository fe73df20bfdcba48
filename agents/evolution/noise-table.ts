import { InvalidInputError, Rng } from '../../core/index.ts';

const tables = new Map<string, Float32Array>();

/**
 * The shared noise table of Salimans et al. 2017 (`SharedNoiseTable` in openai/evolution-strategies-starter): one
 * block of standard normal samples drawn once from a seed, so a perturbation travels as an index into it, not as a
 * vector. Every caller with the same (size, seed) gets the same table; it is built once per thread.
 */
export function noiseTable(size: number, seed: number): Float32Array {
  if (!Number.isSafeInteger(size) || size <= 0) throw new InvalidInputError(`noiseTable: size must be a positive integer, received ${size}`);
  const key = `${size}:${seed}`;
  let table = tables.get(key);
  if (table === undefined) {
    table = new Float32Array(size);
    const rng = new Rng(seed);
    for (let i = 0; i < size; i++) table[i] = rng.normal();
    tables.set(key, table);
  }
  return table;
}
