import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidInputError, MetricsWriter, writeJsonAtomic } from '../../core/index.ts';
import { evolveCheckpointPath, readEvolveCheckpoint, writeEvolveCheckpoint, type EvolveState } from './evolve-checkpoint.ts';
import { resolveEvolveSettings, type EvolveOptions, type EvolveResult, type EvolveSettings, type GenerationRecord } from './evolve-options.ts';
import { Rollouts, type RolloutResult } from './rollout.ts';
import { deriveSeed } from './seeds.ts';
import type { Candidate, Strategy } from './strategy.ts';

// Tags that keep the seeds of re-evaluation and stop-condition episodes apart from the candidates' own.
const REEVALUATE_TAG = 0x5eed01;
const STOP_TAG = 0x5eed02;

/**
 * Evolves the weights of a policy network on an env with an ask/tell strategy.
 *
 * Each generation: every candidate plays `episodesPerCandidate` episodes seeded from (run seed, generation,
 * candidate id), and its mean return is its fitness; the strategy is told; the top few play fresh episodes and
 * the one with the best mean over all its episodes is the champion (a lucky single episode does not make one);
 * if the champion clears the stop threshold on that mean, it plays the stop condition's evaluation episodes.
 * Metrics go to `out/metrics.jsonl` and the whole state to `out/checkpoints/evolve.ckpt` after every generation,
 * so `resume` continues with exactly the generations an uninterrupted run would have produced.
 *
 * Single-threaded for now; a candidate's evaluation is a pure function of (env id, policy, genome, seed), so a
 * worker pool can take over `evaluateAll` without changing any result.
 */
export async function evolve(opts: EvolveOptions): Promise<EvolveResult> {
  const settings = resolveEvolveSettings(opts);
  const strategy = opts.strategy;
  if (strategy.objective !== 'max') throw new InvalidInputError(`evolve: the strategy's objective is '${strategy.objective}', but fitness here is episode return, which is maximised; build the strategy with objective: 'max'`);
  const rollouts = new Rollouts(settings.env, settings.policy);
  if (strategy.dim !== rollouts.policy.parameterCount) {
    throw new InvalidInputError(`evolve: the strategy's genomes have ${strategy.dim} values, the policy for ${settings.env} (hidden [${settings.policy.hidden.join(', ')}]) has ${rollouts.policy.parameterCount} parameters`);
  }
  if (opts.resume === true && opts.out === undefined) throw new InvalidInputError('evolve: resume needs out, the run folder to resume from');

  let state: EvolveState = { settings, generation: 0, envSteps: 0, history: [], best: null, solved: false, strategy: strategy.snapshot() };
  // As the training runner: resume from the checkpoint if there is one, else start afresh; a fresh run never
  // overwrites another run's checkpoint.
  const checkpointExists = opts.out !== undefined && fs.existsSync(evolveCheckpointPath(opts.out));
  const resuming = opts.resume === true && checkpointExists;
  if (opts.out !== undefined && checkpointExists && !resuming) throw new InvalidInputError(`evolve: ${opts.out} already holds a run (${evolveCheckpointPath(opts.out)}); resume it or choose another folder`);
  if (resuming && opts.out !== undefined) {
    state = readEvolveCheckpoint(opts.out, settings);
    strategy.restore(state.strategy);
  }
  const metrics = opts.out === undefined ? undefined : new MetricsWriter(path.join(opts.out, 'metrics.jsonl'), resuming ? { resumeAtStep: state.envSteps } : {});
  if (opts.out !== undefined && !resuming) writeJsonAtomic(path.join(opts.out, 'config.json'), { ...settings, strategy: { kind: strategy.kind, objective: strategy.objective, popSize: strategy.popSize, dim: strategy.dim } });

  try {
    while (!state.solved && state.generation < settings.generations && (settings.maxEnvSteps === null || state.envSteps < settings.maxEnvSteps)) {
      const started = performance.now();
      const stepsBefore = state.envSteps;
      const record = runGeneration(strategy, rollouts, settings, state);
      opts.onGeneration?.(record);
      const seconds = (performance.now() - started) / 1000;
      metrics?.write(state.envSteps, {
        'evo/best_fitness': record.best,
        'evo/mean_fitness': record.mean,
        'evo/fitness_std': record.std,
        'evo/worst_fitness': record.worst,
        'evo/champion_fitness': record.championFitness,
        'evo/generation': record.generation,
        'charts/env_steps': state.envSteps,
        'charts/sps': seconds > 0 ? (state.envSteps - stepsBefore) / seconds : 0,
        ...(record.evalMeanReturn !== undefined ? { 'eval/mean_return': record.evalMeanReturn } : {}),
      });
      if (opts.out !== undefined) {
        metrics?.flush();
        writeEvolveCheckpoint(opts.out, { ...state, strategy: strategy.snapshot() });
      }
    }
  } finally {
    metrics?.close();
    rollouts.close();
  }
  if (state.best === null) throw new InvalidInputError('evolve: no generation ran (the checkpoint was already at the end of the run)');
  return { best: { genome: state.best.genome.slice(), fitness: state.best.fitness }, history: state.history, envSteps: state.envSteps, solved: state.solved };
}

