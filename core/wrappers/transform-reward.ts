import type { Env, StepResult } from '../env.ts';
import { Wrapper } from './wrapper.ts';

/** Applies `fn` to every reward (Gymnasium `TransformReward`). */
export class TransformReward<O, A> extends Wrapper<O, A> {
  constructor(
    env: Env<O, A>,
    private readonly fn: (reward: number) => number,
  ) {
    super(env);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    r.reward = this.fn(r.reward);
    return r;
  }
}

/** Clips every reward into `[min, max]` (Gymnasium `ClipReward`; DQN on Atari uses [-1, 1]). */
export class ClipReward<O, A> extends Wrapper<O, A> {
  constructor(
    env: Env<O, A>,
    readonly min = -1,
    readonly max = 1,
  ) {
    super(env);
    if (!(min <= max)) throw new RangeError(`ClipReward: min (${min}) must be <= max (${max})`);
  }

  override step(action: A): StepResult<O> {
    const r = this.env.step(action);
    r.reward = Math.min(this.max, Math.max(this.min, r.reward));
    return r;
  }
}
