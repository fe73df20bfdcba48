import type { Env, Frame, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { EnvContractError } from '../errors.ts';
import { Wrapper, envName } from './wrapper.ts';

/**
 * Throws when `step` or `render` is called before the first `reset` (Gymnasium `OrderEnforcing`).
 * Stepping on after an episode ended is allowed, as in Gymnasium, since some envs define it.
 */
export class OrderEnforcing<O, A> extends Wrapper<O, A> {
  private hasReset = false;

  constructor(env: Env<O, A>) {
    super(env);
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(opts);
    this.hasReset = true;
    return result;
  }

  override step(action: A): StepResult<O> {
    if (!this.hasReset) throw new EnvContractError(`${envName(this)}: step() called before reset(); call reset() first`);
    return this.env.step(action);
  }

  override render(): Frame {
    if (!this.hasReset) throw new EnvContractError(`${envName(this)}: render() called before reset(); call reset() first`);
    return super.render();
  }
}
