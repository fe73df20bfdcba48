import { z } from 'zod';
import { InvalidInputError } from '../../core/index.ts';
import { parseOrThrow } from './base-strategy.ts';
import type { Objective } from './strategy.ts';

/**
 * OpenAI-ES settings (Salimans et al. 2017, "Evolution Strategies as a Scalable Alternative to Reinforcement
 * Learning"). Sources: the paper, openai/evolution-strategies-starter (the "starter") and hardmaru/estool's
 * `OpenES` (estool), named per field.
 */
export interface OpenESConfig {
  /** Whether larger or smaller fitness is better. Required: no default. */
  objective: Objective;
  /** Candidates per generation; even when `mirrored`. estool: 256. */
  popSize: number;
  /** Initial noise standard deviation. estool: 0.1. */
  sigma: number;
  /** `sigma` is multiplied by this after every generation while above `sigmaLimit`. estool: 0.999. */
  sigmaDecay: number;
  /** Floor of the sigma decay. estool: 0.01. */
  sigmaLimit: number;
  /** Adam step size. starter and estool: 0.01. */
  learningRate: number;
  /** The step size is multiplied by this after every generation while above `learningRateLimit`. estool: 0.9999. */
  learningRateDecay: number;
  /** Floor of the step-size decay. estool: 0.001. */
  learningRateLimit: number;
  /** L2 coefficient pulling the mean towards 0 (in the gradient, as the starter's `l2coeff`). starter configs: 0.005. */
  weightDecay: number;
  /** Mirrored (antithetic) sampling: each noise vector is used as +eps and -eps. Salimans et al. 2017: on. */
  mirrored: boolean;
  /** Centred-rank fitness shaping; off uses fitness standardised to zero mean and unit spread. Salimans et al. 2017: on. */
  rankFitness: boolean;
  /** Adam beta1. starter: 0.9 (Kingma & Ba 2015). */
  adamBeta1: number;
  /** Adam beta2. starter: 0.999 (Kingma & Ba 2015). */
  adamBeta2: number;
  /** Adam epsilon. starter: 1e-8 (Kingma & Ba 2015). */
  adamEpsilon: number;
  /** Floats in the shared noise table. starter: 250,000,000 (1 GB); 2^22 here (16 MB), still far longer than the genomes evolved here. */
  noiseTableSize: number;
  /** Seed of the noise table. starter: 123. */
  noiseSeed: number;
  /** Seed of the noise indices and of every candidate's seed. Default 1, as the agents. */
  seed: number;
}

/** What a caller gives: the objective, and any other field to override. */
export type OpenESOptions = Partial<OpenESConfig> & { objective: Objective };

export const OPEN_ES_DEFAULTS: Omit<OpenESConfig, 'objective'> = {
  popSize: 256,
  sigma: 0.1,
  sigmaDecay: 0.999,
  sigmaLimit: 0.01,
  learningRate: 0.01,
  learningRateDecay: 0.9999,
  learningRateLimit: 0.001,
  weightDecay: 0.005,
  mirrored: true,
  rankFitness: true,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  noiseTableSize: 1 << 22,
  noiseSeed: 123,
  seed: 1,
};

const unitOpen = z.number().gt(0).max(1);
const schema = z
  .strictObject({
    objective: z.enum(['max', 'min']),
    popSize: z.number().int().min(2, 'OpenAI-ES needs a population of at least 2'),
    sigma: z.number().positive().finite(),
    sigmaDecay: unitOpen,
    sigmaLimit: z.number().min(0),
    learningRate: z.number().positive().finite(),
    learningRateDecay: unitOpen,
    learningRateLimit: z.number().min(0),
    weightDecay: z.number().min(0),
    mirrored: z.boolean(),
    rankFitness: z.boolean(),
    adamBeta1: z.number().min(0).lt(1),
    adamBeta2: z.number().min(0).lt(1),
    adamEpsilon: z.number().positive(),
    noiseTableSize: z.number().int().positive(),
    noiseSeed: z.number().int().min(0),
    seed: z.number().int().min(0),
  })
  .refine((c) => !c.mirrored || c.popSize % 2 === 0, { message: 'with mirrored sampling the population comes in +/- pairs: popSize must be even', path: ['popSize'] });

/** Defaults overlaid with `options`, validated (errors name the field); the noise table must hold a whole genome. */
export function resolveOpenESConfig(options: OpenESOptions, dim: number): OpenESConfig {
  const config = parseOrThrow(schema, { ...OPEN_ES_DEFAULTS, ...options }, 'OpenES config');
  if (config.noiseTableSize < dim) throw new InvalidInputError(`OpenES config: noiseTableSize: ${config.noiseTableSize} values cannot hold a genome of ${dim}`);
  return config;
}
