import { z } from 'zod';
import { parseOrThrow } from './base-strategy.ts';
import type { Objective } from './strategy.ts';

/**
 * Genetic-algorithm settings. Defaults follow hardmaru/estool's `SimpleGA` (estool) unless a field names another
 * source.
 */
export interface GAConfig {
  /** Whether larger or smaller fitness is better. Required: no default. */
  objective: Objective;
  /** Candidates per generation. estool: 256. */
  popSize: number;
  /** Best candidates copied unchanged into the next generation (and evaluated again there). estool: elite_ratio 0.1 of popSize; 0 here means none. */
  eliteCount: number;
  /** How parents are picked: `truncation` (uniformly from the best `truncationFraction`, as estool) or `tournament` (best of `tournamentSize` drawn at random). estool: truncation. */
  selection: 'truncation' | 'tournament';
  /** Truncation: the share of the ranked population parents come from. estool: 0.1 (its elite ratio). */
  truncationFraction: number;
  /** Tournament: contestants per pick. DEAP's examples (`selTournament`, tournsize=3): 3. */
  tournamentSize: number;
  /** `uniform` (each gene from either parent, as estool), `one-point` (a prefix from one parent, the rest from the other) or `none` (clone one parent). estool: uniform. */
  crossover: 'uniform' | 'one-point' | 'none';
  /** Probability that a child is a crossover of two parents rather than a copy of one. estool: 1 (always). */
  crossoverRate: number;
  /** Probability that each gene of a child is mutated. estool: 1 (every gene). */
  mutationRate: number;
  /** Standard deviation of the Gaussian mutation; also the spread of the first generation around the initial genome. estool: sigma_init 0.1. */
  mutationSigma: number;
  /** The mutation sigma is multiplied by this each generation while above `sigmaLimit`. estool: 0.999. */
  sigmaDecay: number;
  /** Floor of the sigma decay. estool: 0.01. */
  sigmaLimit: number;
  /** Seed of selection, crossover, mutation and every candidate's seed. Default 1, as the agents. */
  seed: number;
}

/** What a caller gives: the objective, and any other field to override. */
export type GAOptions = Partial<GAConfig> & { objective: Objective };

const unit = z.number().min(0).max(1);
const schema = z
  .strictObject({
    objective: z.enum(['max', 'min']),
    popSize: z.number().int().min(2, 'a GA needs a population of at least 2 (two parents)'),
    eliteCount: z.number().int().min(0),
    selection: z.enum(['truncation', 'tournament']),
    truncationFraction: z.number().gt(0).max(1),
    tournamentSize: z.number().int().min(1),
    crossover: z.enum(['uniform', 'one-point', 'none']),
    crossoverRate: unit,
    mutationRate: unit,
    mutationSigma: z.number().positive().finite(),
    sigmaDecay: z.number().gt(0).max(1),
    sigmaLimit: z.number().min(0),
    seed: z.number().int().min(0),
  })
  .refine((c) => c.eliteCount < c.popSize, { message: 'eliteCount must be below popSize, or no new candidate is ever tried', path: ['eliteCount'] });

/** Defaults overlaid with `options`, validated (errors name the field). `eliteCount` defaults to ceil(0.1 popSize). */
export function resolveGAConfig(options: GAOptions): GAConfig {
  const popSize = options.popSize ?? 256;
  const defaults = {
    popSize,
    eliteCount: Math.ceil(0.1 * popSize),
    selection: 'truncation',
    truncationFraction: 0.1,
    tournamentSize: 3,
    crossover: 'uniform',
    crossoverRate: 1,
    mutationRate: 1,
    mutationSigma: 0.1,
    sigmaDecay: 0.999,
    sigmaLimit: 0.01,
    seed: 1,
  };
  return parseOrThrow(schema, { ...defaults, ...options }, 'SimpleGA config');
}
