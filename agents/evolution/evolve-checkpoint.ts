import * as path from 'node:path';
import { z } from 'zod';
import { InvalidInputError, readCheckpoint, writeCheckpoint } from '../../core/index.ts';
import { generationRecordSchema, type EvolveSettings, type GenerationRecord } from './evolve-options.ts';
import type { StrategySnapshot } from './strategy.ts';

/** Where a run folder keeps its one checkpoint, rewritten atomically after every generation. */
export function evolveCheckpointPath(out: string): string {
  return path.join(out, 'checkpoints', 'evolve.ckpt');
}

/** Everything a run needs to continue exactly: settings (checked on resume), counters, history, best, strategy. */
export interface EvolveState {
  settings: EvolveSettings;
  /** Generations completed. */
  generation: number;
  envSteps: number;
  history: GenerationRecord[];
  best: { genome: Float32Array; fitness: number } | null;
  solved: boolean;
  strategy: StrategySnapshot;
}

const KIND = 'evolve';

const metaSchema = z.object({
  version: z.literal(1),
  settings: z.unknown(),
  generation: z.number().int().min(0),
  envSteps: z.number().int().min(0),
  history: z.array(generationRecordSchema),
  bestFitness: z.number().nullable(),
  solved: z.boolean(),
  strategy: z.record(z.string(), z.unknown()),
});

export function writeEvolveCheckpoint(out: string, state: EvolveState): void {
  writeCheckpoint(evolveCheckpointPath(out), {
    kind: KIND,
    meta: {
      version: 1,
      settings: state.settings,
      generation: state.generation,
      envSteps: state.envSteps,
      history: state.history,
      bestFitness: state.best?.fitness ?? null,
      solved: state.solved,
      strategy: state.strategy,
    },
    arrays: state.best === null ? {} : { best: state.best.genome },
  });
}

/** Reads a run's checkpoint; the settings that shape its results must equal `settings` (a resumed run cannot silently change course). */
export function readEvolveCheckpoint(out: string, settings: EvolveSettings): EvolveState {
  const file = evolveCheckpointPath(out);
  const ckpt = readCheckpoint(file, { expectKind: KIND, metaSchema });
  // Settings that shape the trajectory must match; the generation and step budgets and the stop condition may change.
  const shaping = (s: unknown): string => {
    const { env, policy, seed, episodesPerCandidate, reevaluate } = s as EvolveSettings;
    return JSON.stringify({ env, policy, seed, episodesPerCandidate, reevaluate });
  };
  if (shaping(ckpt.meta.settings) !== shaping(settings)) {
    throw new InvalidInputError(`evolve: ${file} was written by a run with other settings (${shaping(ckpt.meta.settings)}); resume with the same ones, not ${shaping(settings)}`);
  }
  const genome = ckpt.arrays.best;
  if (ckpt.meta.bestFitness !== null && !(genome instanceof Float32Array)) throw new InvalidInputError(`evolve: ${file} has a best fitness but no best genome`);
  return {
    settings,
    generation: ckpt.meta.generation,
    envSteps: ckpt.meta.envSteps,
    history: ckpt.meta.history,
    best: ckpt.meta.bestFitness === null ? null : { genome: genome as Float32Array, fitness: ckpt.meta.bestFitness },
    solved: ckpt.meta.solved,
    strategy: ckpt.meta.strategy as StrategySnapshot,
  };
}
