import type { FitnessResult, GenerationStats, Objective } from './strategy.ts';

/**
 * Indices of `results`, best first: feasible before infeasible (infeasible by total constraint violation), then by
 * fitness in the objective's sense, ties by id. The only place fitness is compared, so the objective cannot be
 * read the wrong way round in one strategy and right in another.
 */
export function rankResults(results: readonly FitnessResult[], objective: Objective): number[] {
  const sign = objective === 'max' ? -1 : 1;
  const violation = results.map(totalViolation);
  const order = results.map((_, i) => i);
  order.sort((a, b) => {
    if (violation[a] !== violation[b]) return violation[a] - violation[b];
    const fa = sign * results[a].fitness;
    const fb = sign * results[b].fitness;
    if (fa !== fb) return fa - fb;
    return results[a].id - results[b].id;
  });
  return order;
}

/** Sum of the positive constraint values (0 when every constraint holds). */
export function totalViolation(result: FitnessResult): number {
  let sum = 0;
  for (const c of result.constraints ?? []) if (c > 0) sum += c;
  return sum;
}

/**
 * Centred ranks (Salimans et al. 2017; `compute_centered_ranks` in openai/evolution-strategies-starter): the
 * smallest value gets -0.5, the largest +0.5, evenly spaced between; ties keep index order. One value gets 0.
 */
export function centredRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const out = new Float64Array(n);
  if (n === 1) return out;
  order.forEach((index, rank) => {
    out[index] = rank / (n - 1) - 0.5;
  });
  return out;
}

/** Centred-rank utilities from a best-first order: the best gets +0.5, the worst -0.5. */
export function utilitiesFromOrder(order: readonly number[]): Float64Array {
  const n = order.length;
  const out = new Float64Array(n);
  if (n === 1) return out;
  order.forEach((index, position) => {
    out[index] = (n - 1 - position) / (n - 1) - 0.5;
  });
  return out;
}

/** Statistics of one generation from its results and their best-first order. */
export function generationStats(generation: number, results: readonly FitnessResult[], order: readonly number[]): GenerationStats {
  const n = results.length;
  let mean = 0;
  for (const r of results) mean += r.fitness;
  mean /= n;
  let sq = 0;
  for (const r of results) sq += (r.fitness - mean) ** 2;
  const top = results[order[0]];
  return {
    generation,
    mean,
    std: Math.sqrt(sq / n),
    best: top.fitness,
    worst: results[order[n - 1]].fitness,
    bestId: top.id,
    infeasible: results.filter((r) => totalViolation(r) > 0).length,
  };
}

/** Whether `a` is strictly better than `b` under the same rule as `rankResults` (ids ignored). */
export function isBetter(a: FitnessResult, b: FitnessResult, objective: Objective): boolean {
  const va = totalViolation(a);
  const vb = totalViolation(b);
  if (va !== vb) return va < vb;
  return objective === 'max' ? a.fitness > b.fitness : a.fitness < b.fitness;
}
