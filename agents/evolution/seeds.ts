/**
 * A 32-bit seed from a list of integers (run seed, generation, candidate id, ...): each part is folded in with
 * MurmurHash3's finaliser, so nearby inputs give unrelated seeds and the result depends on nothing but the parts.
 * This is what makes a candidate's evaluation a pure function of its inputs, whichever worker runs it.
 */
export function deriveSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    // Fold in both 32-bit halves so generations or ids above 2^32 still differ.
    h = fmix32(h ^ fmix32(part >>> 0));
    h = fmix32(h ^ fmix32(Math.floor(part / 4294967296) >>> 0) ^ 0x85ebca6b);
  }
  return h >>> 0;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
