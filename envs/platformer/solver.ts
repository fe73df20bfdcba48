import { Rng } from '../../core/index.ts';
import type { Platformer, PlatformerObservationMode, PlatformerState } from './platformer.ts';
import { scriptedAction } from './scripted.ts';

export interface SolveOptions {
  /** Give up on an attempt after this many steps in all. Default 5000. */
  maxSteps?: number;
  /** Give up after this many failed attempts. Default 300. */
  maxAttempts?: number;
  /** Seeds the solver's own perturbations (not the env). Default 0. */
  seed?: number;
  /** `options` for the env's `reset` (e.g. `{ levelSeed }` to pick a procgen level). */
  resetOptions?: Record<string, unknown>;
}

export interface SolveResult {
  /** The actions from `reset({ seed, options: resetOptions })` to the end of the best attempt: replaying them completes the level when
   * `completed`. */
  actions: number[];
  completed: boolean;
  /** Attempts made (1 when the scripted policy made it at once). */
  attempts: number;
}

const CHECKPOINT_EVERY = 8;

/**
 * Searches for a sequence of actions that completes the env's level from `reset({ seed: envSeed })`: runs
 * {@link scriptedAction}, and when an attempt dies, restores a snapshot (`getState`/`setState`, taken every 8 steps)
 * from 1-3 snapshots before, at random further back the longer it is stuck, and tries again with random actions
 * mixed in (each held for 1-12 steps), more of them the more it failed since it last got further. A found sequence proves the level completable for that seed (the env is
 * deterministic); it can also serve as a demonstration. Mutates `env` (it is left at the end of the last attempt).
 * A search, not a proof of impossibility: `completed: false` only says it found nothing.
 */
export function solveLevel<M extends PlatformerObservationMode>(env: Platformer<M>, envSeed: number, opts: SolveOptions = {}): SolveResult {
  const maxSteps = opts.maxSteps ?? 5000;
  const maxAttempts = opts.maxAttempts ?? 300;
  const rng = new Rng(opts.seed ?? 0);
  env.reset({ seed: envSeed, options: opts.resetOptions });
  const actions: number[] = [];
  const checkpoints: Array<{ state: PlatformerState; length: number }> = [{ state: env.getState(), length: 0 }];
  /** Failed attempts since the search last got further than ever (in steps survived). */
  let failures = 0;
  let furthest = 0;
  let override = 0;
  let overrideAction = 0;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const eps = failures === 0 ? 0 : Math.min(0.15, 0.03 + 0.01 * failures);
    let completed = false;
    while (actions.length < maxSteps) {
      if (actions.length % CHECKPOINT_EVERY === 0 && actions.length > checkpoints[checkpoints.length - 1].length) {
        checkpoints.push({ state: env.getState(), length: actions.length });
      }
      let a: number;
      if (override > 0) {
        override--;
        a = overrideAction;
      } else if (eps > 0 && rng.random() < eps) {
        override = rng.int(12);
        overrideAction = rng.int(6);
        a = overrideAction;
      } else {
        a = scriptedAction(env.render());
      }
      const r = env.step(a);
      actions.push(a);
      if (r.terminated) {
        completed = r.info.completed === true;
        break;
      }
    }
    if (completed) return { actions, completed: true, attempts: attempt };
    if (attempt === maxAttempts) break;
    if (actions.length > furthest) {
      furthest = actions.length;
      failures = 0;
    }
    failures++;
    override = 0;
    // Back off 1-3 checkpoints, and at random further the longer it has been stuck; never past the start.
    const back = Math.min(checkpoints.length - 1, 1 + rng.int(3) + rng.int(1 + Math.floor(failures / 8)));
    checkpoints.length -= back;
    const cp = checkpoints[checkpoints.length - 1];
    env.setState(cp.state);
    actions.length = cp.length;
  }
  return { actions, completed: false, attempts: maxAttempts };
}
