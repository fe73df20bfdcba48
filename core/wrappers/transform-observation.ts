import type { Env, ResetOptions, ResetResult, StepResult } from '../env.ts';
import type { Space } from '../spaces/space.ts';
import { Wrapper } from './wrapper.ts';

/** Applies `fn` to every observation; give the space of the results (Gymnasium `TransformObservation`). */
export class TransformObservation<O, A, WO> extends Wrapper<O, A, WO, A> {
  constructor(
    env: Env<O, A>,
    private readonly fn: (observation: O) => WO,
    private readonly space: Space<WO>,
  ) {
    super(env);
  }

  override get observationSpace(): Space<WO> {
    return this.space;
  }

  override reset(opts?: ResetOptions): ResetResult<WO> {
    const r = this.env.reset(opts);
    return { observation: this.fn(r.observation), info: r.info };
  }

  override step(action: A): StepResult<WO> {
    const r = this.env.step(action);
    return { observation: this.fn(r.observation), reward: r.reward, terminated: r.terminated, truncated: r.truncated, info: r.info };
  }
}
