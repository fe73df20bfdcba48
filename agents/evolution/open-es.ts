import { z } from 'zod';
import { InvalidInputError, type JsonValue } from '../../core/index.ts';
import { FlatAdam } from './adam.ts';
import { BaseStrategy, parseOrThrow } from './base-strategy.ts';
import { noiseTable } from './noise-table.ts';
import { resolveOpenESConfig, type OpenESConfig, type OpenESOptions } from './open-es-config.ts';
import { utilitiesFromOrder } from './ranking.ts';
import type { Candidate, FitnessResult } from './strategy.ts';
import { checkGenome } from './tell-check.ts';

/** An OpenAI-ES candidate: `genome = mean + sign * sigma * table[noiseIndex .. noiseIndex + dim)`. */
export interface OpenESCandidate extends Candidate {
  /** Start of this candidate's perturbation in the shared noise table (`noiseTable(noiseTableSize, noiseSeed)`). */
  readonly noiseIndex: number;
  /** +1 or -1: mirrored pairs share an index. */
  readonly noiseSign: 1 | -1;
  /** The noise scale used for this generation. */
  readonly sigma: number;
}

const stateSchema = z.object({
  mean: z.array(z.number()),
  sigma: z.number().positive(),
  learningRate: z.number().positive(),
  adam: z.object({ m: z.array(z.number()), v: z.array(z.number()), t: z.number().int().min(0) }),
});

/**
 * OpenAI-ES (Salimans et al. 2017): Gaussian perturbations of one mean, mirrored pairs, centred-rank fitness
 * shaping, a gradient estimate stepped by Adam with weight decay, and a shared noise table so that a candidate is
 * (mean, noise index, sign): a worker holding the table needs only the index.
 */
export class OpenES extends BaseStrategy<OpenESCandidate> {
  readonly kind = 'open-es';
  readonly config: OpenESConfig;
  private readonly table: Float32Array;
  private readonly mean: Float64Array;
  private sigma: number;
  private learningRate: number;
  private readonly adam: FlatAdam;

  /** `initialGenome` is the initial mean; its length is the genome length. */
  constructor(options: OpenESOptions, initialGenome: ArrayLike<number>) {
    const x0 = checkGenome('OpenES', initialGenome);
    const config = resolveOpenESConfig(options, x0.length);
    super(config, x0.length);
    this.config = config;
    this.table = noiseTable(config.noiseTableSize, config.noiseSeed);
    this.mean = x0;
    this.sigma = config.sigma;
    this.learningRate = config.learningRate;
    this.adam = new FlatAdam(x0.length, config.adamBeta1, config.adamBeta2, config.adamEpsilon);
  }

  /** A copy of the current mean. */
  get distributionMean(): Float64Array {
    return this.mean.slice();
  }

  protected sample(): Array<Omit<OpenESCandidate, 'id' | 'seed'>> {
    const { dim, sigma } = this;
    const out: Array<Omit<OpenESCandidate, 'id' | 'seed'>> = [];
    const draws = this.config.mirrored ? this.popSize / 2 : this.popSize;
    for (let k = 0; k < draws; k++) {
      const noiseIndex = this.rng.int(this.table.length - dim + 1);
      const signs: Array<1 | -1> = this.config.mirrored ? [1, -1] : [1];
      for (const noiseSign of signs) {
        const genome = new Float32Array(dim);
        for (let i = 0; i < dim; i++) genome[i] = this.mean[i] + noiseSign * sigma * this.table[noiseIndex + i];
        out.push({ genome, noiseIndex, noiseSign, sigma });
      }
    }
    return out;
  }

  protected update(candidates: readonly OpenESCandidate[], results: readonly FitnessResult[], order: readonly number[]): void {
    const { dim } = this;
    const utility = this.config.rankFitness ? utilitiesFromOrder(order) : this.standardised(results);
    const gradient = new Float64Array(dim);
    candidates.forEach((c, k) => {
      const u = utility[k] * c.noiseSign;
      if (u === 0) return;
      for (let i = 0; i < dim; i++) gradient[i] += u * this.table[c.noiseIndex + i];
    });
    // starter: g /= returns.size; then Adam on (g - l2coeff * theta), ascending.
    for (let i = 0; i < dim; i++) gradient[i] = gradient[i] / candidates.length - this.config.weightDecay * this.mean[i];
    this.adam.ascend(this.mean, gradient, this.learningRate);
    if (this.sigma > this.config.sigmaLimit) this.sigma = Math.max(this.config.sigmaLimit, this.sigma * this.config.sigmaDecay);
    if (this.learningRate > this.config.learningRateLimit) this.learningRate = Math.max(this.config.learningRateLimit, this.learningRate * this.config.learningRateDecay);
  }

  protected stateJson(): JsonValue {
    return { mean: Array.from(this.mean), sigma: this.sigma, learningRate: this.learningRate, adam: { m: Array.from(this.adam.m), v: Array.from(this.adam.v), t: this.adam.t } };
  }

  protected restoreState(state: unknown, where: string): void {
    const s = parseOrThrow(stateSchema, state, `${where}: state`);
    for (const [name, got] of [['mean', s.mean.length], ['adam.m', s.adam.m.length], ['adam.v', s.adam.v.length]] as const) {
      if (got !== this.dim) throw new InvalidInputError(`${where}: state.${name} has ${got} values, expected ${this.dim}`);
    }
    this.mean.set(s.mean);
    this.sigma = s.sigma;
    this.learningRate = s.learningRate;
    this.adam.m.set(s.adam.m);
    this.adam.v.set(s.adam.v);
    this.adam.t = s.adam.t;
  }

  /** Fitness turned the objective's way up, then to zero mean and unit spread (estool's `rank_fitness=False`). */
  private standardised(results: readonly FitnessResult[]): Float64Array {
    const sign = this.objective === 'max' ? 1 : -1;
    const f = Float64Array.from(results, (r) => sign * r.fitness);
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length);
    return f.map((v) => (std > 0 ? (v - mean) / std : 0));
  }
}
