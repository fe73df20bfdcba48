import { z } from 'zod';
import { parseOrThrow } from './base-strategy.ts';
import { defaultCmaPopSize } from './cmaes-params.ts';
import type { Objective } from './strategy.ts';

/**
 * CMA-ES settings. The strategy parameters (weights, learning rates, damping) follow Hansen's tutorial formulas
 * (see `cmaes-params.ts`) and are not settings: they are derived from `popSize` and the genome length.
 */
export interface CMAESConfig {
  /** Whether larger or smaller fitness is better. Required: no default. */
  objective: Objective;
  /** Candidates per generation. Hansen 2016 tutorial: 4 + floor(3 ln n). */
  popSize: number;
  /** Initial step size. pycma requires one and has no default; 0.5 follows its advice of about a quarter of the search range, here [-1, 1]. */
  sigma0: number;
  /** Diagonal covariance only: sep-CMA-ES (Ros & Hansen 2008), linear time and memory, for large genomes. Default false (full CMA-ES). */
  diagonal: boolean;
  /** Active covariance update: the worse half's negative weights shrink the covariance (Jastrebski & Arnold 2006). Hansen 2016 tutorial: on; off for `diagonal` (Ros & Hansen 2008 predates it). */
  active: boolean;
  /** Seed of the sampling RNG and of every candidate's seed. Default 1, as the agents. */
  seed: number;
}

/** What a caller gives: the objective, and any other field to override. */
export type CMAESOptions = Partial<CMAESConfig> & { objective: Objective };

const schema = z.strictObject({
  objective: z.enum(['max', 'min']),
  popSize: z.number().int().min(2, 'CMA-ES needs a population of at least 2 (one parent, mu = floor(popSize / 2))'),
  sigma0: z.number().positive().finite(),
  diagonal: z.boolean(),
  active: z.boolean(),
  seed: z.number().int().min(0),
});

/** Defaults for a genome of `dim` values overlaid with `options`, validated (errors name the field). */
export function resolveCMAESConfig(options: CMAESOptions, dim: number): CMAESConfig {
  return parseOrThrow(schema, { popSize: defaultCmaPopSize(dim), sigma0: 0.5, diagonal: false, active: options.diagonal !== true, seed: 1, ...options }, 'CMAES config');
}
