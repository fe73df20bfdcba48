import { InvalidInputError } from '../../core/index.ts';
import type { Candidate, FitnessResult } from './strategy.ts';

/**
 * Checks one `tell`: exactly one result per pending candidate, each with a finite fitness and finite constraints.
 * Returns the results in the candidates' order. Errors name the strategy, the id and the problem.
 */
export function matchResults(where: string, pending: readonly Candidate[] | undefined, results: readonly FitnessResult[]): FitnessResult[] {
  if (pending === undefined) throw new InvalidInputError(`${where}.tell: no candidates are waiting for results; call ask() first`);
  if (!Array.isArray(results)) throw new InvalidInputError(`${where}.tell: expected an array of { id, fitness }, received ${typeof results}`);
  const slot = new Map<number, number>();
  pending.forEach((c, i) => slot.set(c.id, i));
  const out: Array<FitnessResult | undefined> = new Array(pending.length).fill(undefined);
  for (const r of results as readonly FitnessResult[]) {
    const i = slot.get(r?.id);
    if (i === undefined) throw new InvalidInputError(`${where}.tell: unknown candidate id ${String(r?.id)} (this generation's ids are ${pending[0].id}..${pending[pending.length - 1].id})`);
    if (out[i] !== undefined) throw new InvalidInputError(`${where}.tell: candidate ${r.id} has two results`);
    if (typeof r.fitness !== 'number' || !Number.isFinite(r.fitness)) throw new InvalidInputError(`${where}.tell: candidate ${r.id} has fitness ${String(r.fitness)}; fitness must be a finite number`);
    if (r.constraints !== undefined) {
      r.constraints.forEach((c, k) => {
        if (typeof c !== 'number' || !Number.isFinite(c)) throw new InvalidInputError(`${where}.tell: candidate ${r.id} has constraints[${k}] = ${String(c)}; constraints must be finite numbers`);
      });
    }
    out[i] = r;
  }
  const missing = pending.filter((_, i) => out[i] === undefined).map((c) => c.id);
  if (missing.length > 0) throw new InvalidInputError(`${where}.tell: missing results for ${missing.length} of ${pending.length} candidates (ids ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''})`);
  return out as FitnessResult[];
}

/** Checks an initial genome: the expected length, finite values. */
export function checkGenome(where: string, genome: ArrayLike<number>, dim?: number): Float64Array {
  if (genome === null || typeof genome !== 'object' || typeof genome.length !== 'number') throw new InvalidInputError(`${where}: the initial genome must be an array of numbers`);
  if (dim !== undefined && genome.length !== dim) throw new InvalidInputError(`${where}: genome has length ${genome.length}, expected ${dim}`);
  if (genome.length === 0) throw new InvalidInputError(`${where}: the initial genome is empty; a genome needs at least one value`);
  const out = Float64Array.from(genome);
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InvalidInputError(`${where}: genome[${bad}] is ${out[bad]}; values must be finite`);
  return out;
}
