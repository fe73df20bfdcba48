import { z } from 'zod';
import { InvalidInputError, type JsonValue } from '../../core/index.ts';
import { BaseStrategy, parseOrThrow } from './base-strategy.ts';
import { resolveGAConfig, type GAConfig, type GAOptions } from './ga-config.ts';
import type { Candidate, FitnessResult } from './strategy.ts';
import { checkGenome } from './tell-check.ts';

const stateSchema = z.object({
  initial: z.array(z.number()),
  sigma: z.number().positive(),
  ranked: z.array(z.array(z.number())).nullable(),
});

/**
 * A genetic algorithm on real-valued genomes: elitism, truncation or tournament selection, uniform or one-point
 * crossover and Gaussian mutation with a per-gene rate. The first generation is the initial genome plus Gaussian
 * noise; every later one is the elites, then children of the previous generation's ranking.
 */
export class SimpleGA extends BaseStrategy {
  readonly kind = 'ga';
  readonly config: GAConfig;
  private readonly initial: Float64Array;
  private sigma: number;
  /** The last generation's genomes, best first; null before the first tell. */
  private ranked: Float32Array[] | null = null;

  constructor(options: GAOptions, initialGenome: ArrayLike<number>) {
    const x0 = checkGenome('SimpleGA', initialGenome);
    const config = resolveGAConfig(options);
    super(config, x0.length);
    this.config = config;
    this.initial = x0;
    this.sigma = config.mutationSigma;
  }

  /** The current mutation sigma. */
  get mutationSigma(): number {
    return this.sigma;
  }

  protected sample(): Array<Omit<Candidate, 'id' | 'seed'>> {
    const out: Array<Omit<Candidate, 'id' | 'seed'>> = [];
    if (this.ranked === null) {
      for (let k = 0; k < this.popSize; k++) {
        const genome = Float32Array.from(this.initial);
        this.mutate(genome, 1);
        out.push({ genome });
      }
      return out;
    }
    const c = this.config;
    for (let k = 0; k < c.eliteCount; k++) out.push({ genome: this.ranked[k].slice() });
    while (out.length < this.popSize) {
      const a = this.ranked[this.pickParent()];
      let genome: Float32Array;
      if (c.crossover !== 'none' && this.rng.random() < c.crossoverRate) genome = this.cross(a, this.ranked[this.pickParent()]);
      else genome = a.slice();
      this.mutate(genome, c.mutationRate);
      out.push({ genome });
    }
    return out;
  }

  protected update(candidates: readonly Candidate[], _results: readonly FitnessResult[], order: readonly number[]): void {
    this.ranked = order.map((i) => candidates[i].genome.slice());
    if (this.sigma > this.config.sigmaLimit) this.sigma = Math.max(this.config.sigmaLimit, this.sigma * this.config.sigmaDecay);
  }

  protected stateJson(): JsonValue {
    return { initial: Array.from(this.initial), sigma: this.sigma, ranked: this.ranked === null ? null : this.ranked.map((g) => Array.from(g)) };
  }

  protected restoreState(state: unknown, where: string): void {
    const s = parseOrThrow(stateSchema, state, `${where}: state`);
    if (s.initial.length !== this.dim) throw new InvalidInputError(`${where}: state.initial has ${s.initial.length} values, expected ${this.dim}`);
    if (s.ranked !== null) {
      if (s.ranked.length !== this.popSize) throw new InvalidInputError(`${where}: state.ranked has ${s.ranked.length} genomes, expected ${this.popSize}`);
      const bad = s.ranked.findIndex((g) => g.length !== this.dim);
      if (bad >= 0) throw new InvalidInputError(`${where}: state.ranked[${bad}] has ${s.ranked[bad].length} values, expected ${this.dim}`);
    }
    this.initial.set(s.initial);
    this.sigma = s.sigma;
    this.ranked = s.ranked === null ? null : s.ranked.map((g) => Float32Array.from(g));
  }

  /** Index into `ranked` (0 = best) of one parent. */
  private pickParent(): number {
    const c = this.config;
    if (c.selection === 'truncation') return this.rng.int(Math.max(1, Math.round(c.truncationFraction * this.popSize)));
    let winner = this.popSize;
    for (let k = 0; k < c.tournamentSize; k++) winner = Math.min(winner, this.rng.int(this.popSize));
    return winner;
  }

  private cross(a: Float32Array, b: Float32Array): Float32Array {
    const child = a.slice();
    if (this.config.crossover === 'uniform') {
      for (let i = 0; i < child.length; i++) if (this.rng.random() < 0.5) child[i] = b[i];
    } else {
      // One point in [1, dim - 1]: at least one gene from each parent when dim > 1.
      const cut = this.dim > 1 ? 1 + this.rng.int(this.dim - 1) : 0;
      for (let i = cut; i < child.length; i++) child[i] = b[i];
    }
    return child;
  }

  private mutate(genome: Float32Array, rate: number): void {
    for (let i = 0; i < genome.length; i++) if (rate >= 1 || this.rng.random() < rate) genome[i] += this.sigma * this.rng.normal();
  }
}
