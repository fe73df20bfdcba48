import { InvalidInputError, make, type Env } from '../../core/index.ts';
import { MlpPolicy, type MlpPolicySpec } from './policy.ts';
import { deriveSeed } from './seeds.ts';

/** The returns of one candidate's episodes. */
export interface RolloutResult {
  /** Mean episode return: the candidate's fitness. */
  meanReturn: number;
  returns: number[];
  /** Env steps taken. */
  steps: number;
}

/** Episodes are cut at this many steps when the env has no time limit of its own (as `evaluate`). */
export const MAX_EPISODE_STEPS = 100_000;

/**
 * Runs genomes as policies on one env: a pure function of (env id, policy spec, genome, seed, episodes). The env
 * and the network are built once and reused, and episode `e` is reset with `deriveSeed(seed, e)`, so the result
 * does not depend on what ran before; a worker thread holding its own `Rollouts` gives the same numbers.
 */
export class Rollouts {
  readonly policy: MlpPolicy;
  private readonly env: Env<unknown, unknown>;

  constructor(
    readonly envId: string,
    readonly policySpec: MlpPolicySpec,
  ) {
    // The checker is off: actions come from the policy, which maps into the action space by construction.
    this.env = make(envId, {}, { disableEnvChecker: true });
    this.policy = new MlpPolicy(policySpec, this.env.observationSpace, this.env.actionSpace);
  }

  /** Plays `episodes` episodes with `genome` as the weights. */
  run(genome: ArrayLike<number>, seed: number, episodes: number): RolloutResult {
    if (!Number.isInteger(episodes) || episodes < 1) throw new InvalidInputError(`Rollouts.run: episodes must be a positive integer, received ${episodes}`);
    this.policy.setGenome(genome);
    const returns: number[] = [];
    let steps = 0;
    for (let e = 0; e < episodes; e++) {
      let observation = this.env.reset({ seed: deriveSeed(seed, e) }).observation;
      let total = 0;
      for (let t = 0; t < MAX_EPISODE_STEPS; t++) {
        const r = this.env.step(this.policy.act(observation));
        if (!Number.isFinite(r.reward)) throw new InvalidInputError(`Rollouts.run: ${this.envId} returned reward ${r.reward} at step ${t} of episode ${e}`);
        total += r.reward;
        steps++;
        observation = r.observation;
        if (r.terminated || r.truncated) break;
      }
      returns.push(total);
    }
    return { meanReturn: returns.reduce((a, b) => a + b, 0) / episodes, returns, steps };
  }

  close(): void {
    this.env.close?.();
  }
}
