import { z } from 'zod';
import { parseOrThrow } from './base-strategy.ts';
import { mlpPolicySpecSchema, type MlpPolicySpec } from './policy.ts';
import type { Strategy } from './strategy.ts';

/** What `evolve` runs. */
export interface EvolveOptions {
  /** A registered env id (import the module that registers it first, e.g. `arcade-rl/envs`). */
  env: string;
  /** The policy network the genomes are the weights of. */
  policy: MlpPolicySpec;
  /** Any ask/tell strategy whose objective is `'max'` (fitness is episode return) and whose genome fits `policy`. */
  strategy: Strategy;
  /** Run seed: every episode's seed is derived from it, the generation and the candidate id. */
  seed: number;
  /** Generations at most. */
  generations: number;
  /** Episodes per candidate; fitness is their mean return. Default 1 (arcade-rl's choice: the re-evaluation below guards the champion against a lucky episode). */
  episodesPerCandidate?: number;
  /** Stop after the generation in which the run's env steps reach this. Default: no budget. */
  maxEnvSteps?: number;
  /** Stop when the champion's mean return over `episodes` fresh evaluation episodes reaches `meanReturn`. Default: never. */
  stop?: { meanReturn: number; episodes: number };
  /** The `top` candidates of each generation play `episodes` fresh episodes before one is named champion. Default top 3, 4 episodes (arcade-rl's choice; `top: 0` turns it off). */
  reevaluate?: { top: number; episodes: number };
  /** Run folder: `metrics.jsonl`, `config.json`, `checkpoints/evolve.ckpt` (every generation). Default: none. */
  out?: string;
  /** Continue from `out`'s checkpoint, or start afresh if it has none (as the training runner). Default false. Without it, a folder that already holds a checkpoint is an error. */
  resume?: boolean;
  /** Called after every generation. */
  onGeneration?: (record: GenerationRecord) => void;
}

/** One generation of a run. No timings, so two runs can be compared with `toEqual`. */
export interface GenerationRecord {
  generation: number;
  /** Raw fitness statistics of the population (mean episode return per candidate). */
  mean: number;
  std: number;
  best: number;
  worst: number;
  /** Id of the candidate named champion after re-evaluation, and its mean return over all its episodes. */
  championId: number;
  championFitness: number;
  /** Mean return of the champion over the stop condition's evaluation episodes, when they were run. */
  evalMeanReturn?: number;
  /** Env steps of the run so far, this generation included. */
  envSteps: number;
}

export interface EvolveResult {
  /** The best champion: the one that met the stop condition, else the one with the highest re-evaluated fitness. */
  best: { genome: Float32Array; fitness: number };
  history: GenerationRecord[];
  envSteps: number;
  /** Whether the stop condition was met. */
  solved: boolean;
}

/** The checked settings of a run. */
export interface EvolveSettings {
  env: string;
  policy: MlpPolicySpec;
  seed: number;
  generations: number;
  episodesPerCandidate: number;
  maxEnvSteps: number | null;
  stop: { meanReturn: number; episodes: number } | null;
  reevaluate: { top: number; episodes: number };
}

const positiveInt = z.number().int().positive();
const settingsSchema = z.strictObject({
  env: z.string().min(1),
  policy: mlpPolicySpecSchema,
  seed: z.number().int().min(0),
  generations: positiveInt,
  episodesPerCandidate: positiveInt,
  maxEnvSteps: positiveInt.nullable(),
  stop: z.strictObject({ meanReturn: z.number().finite(), episodes: positiveInt }).nullable(),
  reevaluate: z.strictObject({ top: z.number().int().min(0), episodes: positiveInt }),
});

/** Checks `opts` (errors name the field) and fills in the defaults. */
export function resolveEvolveSettings(opts: EvolveOptions): EvolveSettings {
  return parseOrThrow(
    settingsSchema,
    {
      env: opts.env,
      policy: opts.policy,
      seed: opts.seed,
      generations: opts.generations,
      episodesPerCandidate: opts.episodesPerCandidate ?? 1,
      maxEnvSteps: opts.maxEnvSteps ?? null,
      stop: opts.stop ?? null,
      reevaluate: opts.reevaluate ?? { top: 3, episodes: 4 },
    },
    'evolve',
  );
}

export const generationRecordSchema = z.object({
  generation: z.number().int().min(0),
  mean: z.number(),
  std: z.number(),
  best: z.number(),
  worst: z.number(),
  championId: z.number().int(),
  championFitness: z.number(),
  evalMeanReturn: z.number().optional(),
  envSteps: z.number().int().min(0),
});
