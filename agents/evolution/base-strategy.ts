import { z } from 'zod';
import { ArcadeError, InvalidInputError, Rng, formatZodError, type JsonValue, type RngState } from '../../core/index.ts';
import { generationStats, isBetter, rankResults } from './ranking.ts';
import { deriveSeed } from './seeds.ts';
import type { BestSoFar, Candidate, FitnessResult, GenerationStats, Objective, Strategy, StrategySnapshot } from './strategy.ts';
import { matchResults } from './tell-check.ts';

const rngStateSchema = z.object({ algorithm: z.literal('alea'), c: z.number(), s0: z.number(), s1: z.number(), s2: z.number() });

const commonSnapshotSchema = z.object({
  kind: z.string(),
  version: z.literal(1),
  dim: z.number().int().positive(),
  objective: z.enum(['max', 'min']),
  popSize: z.number().int().positive(),
  seed: z.number().int().min(0),
  generation: z.number().int().min(0),
  nextId: z.number().int().min(0),
  rng: rngStateSchema,
  best: z.object({ genome: z.array(z.number()), fitness: z.number(), violation: z.number() }).nullable(),
  state: z.unknown(),
});

/** The settings every strategy shares. */
export interface CommonSettings {
  objective: Objective;
  popSize: number;
  seed: number;
}

/**
 * The bookkeeping every strategy shares: ids, candidate seeds, the pending generation (asking twice gives the same
 * candidates), result checks, statistics, the best so far and the common part of snapshots. A strategy supplies
 * `sample` (draws the population; it may use `this.rng` but must not change its own state) and `update` (learns
 * from the results, given best-first), and its state as JSON.
 */
export abstract class BaseStrategy<C extends Candidate = Candidate> implements Strategy {
  abstract readonly kind: string;
  readonly objective: Objective;
  readonly popSize: number;
  readonly dim: number;
  protected readonly rng: Rng;
  private seed: number;
  private gen = 0;
  private nextId = 0;
  private pending: C[] | undefined;
  private rngBeforeAsk: RngState | undefined;
  private bestGenome: Float32Array | undefined;
  private bestResult: FitnessResult | undefined;

  constructor(common: CommonSettings, dim: number) {
    this.objective = common.objective;
    this.popSize = common.popSize;
    this.seed = common.seed;
    this.dim = dim;
    this.rng = new Rng(common.seed);
  }

  get generation(): number {
    return this.gen;
  }

  ask(): C[] {
    if (this.pending === undefined) {
      this.rngBeforeAsk = this.rng.getState();
      const bodies = this.sample();
      this.pending = bodies.map((body) => {
        const id = this.nextId++;
        return { ...body, id, seed: deriveSeed(this.seed, this.gen, id) } as C;
      });
    }
    return this.pending.map((c) => ({ ...c, genome: c.genome.slice() }));
  }

  tell(results: readonly FitnessResult[]): GenerationStats {
    const pending = this.pending;
    const ordered = matchResults(this.constructor.name, pending, results);
    const order = rankResults(ordered, this.objective);
    const top = ordered[order[0]];
    if (this.bestResult === undefined || isBetter(top, this.bestResult, this.objective)) {
      this.bestResult = { id: top.id, fitness: top.fitness, constraints: top.constraints };
      this.bestGenome = (pending as C[])[order[0]].genome.slice();
    }
    this.update(pending as C[], ordered, order);
    const stats = generationStats(this.gen, ordered, order);
    this.pending = undefined;
    this.rngBeforeAsk = undefined;
    this.gen++;
    return stats;
  }

  best(): BestSoFar {
    if (this.bestGenome === undefined || this.bestResult === undefined) throw new ArcadeError(`${this.constructor.name}.best: nothing has been told yet`);
    return { genome: this.bestGenome.slice(), fitness: this.bestResult.fitness };
  }

  snapshot(): StrategySnapshot {
    const rng = this.rngBeforeAsk ?? this.rng.getState();
    const best = this.bestResult === undefined || this.bestGenome === undefined ? null : { genome: Array.from(this.bestGenome), fitness: this.bestResult.fitness, violation: violationOf(this.bestResult) };
    return {
      kind: this.kind,
      version: 1,
      dim: this.dim,
      objective: this.objective,
      popSize: this.popSize,
      seed: this.seed,
      generation: this.gen,
      // Ids of a pending generation are handed out again after a restore.
      nextId: this.pending === undefined ? this.nextId : this.pending[0].id,
      rng: { ...rng },
      best,
      state: this.stateJson(),
    };
  }

  restore(snapshot: StrategySnapshot): void {
    const where = `${this.constructor.name}.restore`;
    const parsed = commonSnapshotSchema.safeParse(snapshot);
    if (!parsed.success) throw new InvalidInputError(`${where}: not a strategy snapshot: ${formatZodError(parsed.error)}`);
    const s = parsed.data;
    if (s.kind !== this.kind) throw new InvalidInputError(`${where}: the snapshot is of a '${s.kind}' strategy, this is '${this.kind}'`);
    for (const key of ['dim', 'objective', 'popSize'] as const) {
      if (s[key] !== this[key]) throw new InvalidInputError(`${where}: the snapshot has ${key} ${String(s[key])}, this strategy has ${String(this[key])}`);
    }
    if (s.best !== null && s.best.genome.length !== this.dim) throw new InvalidInputError(`${where}: best.genome has length ${s.best.genome.length}, expected ${this.dim}`);
    this.restoreState(s.state, where);
    this.gen = s.generation;
    this.nextId = s.nextId;
    this.rng.setState(s.rng);
    this.seed = s.seed;
    this.pending = undefined;
    this.rngBeforeAsk = undefined;
    this.bestGenome = s.best === null ? undefined : Float32Array.from(s.best.genome);
    this.bestResult = s.best === null ? undefined : { id: -1, fitness: s.best.fitness, constraints: s.best.violation > 0 ? [s.best.violation] : undefined };
  }

  /** This generation's candidates without id and seed. Draws from `this.rng` only. */
  protected abstract sample(): Array<Omit<C, 'id' | 'seed'>>;
  /** Learns from one generation: `results[i]` scores `candidates[i]`; `order` lists indices best first. */
  protected abstract update(candidates: readonly C[], results: readonly FitnessResult[], order: readonly number[]): void;
  /** The strategy's own state as JSON. */
  protected abstract stateJson(): JsonValue;
  /** Loads `stateJson()`'s output; validates it (errors start with `where`). */
  protected abstract restoreState(state: unknown, where: string): void;
}

function violationOf(r: FitnessResult): number {
  let v = 0;
  for (const c of r.constraints ?? []) if (c > 0) v += c;
  return v;
}

/** Parses `value` with `schema` or throws an `InvalidInputError` that starts with `where`. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new InvalidInputError(`${where}: ${formatZodError(r.error)}`);
  return r.data;
}