/** One generation: evaluate, tell, re-evaluate the top, name the champion, maybe run the stop evaluation. Updates `state`. */
function runGeneration(strategy: Strategy, rollouts: Rollouts, settings: EvolveSettings, state: EvolveState): GenerationRecord {
  const generation = state.generation;
  const candidates = strategy.ask();
  const scores = evaluateAll(rollouts, candidates, settings, generation);
  for (const s of scores) state.envSteps += s.steps;
  const stats = strategy.tell(candidates.map((c, i) => ({ id: c.id, fitness: scores[i].meanReturn })));

  // Re-evaluate the top few on fresh episodes; the champion has the best mean over all its episodes.
  const top = candidates
    .map((_, i) => i)
    .sort((a, b) => scores[b].meanReturn - scores[a].meanReturn || candidates[a].id - candidates[b].id)
    .slice(0, Math.max(1, settings.reevaluate.top));
  let champion = top[0];
  let championFitness = Number.NEGATIVE_INFINITY;
  for (const i of top) {
    let fitness = scores[i].meanReturn;
    if (settings.reevaluate.top > 0) {
      const extra = rollouts.run(candidates[i].genome, deriveSeed(settings.seed, generation, candidates[i].id, REEVALUATE_TAG), settings.reevaluate.episodes);
      state.envSteps += extra.steps;
      fitness = (scores[i].meanReturn * settings.episodesPerCandidate + extra.meanReturn * settings.reevaluate.episodes) / (settings.episodesPerCandidate + settings.reevaluate.episodes);
    }
    if (fitness > championFitness) {
      championFitness = fitness;
      champion = i;
    }
  }
  const genome = candidates[champion].genome;

  let evalMeanReturn: number | undefined;
  if (settings.stop !== null && championFitness >= settings.stop.meanReturn) {
    const evaluation = rollouts.run(genome, deriveSeed(settings.seed, generation, STOP_TAG), settings.stop.episodes);
    state.envSteps += evaluation.steps;
    evalMeanReturn = evaluation.meanReturn;
    state.solved = evalMeanReturn >= settings.stop.meanReturn;
  }
  if (state.solved || state.best === null || championFitness > state.best.fitness) state.best = { genome: genome.slice(), fitness: championFitness };

  const record: GenerationRecord = {
    generation,
    mean: stats.mean,
    std: stats.std,
    best: stats.best,
    worst: stats.worst,
    championId: candidates[champion].id,
    championFitness,
    ...(evalMeanReturn !== undefined ? { evalMeanReturn } : {}),
    envSteps: state.envSteps,
  };
  state.history.push(record);
  state.generation++;
  return record;
}

/** Every candidate's episodes. The seam for a worker pool: each call is a pure function of its inputs. */
function evaluateAll(rollouts: Rollouts, candidates: readonly Candidate[], settings: EvolveSettings, generation: number): RolloutResult[] {
  return candidates.map((c) => rollouts.run(c.genome, deriveSeed(settings.seed, generation, c.id), settings.episodesPerCandidate));
}
