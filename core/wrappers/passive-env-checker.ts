import type { Env, ResetOptions, ResetResult, StepResult } from '../env.ts';
import { EnvContractError } from '../errors.ts';
import type { Space } from '../spaces/space.ts';
import { describeValue } from '../spaces/space.ts';
import { Wrapper, envName } from './wrapper.ts';

/**
 * Checks what passes through, without changing it (Gymnasium `PassiveEnvChecker`):
 * every action against the action space, and the first reset's and first step's results in full.
 */
export class PassiveEnvChecker<O, A> extends Wrapper<O, A> {
  private checkedReset = false;
  private checkedStep = false;

  constructor(env: Env<O, A>) {
    super(env);
    checkSpace(env.observationSpace, 'observationSpace', envName(env));
    checkSpace(env.actionSpace, 'actionSpace', envName(env));
  }

  override reset(opts?: ResetOptions): ResetResult<O> {
    const result = this.env.reset(opts);
    if (!this.checkedReset) {
      this.checkedReset = true;
      checkResetResult(this, result);
    }
    return result;
  }

  override step(action: A): StepResult<O> {
    const space = this.env.actionSpace;
    if (!space.contains(action)) {
      throw new EnvContractError(`${envName(this)}: action ${describeValue(action)} is not in the action space ${space.toString()}: ${space.explain(action) ?? ''}`);
    }
    const result = this.env.step(action);
    if (!this.checkedStep) {
      this.checkedStep = true;
      checkStepResult(this, result);
    }
    return result;
  }
}

function checkSpace(space: unknown, which: string, name: string): void {
  const s = space as Partial<Space<unknown>> | undefined;
  if (typeof s !== 'object' || s === null || typeof s.contains !== 'function' || typeof s.sample !== 'function' || typeof s.explain !== 'function') {
    throw new EnvContractError(`${name}: ${which} must be a Space (Discrete, Box, ...), received ${describeValue(space)}`);
  }
}

/** Throws a precise error when a reset result breaks the contract. */
export function checkResetResult(env: Env<unknown, unknown>, result: unknown): void {
  const name = envName(env);
  if (typeof result !== 'object' || result === null || !('observation' in result) || !('info' in result)) {
    throw new EnvContractError(`${name}: reset() must return { observation, info }, received ${describeValue(result)}`);
  }
  const r = result as ResetResult<unknown>;
  checkObservation(env, r.observation, 'reset()');
  if (typeof r.info !== 'object' || r.info === null) throw new EnvContractError(`${name}: reset() info must be an object, received ${describeValue(r.info)}`);
}

/** Throws a precise error when a step result breaks the contract. */
export function checkStepResult(env: Env<unknown, unknown>, result: unknown): void {
  const name = envName(env);
  if (typeof result !== 'object' || result === null) throw new EnvContractError(`${name}: step() must return an object, received ${describeValue(result)}`);
  const r = result as Partial<StepResult<unknown>>;
  for (const key of ['observation', 'reward', 'terminated', 'truncated', 'info'] as const) {
    if (!(key in r)) throw new EnvContractError(`${name}: step() result is missing "${key}"`);
  }
  checkObservation(env, r.observation, 'step()');
  if (typeof r.reward !== 'number' || !Number.isFinite(r.reward)) throw new EnvContractError(`${name}: step() reward must be a finite number, received ${describeValue(r.reward)}`);
  if (typeof r.terminated !== 'boolean') throw new EnvContractError(`${name}: step() terminated must be a boolean, received ${describeValue(r.terminated)}`);
  if (typeof r.truncated !== 'boolean') throw new EnvContractError(`${name}: step() truncated must be a boolean, received ${describeValue(r.truncated)}`);
  if (typeof r.info !== 'object' || r.info === null) throw new EnvContractError(`${name}: step() info must be an object, received ${describeValue(r.info)}`);
}

function checkObservation(env: Env<unknown, unknown>, obs: unknown, where: string): void {
  const why = env.observationSpace.explain(obs);
  if (why !== null) {
    throw new EnvContractError(`${envName(env)}: ${where} returned an observation outside ${env.observationSpace.toString()}: ${why}`);
  }
}
