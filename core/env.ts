import type { Space } from './spaces/space.ts';
import { Rng, entropySeed, type RngState } from './rng.ts';

/** A JSON-serialisable value (what `render()` frames and episode files may hold). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A serialisable description of the current state for the viewer (not pixels).
 * `kind` picks the renderer: `grid`, `platformer`, `chip8`, `cartpole`; unknown kinds get the generic one.
 */
export interface Frame {
  readonly kind: string;
  readonly [key: string]: JsonValue;
}

/** Auxiliary diagnostics from `reset` and `step`. Never needed to learn; free-form apart from the keys below. */
export interface Info {
  [key: string]: unknown;
  /** Set by `RecordEpisodeStatistics` on the step that ends an episode. */
  episode?: EpisodeStatistics;
  /** Vector envs: the last observation of an episode that just ended (to bootstrap truncated episodes). */
  finalObservation?: unknown;
  /** Vector envs: the `info` of the step that ended the episode. */
  finalInfo?: Info;
}

export interface EpisodeStatistics {
  /** Undiscounted return. */
  r: number;
  /** Length in steps. */
  l: number;
  /** Wall-clock seconds since the episode began. */
  t: number;
}

export interface ResetOptions {
  /** Seeds the env's RNG: the same seed and the same actions give the same episode, bit for bit. */
  seed?: number;
  /** Env-specific options (e.g. a start state). */
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs> {
  observation: Obs;
  info: Info;
}

export interface StepResult<Obs> {
  observation: Obs;
  reward: number;
  /** The episode reached a terminal state of the task (goal, death): do not bootstrap. */
  terminated: boolean;
  /** The episode was cut short from outside the task (time limit): bootstrap from `observation`. */
  truncated: boolean;
  info: Info;
}

export interface EnvMetadata {
  readonly renderModes: readonly string[];
  readonly renderFps?: number;
}

/**
 * The environment contract, after Gymnasium 1.x `Env`.
 *
 * - Call `reset()` before the first `step()` and after an episode ends (`terminated || truncated`).
 * - `reset({ seed })` reseeds the env's own RNG; `reset()` without a seed continues the stream.
 * - Observations returned are owned by the caller: an env never mutates one it has handed out.
 * - `render()` describes the state as data for the viewer; it must be JSON-serialisable.
 */
export interface Env<Obs = unknown, Act = unknown> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly metadata: EnvMetadata;
  /** Set by `make`: the id and arguments the env was made with. */
  spec?: EnvSpec;
  reset(opts?: ResetOptions): ResetResult<Obs>;
  step(action: Act): StepResult<Obs>;
  render?(): Frame;
  close?(): void;
}

/** What `make` knows about an env: filled from its registration. */
export interface EnvSpec {
  readonly id: string;
  readonly maxEpisodeSteps?: number;
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/**
 * Optional base class for envs: holds the env's seeded RNG (`this.rng`) and handles `reset({ seed })`.
 * Subclasses call `this.seedOnReset(opts)` at the top of `reset`.
 */
export abstract class BaseEnv<Obs, Act> implements Env<Obs, Act> {
  abstract readonly observationSpace: Space<Obs>;
  abstract readonly actionSpace: Space<Act>;
  readonly metadata: EnvMetadata = { renderModes: [] };
  spec?: EnvSpec;
  /** The env's own RNG: draw every random number from it. */
  protected rng: Rng = new Rng(entropySeed());

  abstract reset(opts?: ResetOptions): ResetResult<Obs>;
  abstract step(action: Act): StepResult<Obs>;

  /** Reseeds `this.rng` when `opts.seed` is given. */
  protected seedOnReset(opts?: ResetOptions): void {
    if (opts?.seed !== undefined) {
      if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new RangeError(`reset: seed must be a non-negative integer, received ${opts.seed}`);
      this.rng.reseed(opts.seed);
    }
  }

  /** The env's RNG state, to save an env mid-episode (checkpoints). */
  getRngState(): RngState {
    return this.rng.getState();
  }

  /** Continues the env's random stream from a state `getRngState` returned. */
  setRngState(state: RngState): void {
    this.rng.setState(state);
  }
}
