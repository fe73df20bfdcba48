import seedrandom from 'seedrandom';

/** The serialisable state of an {@link Rng}: enough to continue the exact same stream later. */
export interface RngState {
  readonly algorithm: 'alea';
  readonly c: number;
  readonly s0: number;
  readonly s1: number;
  readonly s2: number;
}

type AleaPrng = seedrandom.StatefulPRNG<seedrandom.State.Alea>;

/** A seed drawn from the OS entropy pool, for callers that asked for no seed. */
export function entropySeed(): number {
  return seedrandom(undefined, { entropy: true }).int32() >>> 0;
}

/**
 * The one source of randomness in arcade-rl: a seeded Alea generator (seedrandom).
 * The same seed gives the same stream on every machine; `getState`/`setState` save and resume it exactly.
 */
export class Rng {
  private gen: AleaPrng;
  /** The seed this generator started from (after `reseed`, the new one). */
  seedValue: number;

  constructor(seed: number = entropySeed()) {
    this.seedValue = seed;
    this.gen = seedrandom.alea(String(seed), { state: true });
  }

  /** Restart the stream from a new seed. */
  reseed(seed: number): void {
    this.seedValue = seed;
    this.gen = seedrandom.alea(String(seed), { state: true });
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  random(): number {
    return this.gen();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.gen();
  }

  /** Standard normal sample (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.gen();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.gen());
  }

  /** A fresh 32-bit seed drawn from this stream, to seed a child generator deterministically. */
  nextSeed(): number {
    return this.gen.int32() >>> 0;
  }

  getState(): RngState {
    const s = this.gen.state();
    return { algorithm: 'alea', c: s.c, s0: s.s0, s1: s.s1, s2: s.s2 };
  }

  setState(state: RngState): void {
    if (state.algorithm !== 'alea') {
      throw new Error(`Rng.setState: unknown algorithm ${JSON.stringify(state.algorithm)}, expected "alea"`);
    }
    this.gen = seedrandom.alea('', { state: { c: state.c, s0: state.s0, s1: state.s1, s2: state.s2 } });
  }
}
