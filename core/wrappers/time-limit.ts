import type { Env, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { Wrapper } from './wrapper.ts';

/** Sets `truncated` once an episode has lasted `maxEpisodeSteps` steps (Gymnasium `TimeLimit`). */
export class TimeLimit<O, A> extends Wrapper<O, A> {
  private elapsed = 0;

  constructor(env: Env<O, A>, readonly maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps <= 0) {
      throw new RangeError(`TimeLimit: maxEpisodeSteps must be a positive integer, received ${maxEpisodeSteps}`);
    }
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    this.elapsed = 0;
    return this.env.reset(opts);
  }

  override step(action: A): StepResult<O> {
    const result = this.env.step(action);
    if (++this.elapsed >= this.maxEpisodeSteps) result.truncated = true;
    return result;
  }
}
