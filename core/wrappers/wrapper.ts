import type { Env, EnvMetadata, EnvSpec, Frame, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { EnvContractError } from '../errors.ts';
import type { Space } from '../spaces/space.ts';

/**
 * Wraps an env to change one aspect of it (Gymnasium `Wrapper`). Everything not overridden is forwarded.
 * `O, A` are the inner env's types, `WO, WA` the ones this wrapper exposes.
 */
export class Wrapper<O, A, WO = O, WA = A> implements Env<WO, WA> {
  constructor(readonly env: Env<O, A>) {}

  get observationSpace(): Space<WO> {
    return this.env.observationSpace as unknown as Space<WO>;
  }

  get actionSpace(): Space<WA> {
    return this.env.actionSpace as unknown as Space<WA>;
  }

  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  get spec(): EnvSpec | undefined {
    return this.env.spec;
  }

  set spec(spec: EnvSpec | undefined) {
    this.env.spec = spec;
  }

  /** The innermost env, below every wrapper. */
  get unwrapped(): Env<unknown, unknown> {
    return unwrap(this.env);
  }

  reset(opts?: ResetOptions): ResetResult<WO> {
    return this.env.reset(opts) as unknown as ResetResult<WO>;
  }

  step(action: WA): StepResult<WO> {
    return this.env.step(action as unknown as A) as unknown as StepResult<WO>;
  }

  render(): Frame {
    if (this.env.render === undefined) throw new EnvContractError(`${envName(this)} has no render()`);
    return this.env.render();
  }

  close(): void {
    this.env.close?.();
  }
}

/** The innermost env below any wrappers. */
export function unwrap(env: Env<unknown, unknown>): Env<unknown, unknown> {
  let e = env;
  while (e instanceof Wrapper) e = e.env;
  return e;
}

/** True when the innermost env implements `render()`. */
export function canRender(env: Env<unknown, unknown>): boolean {
  return typeof unwrap(env).render === 'function';
}

/** The env's registered id, or its class name, for error messages. */
export function envName(env: Env<unknown, unknown>): string {
  return env.spec?.id ?? unwrap(env).constructor.name;
}
