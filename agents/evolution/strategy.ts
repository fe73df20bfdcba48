/**
 * The ask/tell contract every evolution strategy follows (after evosax and pycma's `ask`/`tell`).
 *
 * A generation: `ask()` hands out `popSize` candidates, the caller scores each one, `tell(results)` takes one
 * result per candidate and returns the generation's statistics. The objective is always stated (`'max'` or
 * `'min'`); strategies compare fitness only through `rankResults`, so maximising `f` and minimising `-f` take the
 * same path, bit for bit.
 */
import type { JsonValue } from '../../core/index.ts';

/** Whether larger (`'max'`) or smaller (`'min'`) fitness is better. Never implied: every config states it. */
export type Objective = 'max' | 'min';

/** One genome to score. */
export interface Candidate {
  /** Unique within a run: `tell` matches results to candidates by it. */
  readonly id: number;
  /** The parameters to evaluate. Owned by the caller once handed out. */
  readonly genome: Float32Array;
  /** Seed for everything random in this candidate's evaluation, derived from (strategy seed, generation, id). */
  readonly seed: number;
}

/** The score of one candidate. */
export interface FitnessResult {
  /** The candidate's `id`. */
  id: number;
  /** Its fitness in the objective's sense; must be finite. */
  fitness: number;
  /**
   * Constraint values, each `<= 0` when satisfied (pycma's convention); a candidate with any value `> 0` is
   * infeasible and ranks below every feasible one, infeasible ones by total violation (Deb 2000's rule).
   */
  constraints?: readonly number[];
}

/** What one `tell` reports. Means and spreads are of the raw fitness; `best`/`worst` are in the objective's sense. */
export interface GenerationStats {
  /** The generation just told, counting from 0. */
  generation: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  /** Fitness of the top-ranked candidate (feasible first). */
  best: number;
  /** Fitness of the bottom-ranked candidate. */
  worst: number;
  /** Id of the top-ranked candidate. */
  bestId: number;
  /** Candidates that violated a constraint. */
  infeasible: number;
}

/** The best candidate seen so far. */
export interface BestSoFar {
  genome: Float32Array;
  fitness: number;
}


/** Plain JSON that restores a strategy exactly: its state, its RNG state and its counters. */
export interface StrategySnapshot {
  /** Which strategy wrote it (`Strategy.kind`); `restore` refuses another's. */
  kind: string;
  /** Snapshot layout version. */
  version: number;
  [key: string]: JsonValue;
}

/** Every strategy: ask for candidates, tell their fitness, repeat. */
export interface Strategy {
  /** Which strategy this is (`'ga'`, `'open-es'`, `'cma-es'`, `'sep-cma-es'`); snapshots carry it. */
  readonly kind: string;
  readonly objective: Objective;
  /** Genome length. */
  readonly dim: number;
  /** Candidates per `ask`. */
  readonly popSize: number;
  /** Generations told so far. */
  readonly generation: number;
  /**
   * This generation's candidates. Calling it again before `tell` returns the same candidates (fresh copies), so a
   * caller that crashed between ask and tell can ask again.
   */
  ask(): Candidate[];
  /** One result per asked candidate, any order. Unknown or missing ids, duplicates and non-finite fitness throw. */
  tell(results: readonly FitnessResult[]): GenerationStats;
  /** The best candidate told so far (feasible first). Throws before the first `tell`. */
  best(): BestSoFar;
  /** The whole state as plain JSON. Taken between ask and tell, it restores to before that ask. */
  snapshot(): StrategySnapshot;
  /** Continues exactly from a snapshot of a strategy of the same kind and dimension. */
  restore(snapshot: StrategySnapshot): void;
}
