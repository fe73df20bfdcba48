import type { Env } from '../../core/index.ts';

/** Anything that picks actions: every agent's `predict`. */
export interface Policy<Obs, Act> {
  predict(observation: Obs, opts?: { deterministic?: boolean }): Act;
}

export interface EvaluateOptions {
  /** Episodes to run. Default 10. */
  episodes?: number;
  /** Episode `i` is reset with `seed + i`, so an evaluation is repeatable. Default 0. */
  seed?: number;
  /** Greedy actions (default true). */
  deterministic?: boolean;
  /** Stop an episode after this many steps if the env has no time limit. Default 100,000. */
  maxSteps?: number;
}

export interface EvaluateResult {
  mean: number;
  std: number;
  returns: number[];
  lengths: number[];
  /** Share of episodes whose last `info.completed` was true (envs with a goal, e.g. the platformer's flag); absent when the env reports no `completed`. */
  completionRate?: number;
}

/** Runs whole episodes with `policy` and reports the mean and standard deviation of the return (SB3 `evaluate_policy`). */
export function evaluate<Obs, Act>(policy: Policy<Obs, Act>, env: Env<Obs, Act>, opts: EvaluateOptions = {}): EvaluateResult {
  const episodes = opts.episodes ?? 10;
  const seed = opts.seed ?? 0;
  const maxSteps = opts.maxSteps ?? 100_000;
  const returns: number[] = [];
  const lengths: number[] = [];
  let completed = 0;
  let reportsCompletion = false;
  for (let i = 0; i < episodes; i++) {
    let { observation } = env.reset({ seed: seed + i });
    let total = 0;
    let length = 0;
    for (;;) {
      const r = env.step(policy.predict(observation, { deterministic: opts.deterministic ?? true }));
      total += r.reward;
      length++;
      observation = r.observation;
      if (r.terminated || r.truncated || length >= maxSteps) {
        if (typeof r.info.completed === 'boolean') {
          reportsCompletion = true;
          if (r.info.completed) completed++;
        }
        break;
      }
    }
    returns.push(total);
    lengths.push(length);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / episodes);
  return reportsCompletion ? { mean, std, returns, lengths, completionRate: completed / episodes } : { mean, std, returns, lengths };
}
